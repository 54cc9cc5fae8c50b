package tdisp.explore;

import java.util.ArrayList;
import java.util.List;

import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;

/**
 * A counter with two actions, +1 and *2, from 0 (capped). The planted violation is
 * "x == 7", whose shortest path is 5 actions (0 1 2 3 6 7: no 4-action sequence reaches
 * 7). The goal is x == 5. Small enough to reason about by hand.
 */
final class TinyModel implements Model {
    static final int TARGET = 7;
    static final int CAP = 40;
    private int x;
    private final List<Finding> findings = new ArrayList<>();
    private final StateWriter w = new StateWriter();
    private final StateReader r = new StateReader();
    int applied;

    @Override public int actionCount() { return 2; }

    @Override public String actionName(int a) { return a == 0 ? "inc" : "dbl"; }

    @Override public void reset() { x = 0; findings.clear(); }

    @Override public boolean enabled(int a) { return x < CAP; }

    @Override
    public void apply(int a) {
        applied++;
        x = Math.min(CAP, a == 0 ? x + 1 : x * 2);
        findings.clear();
        if (x == TARGET) findings.add(new Finding("I1", "x reached " + TARGET));
    }

    @Override public List<Finding> findings() { return findings; }

    @Override public List<String> invariants() { return List.of("I1"); }

    @Override public boolean goalReached() { return x == 5; }

    @Override
    public StateWriter.Snapshot save() {
        w.exact(0);
        w.put(x);
        return w.snapshot();
    }

    @Override
    public void load(StateWriter.Snapshot s) {
        r.reset(s);
        x = r.get();
        findings.clear();
    }

    @Override
    public StateWriter canonical() {
        w.canonical(new int[0]);
        w.put(x);
        return w;
    }
}
