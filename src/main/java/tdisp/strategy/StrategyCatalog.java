package tdisp.strategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** All strategies of one directory ({@code strategies/}), sorted by id. */
public final class StrategyCatalog {
    private final Path dir;
    private final Map<String, Strategy> byId; // sorted by id
    private final List<Strategy> all;

    private StrategyCatalog(Path dir, Map<String, Strategy> byId) {
        this.dir = dir;
        this.byId = byId;
        this.all = List.copyOf(byId.values());
    }

    /**
     * Parses every {@code *.desc} file directly in {@code dir} (not recursive).
     * Errors: the first parse error; {@code <dir>: not a directory};
     * {@code <dir>: no *.desc files}; {@code <file>: dangling symbolic link};
     * {@code duplicate id 'x' in <a> and <b>} (ids compare ignoring case).
     */
    public static StrategyCatalog load(Path dir) {
        return load(dir, List.of(), java.util.Set.of());
    }

    /**
     * The strategies of {@code dir} plus those of each overlay directory. An overlay may add
     * strategies; it replaces one of {@code dir} only when its id is in {@code replace}
     * (so a copied descriptor never silently shadows the shipped one), and naming an id in
     * {@code replace} that no overlay provides is an error too.
     */
    public static StrategyCatalog load(Path dir, List<Path> overlays, java.util.Set<String> replace) {
        Map<String, Strategy> byId = new TreeMap<>();
        Map<String, Strategy> byFolded = new java.util.HashMap<>();
        for (Strategy s : parseDir(dir, true)) add(byId, byFolded, s, false);
        java.util.Set<String> replaced = new java.util.TreeSet<>();
        for (Path o : overlays) {
            for (Strategy s : parseDir(o, false)) {
                boolean rep = replace.contains(s.id());
                Strategy prev = byFolded.get(fold(s.id()));
                if (prev != null && rep && prev.file() != null && prev.file().startsWith(dir)) {
                    byId.remove(prev.id());
                    byFolded.remove(fold(prev.id()));
                    replaced.add(s.id());
                } else if (prev != null && prev.file() != null && prev.file().startsWith(dir)) {
                    throw new StrategyException(s.file() + ": id '" + s.id() + "' is already " + prev.file()
                            + "; pass --replace-strategy " + s.id() + " to replace it, or give it another id");
                }
                add(byId, byFolded, s, rep);
            }
        }
        for (String r : replace) {
            if (!replaced.contains(r)) throw new StrategyException("--replace-strategy " + r + ": no overlay directory (--add-strategies) replaces a strategy '" + r + "'");
        }
        return new StrategyCatalog(dir, byId);
    }

    private static void add(Map<String, Strategy> byId, Map<String, Strategy> byFolded, Strategy s, boolean replacing) {
        Strategy prev = byFolded.putIfAbsent(fold(s.id()), s);
        if (prev != null) {
            throw new StrategyException("duplicate id '" + s.id() + "' in " + prev.file() + " and " + s.file()
                    + (prev.id().equals(s.id()) ? "" : " (ids are compared ignoring case: '" + prev.id() + "')"));
        }
        byId.put(s.id(), s);
    }

    private static String fold(String id) { return id.toLowerCase(java.util.Locale.ROOT); }

    private static List<Strategy> parseDir(Path dir, boolean needSome) {
        if (!Files.isDirectory(dir)) throw new StrategyException(dir + ": not a directory");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".desc"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new StrategyException(dir + ": cannot list: " + e.getMessage(), e);
        }
        List<Strategy> out = new ArrayList<>();
        for (Path f : files) {
            if (Files.isSymbolicLink(f) && !Files.exists(f)) throw new StrategyException(f + ": dangling symbolic link");
            if (Files.isDirectory(f)) throw new StrategyException(f + ": is a directory, not a descriptor");
            out.add(StrategyParser.parse(f));
        }
        if (needSome && out.isEmpty()) throw new StrategyException(dir + ": no *.desc files");
        return out;
    }

    /** The directory loaded. */
    public Path dir() { return dir; }

    /** Every strategy, sorted by id. */
    public List<Strategy> all() { return all; }

    /** Every id, sorted. */
    public List<String> ids() { return List.copyOf(byId.keySet()); }

    /** The strategy with this id; unknown: {@code unknown strategy 'x' (known: a, b, c)}. */
    public Strategy get(String id) {
        Strategy s = byId.get(id);
        if (s == null) {
            throw new StrategyException("unknown strategy '" + id + "' (known: " + String.join(", ", byId.keySet()) + ")");
        }
        return s;
    }

    /**
     * The strategies with these ids, in the order given, each once (later repeats dropped).
     * An empty list gives an empty list. Unknown id: as {@link #get}.
     */
    public List<Strategy> select(List<String> ids) {
        List<Strategy> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) out.add(get(id));
        return List.copyOf(out);
    }
}
