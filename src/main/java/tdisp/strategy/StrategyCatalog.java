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
     * Parses every {@code *.desc} regular file directly in {@code dir} (not recursive).
     * Errors: the first parse error; {@code <dir>: not a directory};
     * {@code <dir>: no *.desc files}; {@code duplicate id 'x' in <a> and <b>}.
     */
    public static StrategyCatalog load(Path dir) {
        if (!Files.isDirectory(dir)) throw new StrategyException(dir + ": not a directory");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".desc") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new StrategyException(dir + ": cannot list: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new StrategyException(dir + ": no *.desc files");
        Map<String, Strategy> byId = new TreeMap<>();
        for (Path f : files) {
            Strategy s = StrategyParser.parse(f);
            Strategy prev = byId.putIfAbsent(s.id(), s);
            if (prev != null) {
                throw new StrategyException("duplicate id '" + s.id() + "' in " + prev.file() + " and " + s.file());
            }
        }
        return new StrategyCatalog(dir, byId);
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
