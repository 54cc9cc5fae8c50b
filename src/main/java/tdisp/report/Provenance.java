package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import tdisp.output.Columns;
import tdisp.output.HarnessVersion;

/**
 * How an output was made: the setup facts every CSV and text output carries, in one order, so
 * a pasted table cannot mislead (an injected fault, a --set override, a cost table other than
 * the built-in one all show). Deterministic by construction: it holds only inputs and the
 * build's identity, never wall time or thread counts (those go to a run-info sidecar).
 *
 * <p>Rendered two ways from the same facts: a text setup block ("setup:" lines, wrapped to the
 * report's 72 columns) and CSV comment lines ("# key: value") that a Commons CSV reader with
 * {@code setCommentMarker('#')} skips ({@link tdisp.output.Csv#READ}). {@link #stamp} puts the
 * right rendering at the head of every file a command writes.
 */
public record Provenance(List<Fact> facts) {
    /** One setup fact; the key is a short lower-case word, the value free text on one line. */
    public record Fact(String key, String value) {
        public Fact {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isEmpty() || !key.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("bad provenance key: " + key);
            // one line each: a newline would end the CSV comment and let the rest parse as a record
            value = value.replace('\r', ' ').replace('\n', ' ');
        }
    }

    public Provenance {
        facts = List.copyOf(facts);
    }

    /** Starts with the build's identity: harness version, commit, JDK. */
    public static Builder builder() {
        return new Builder()
                .add("harness", HarnessVersion.banner())
                .add("commit", HarnessVersion.commit())
                .add("jdk", System.getProperty("java.vendor", "?") + " " + System.getProperty("java.version", "?"));
    }

    /** The value of the first fact with this key, or null. */
    public String get(String key) {
        for (Fact f : facts) if (f.key().equals(key)) return f.value();
        return null;
    }

    /** The key of the command line that makes the same output again. */
    public static final String REPRODUCE = "reproduce";

    /**
     * The key that marks a partial output (a signal or a bound stopped the run): absent on a
     * complete one. report --from shows it for every input that carries it.
     */
    public static final String STATUS = "status";

    /** The status of a compare a signal stopped. */
    public static String interrupted(int finished, int total) {
        return "INTERRUPTED: " + finished + " of " + total + " runs finished; the others were not made";
    }

    /** The status fact, or null on a complete output. */
    public String status() { return get(STATUS); }

    /**
     * The text setup block: one "setup: key value" line a fact, continuation lines indented;
     * the reproducing command line wraps the shell's way (" \\" ends each part), so it pastes.
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Fact f : facts) {
            String line = String.format("setup: %-9s %s", f.key(), f.value());
            // a wrapped value continues under the value column, not under the key
            sb.append(f.key().equals(REPRODUCE) ? shellWrap(line) : Columns.wrapLine(line, VALUE_COLUMN)).append('\n');
        }
        return sb.toString();
    }

    private static final String VALUE_COLUMN = " ".repeat("setup: ".length() + 10);

    /** Continuation lines of a wrapped command line start under the command. */
    private static final String CONTINUATION = " ".repeat(7);

    /**
     * A command line cut between options into lines of at most 72 columns, each but the last
     * ending in " \\", an option kept with its value. A comma list too long for one line is
     * given as the same option repeated (picocli adds the lists up), never cut inside a word; a
     * value too long for a line with its option starts the next line.
     */
    static String shellWrap(String line) {
        List<String> units = new ArrayList<>();
        String[] w = shellWords(line);
        for (int i = 0; i < w.length; i++) {
            boolean hasValue = w[i].startsWith("--") && i + 1 < w.length && !w[i + 1].startsWith("--");
            if (!hasValue) {
                units.add(w[i]);
                continue;
            }
            String opt = w[i], value = w[++i];
            // A value too long to share a line with its option (a 64-digit digest) goes on the
            // next line: the shell joins " \\" and the newline into a word break.
            if (CONTINUATION.length() + opt.length() + 1 + value.length() + 2 > Columns.WIDTH && !value.contains(",") && !value.startsWith("'")) {
                units.add(opt);
                units.add(value);
                continue;
            }
            int room = Columns.WIDTH - CONTINUATION.length() - opt.length() - 3;
            if (CONTINUATION.length() + opt.length() + 1 + value.length() + 2 <= Columns.WIDTH || value.startsWith("'") || !value.contains(",")) {
                units.add(opt + " " + value);
                continue;
            }
            StringBuilder chunk = new StringBuilder();
            for (String item : value.split(",")) {
                if (chunk.length() > 0 && chunk.length() + 1 + item.length() > room) {
                    units.add(opt + " " + chunk);
                    chunk.setLength(0);
                }
                if (chunk.length() > 0) chunk.append(',');
                chunk.append(item);
            }
            units.add(opt + " " + chunk);
        }
        StringBuilder sb = new StringBuilder();
        StringBuilder cur = new StringBuilder();
        for (String u : units) {
            if (cur.length() > CONTINUATION.length() && cur.length() + 1 + u.length() + 2 > Columns.WIDTH) {
                sb.append(cur).append(" \\\n");
                cur.setLength(0);
                cur.append(CONTINUATION);
            } else if (cur.length() > 0 && !cur.toString().equals(CONTINUATION)) {
                cur.append(' ');
            }
            cur.append(u);
        }
        return sb.append(cur).toString();
    }

    /**
     * The line cut at the spaces the shell splits on: a space inside '...' (Setup.quote's
     * quoting, with '\'' for a quote) belongs to its word, so no line break falls inside a
     * quoted path. A quoted word wider than a line stays whole: too wide beats a wrong path.
     */
    static String[] shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && !quoted && i + 1 < line.length()) {
                cur.append(c).append(line.charAt(++i));
                continue;
            }
            if (c == '\'') quoted = !quoted;
            if (c == ' ' && !quoted) {
                words.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        words.add(cur.toString());
        return words.toArray(String[]::new);
    }

    /** The same facts as CSV comment lines ("# key: value"), each ending in '\n'. */
    public String csvComment() {
        StringBuilder sb = new StringBuilder();
        for (Fact f : facts) sb.append("# ").append(f.key()).append(": ").append(f.value()).append('\n');
        return sb.toString();
    }

    /**
     * Every file of a command's output set with this provenance at its head: comment lines
     * before a .csv, .run-info or .replay file (readers skip '#' lines), the setup block and a
     * blank line before a .txt or .trace file. A counterexample's .replay and .trace (under
     * cex/) get {@link #replay}'s facts instead, so `tdisp replay` prints its .trace byte for byte.
     */
    public Map<String, String> stamp(Map<String, String> files) {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((name, body) -> out.put(name, (isReplayArtifact(name) ? replay(baseName(name) + ".replay") : this).head(name) + body));
        return out;
    }

    /** What goes ahead of a file of this name. */
    public String head(String name) {
        if (name.endsWith(".csv") || name.endsWith(".run-info") || name.endsWith(".replay")) return csvComment();
        if (name.endsWith(".txt") || name.endsWith(".trace")) return text() + "\n";
        throw new IllegalArgumentException("no provenance rendering for " + name);
    }

    private static boolean isReplayArtifact(String name) { return name.endsWith(".replay") || name.endsWith(".trace"); }

    private static String baseName(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        return n.substring(0, n.lastIndexOf('.'));
    }

    /**
     * The facts of a counterexample's files and of `tdisp replay`'s output: the build and the
     * command that re-runs it; the replay file itself holds the strategy, knobs, seed and actions.
     */
    public static Provenance replay(String replayFileName) {
        return builder().add(REPRODUCE, "./tdisp replay " + replayFileName).build();
    }

    /** Collects facts in the order they are added; an empty list value is written as "none". */
    public static final class Builder {
        private final List<Fact> facts = new ArrayList<>();

        public Builder add(String key, String value) {
            facts.add(new Fact(key, value));
            return this;
        }

        public Builder add(String key, long value) { return add(key, Long.toString(value)); }

        /** The {@link #STATUS} fact of a partial output; nothing for a complete one (empty). */
        public Builder status(String value) {
            return value == null || value.isEmpty() ? this : add(STATUS, value);
        }

        public Builder add(String key, List<String> values) {
            return add(key, values.isEmpty() ? "none" : String.join(", ", values));
        }

        public Provenance build() { return new Provenance(facts); }
    }
}
