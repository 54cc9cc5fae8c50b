package tdisp.platform;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import tdisp.platform.cca.Cca;
import tdisp.platform.sev.SevTio;
import tdisp.platform.tdx.TdxConnect;
import tdisp.sim.Lane;
import tdisp.sim.Vocabulary;

/**
 * The registry of platforms, one line each. The order is the order of matrix columns and
 * CSV rows, so it is part of the output's bytes: append, don't reorder.
 *
 * <p>Everything else that reads "every platform" reads it here: the trace vocabulary
 * (common rows plus each platform's), its actor labels, the lanes of platform names in the
 * sequence diagrams, the built-in cost table's platform rows and the platforms bench runs.
 * {@link #of} puts another list in place of the shipped one until it is closed, so that a
 * test can register a platform of its own and see it reach every output.
 */
public final class Platforms {
    private static final List<Platform> SHIPPED = List.of(
            new SevTio(),
            new TdxConnect(),
            new Cca());

    private static volatile List<Platform> active = SHIPPED;
    private static volatile Vocabulary vocabulary = install(SHIPPED);

    private Platforms() {}

    /** The registered platforms, in registry order. */
    public static List<Platform> all() { return active; }

    /** The platforms this build ships, whatever {@link #of} registered. */
    public static List<Platform> shipped() { return SHIPPED; }

    public static Platform get(String id) {
        for (Platform p : active) if (p.id().equals(id)) return p;
        throw new IllegalArgumentException("unknown platform '" + id + "' (known: "
                + active.stream().map(Platform::id).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Registers {@code platforms} in place of the current list (and their vocabulary) until
     * the returned scope is closed. The registry is one per process: meant for tests, which
     * run one at a time, and for a build that ships another set.
     */
    public static Scope of(List<Platform> platforms) {
        List<String> ids = new ArrayList<>();
        for (Platform p : platforms) {
            if (ids.contains(p.id())) throw new IllegalArgumentException("platform '" + p.id() + "' registered twice");
            ids.add(p.id());
        }
        List<Platform> before = active;
        Vocabulary vocabBefore = vocabulary;
        List<Platform> now = List.copyOf(platforms);
        Vocabulary v = install(now);
        active = now;
        vocabulary = v;
        return () -> {
            active = before;
            vocabulary = vocabBefore;
            Vocabulary.install(vocabBefore);
        };
    }

    /** A registration made by {@link #of}; closing it restores the list before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The trace vocabulary: the common rows, then each registered platform's, with all their actors. */
    public static Vocabulary vocabulary() { return vocabulary; }

    /**
     * The vocabulary as one CSV text (vocab-check digests it): the common file, then each
     * registered platform's rows without its header line.
     */
    public static String vocabularyText() {
        StringBuilder sb = new StringBuilder();
        try (var in = Vocabulary.class.getResourceAsStream(Vocabulary.RESOURCE)) {
            if (in == null) throw new IllegalStateException(Vocabulary.RESOURCE + " is not on the class path");
            sb.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Platform p : active) {
            String own = p.resource("vocabulary.csv").orElse("");
            int nl = own.indexOf('\n');
            if (nl >= 0) sb.append(own.substring(nl + 1));
        }
        return sb.toString();
    }

    /** Lane rules of every registered platform's names, in registry order (after the common rules). */
    public static List<Lane.Rule> traceLanes() {
        List<Lane.Rule> out = new ArrayList<>();
        for (Platform p : active) out.addAll(p.traceLanes());
        return out;
    }

    private static Vocabulary install(List<Platform> platforms) {
        List<Vocabulary> parts = new ArrayList<>();
        parts.add(Vocabulary.common());
        for (Platform p : platforms) parts.add(vocabularyOf(p));
        Vocabulary v = Vocabulary.merge(parts);
        Vocabulary.install(v);
        return v;
    }

    /** A platform's own rows (its vocabulary.csv), each for its id, with its actors. */
    static Vocabulary vocabularyOf(Platform p) {
        String source = p.getClass().getPackageName().replace('.', '/') + "/vocabulary.csv";
        Vocabulary own;
        try {
            own = Vocabulary.parse(new StringReader(p.resource("vocabulary.csv").orElse(String.join(",", Vocabulary.header()) + "\n")), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Vocabulary.Entry e : own.entries()) {
            if (!e.platform().equals(p.id())) {
                throw new IllegalStateException(source + ": row " + e.name() + " is for '" + e.platform() + "', not this platform ('" + p.id() + "')");
            }
        }
        return own.withActors(p.traceActors());
    }
}
