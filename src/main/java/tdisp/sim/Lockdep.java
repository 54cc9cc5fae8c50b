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

    /**
     * Records that {@code acquired} is taken while the thread's held locks are held.
     * @return a description of the cycle closed by this acquisition, or null
     */
    String record(KThread t, String acquired) {
        String cycle = null;
        for (int i = 0; i < t.heldCount(); i++) {
            String h = t.heldNode(i);
            if (h.equals(acquired)) continue;
            if (edges.computeIfAbsent(h, NEW_SET).add(acquired) && cycle == null) {
                List<String> back = path(acquired, h);
                if (back != null) {
                    String key = String.join(">", new java.util.TreeSet<>(back));
                    if (reported.add(key)) {
                        cycle = h + " -> " + String.join(" -> ", back);
                    }
                }
            }
        }
        return cycle;
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
