package tdisp.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;

/**
 * k counters, each 0..m-1, with two actions per counter: +1 (below m-1) and back to 0.
 * Every one of the m^k vectors is reachable; the planted violation is "every counter
 * equals {@code target}", whose shortest path is exactly k * target increments (each
 * action moves one counter, and only +1 moves it up). The goal is counter 0 at m-1.
 * The exact snapshot carries {@code pad} extra ints, as a real model's does (the host
 * stack's is a few hundred), so tests can say what a snapshot per queued state costs.
 */
final class GridModel implements Model {
    final int k;
    final int m;
    final int target;
    final int pad;
    private final int[] c;
    private final List<Finding> findings = new ArrayList<>();
    private final StateWriter w = new StateWriter();
    private final StateReader r = new StateReader();

    GridModel(int k, int m, int target, int pad) {
        this.k = k;
        this.m = m;
        this.target = target;
        this.pad = pad;
        this.c = new int[k];
    }

    @Override public int actionCount() { return 2 * k; }

    @Override public String actionName(int a) { return (a % 2 == 0 ? "inc" : "zero") + a / 2; }

    @Override public void reset() { Arrays.fill(c, 0); findings.clear(); }

    @Override public boolean enabled(int a) { return a % 2 == 0 ? c[a / 2] < m - 1 : c[a / 2] > 0; }

    @Override
    public void apply(int a) {
        lastEdges = null;
        if (history && a % 2 == 0) {
            int[] e = new int[2 * k];
            int n = 0;
            for (int j = 0; j < k; j++) if (j != a / 2 && c[j] > 0) { e[n++] = j; e[n++] = a / 2; }
            if (n > 0) lastEdges = Arrays.copyOf(e, n);
        }
        c[a / 2] = a % 2 == 0 ? c[a / 2] + 1 : 0;
        findings.clear();
        boolean all = true;
        for (int v : c) all &= v == target;
        if (all) findings.add(new Finding("I1", "every counter at " + target));
    }

    @Override public List<Finding> findings() { return findings; }

    @Override public List<String> invariants() { return List.of("I1", "I2"); }

    /**
     * A history property like lockdep's: incrementing counter i while counter j is above 0
     * is an "edge" j -> i; I2 fails at the first transition whose edge closes a 2-cycle
     * with an edge seen anywhere earlier in the search.
     */
    boolean history;
    private int[] lastEdges;

    @Override public List<HistoryFact> historyFacts() {
        int[] e = lastEdges;
        lastEdges = null;
        if (e == null) return null;
        List<HistoryFact> out = new ArrayList<>();
        for (int x = 0; x < e.length; x += 2) out.add(new HistoryFact("c" + e[x], "c" + e[x + 1], ""));
        return out;
    }

    @Override public HistoryCheck historyCheck() {
        if (!history) return null;
        boolean[][] seen = new boolean[k][k];
        return facts -> {
            List<Finding> out = new ArrayList<>();
            for (HistoryFact f : facts) {
                int from = Integer.parseInt(f.from().substring(1)), to = Integer.parseInt(f.to().substring(1));
                if (!seen[from][to] && seen[to][from] && out.isEmpty()) out.add(new Finding("I2", "edge cycle " + from + " <-> " + to));
                seen[from][to] = true;
            }
            return out;
        };
    }

    @Override public boolean goalReached() { return c[0] == m - 1; }

    @Override
    public StateWriter.Snapshot save() {
        w.exact(0);
        for (int v : c) w.put(v);
        for (int i = 0; i < pad; i++) w.put(i);
        return w.snapshot();
    }

    @Override
    public void load(StateWriter.Snapshot s) {
        r.reset(s);
        for (int i = 0; i < k; i++) c[i] = r.get();
        findings.clear();
    }

    @Override
    public StateWriter canonical() {
        w.canonical(new int[0]);
        for (int v : c) w.put(v);
        return w;
    }

    /** m^k, as a long. */
    long states() {
        long n = 1;
        for (int i = 0; i < k; i++) n *= m;
        return n;
    }
}
