package tdisp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lock-order checker in the spirit of kernel/locking/lockdep.c: every acquisition made
 * while other locks are held adds an edge held-class -> new-class; an edge that closes a
 * cycle is a potential deadlock. Read and write sides of an rwsem are separate nodes
 * ("memory_lock(R)" / "memory_lock(W)") joined to each other, so a read/write ABBA is
 * seen while read-after-read on the same rwsem class is not flagged.
 */
public final class Lockdep {
    private final Map<String, Set<String>> edges = new LinkedHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private static final java.util.function.Function<String, Set<String>> NEW_SET = k -> new LinkedHashSet<>();

    /** A lock-order edge: {@code acquired} taken while {@code held} is held, at a kernel step. */
    public record Edge(String held, String acquired, String step) {}

    /**
     * Where edges go instead of the graph while deferred, for a checker that sees every
     * explored transition once, in a fixed order.
     */
    private List<Edge> deferred;

    /**
     * Defers the cycle check: edges are only logged (see {@link #takeDeferred}). The
     * explorer's workers each run a model of their own; one graph fed in the search's
     * sequential order keeps I8 the same whatever the number of workers.
     */
    public void defer() { deferred = new ArrayList<>(); }

    /** The edges logged since the last call, or null if none (deferred mode only). */
    public List<Edge> takeDeferred() {
        if (deferred == null || deferred.isEmpty()) return null;
        List<Edge> out = List.copyOf(deferred);
        deferred.clear();
        return out;
    }

    /** Drops what was logged (a state restore: those edges belong to no transition the search keeps). */
    public void clearDeferred() { if (deferred != null) deferred.clear(); }

    /**
     * Records that {@code acquired} is taken while the thread's held locks are held.
     * @return a description of the cycle closed by this acquisition, or null
     */
    String record(KThread t, String acquired, String step) {
        String cycle = null;
        for (int i = 0; i < t.heldCount(); i++) {
            String h = t.heldNode(i);
            if (h.equals(acquired)) continue;
            if (deferred != null) {
                deferred.add(new Edge(h, acquired, step));
                continue;
            }
            String c = addEdge(h, acquired);
            if (cycle == null) cycle = c;
        }
        return cycle;
    }

    /** Adds one edge; returns the cycle it closes if that cycle was not reported before, else null. */
    public String addEdge(String h, String acquired) {
        if (!edges.computeIfAbsent(h, NEW_SET).add(acquired)) return null;
        List<String> back = path(acquired, h);
        if (back == null) return null;
        String key = String.join(">", new java.util.TreeSet<>(back));
        return reported.add(key) ? h + " -> " + String.join(" -> ", back) : null;
    }

    /** Path from a to b over recorded edges, treating R/W nodes of one rwsem as linked. */
    private List<String> path(String from, String to) {
        Map<String, String> parent = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        parent.put(from, null);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (n.equals(to)) {
                List<String> p = new ArrayList<>();
                for (String c = n; c != null; c = parent.get(c)) p.add(0, c);
                return p;
            }
            for (String next : successors(n)) {
                if (!parent.containsKey(next)) {
                    parent.put(next, n);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private List<String> successors(String n) {
        List<String> out = new ArrayList<>(edges.getOrDefault(n, Set.of()));
        // A writer waits for the readers: a path into the write side of an rwsem continues
        // from its read side (but not R -> R, which cannot deadlock alone).
        if (n.endsWith("(W)")) out.add(n.substring(0, n.length() - 3) + "(R)");
        return out;
    }

    public Map<String, Set<String>> edges() { return edges; }
}
