package tdisp.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;

/**
 * k processes, each a program of {@code len} steps, sharing one variable x. Process i's
 * next-to-last step sets x = i + 1; process 0's last step reads x and every process's
 * position; every other step is local. With {@code restarts}, a process at its end may
 * start again (back to step 0: cycles through states already seen). Planted bug: process
 * 0 reads x == {@code bad} while every other process has finished, which violates I1 at
 * the read: with bad = k it needs every step of every process, k * len actions, with
 * process k-1's write the last write. Two steps commute unless they are the same
 * process's, one is process 0's read (it reads everything), or both touch x and one
 * writes it: what {@link #independent} declares. {@code liar} declares every pair of
 * processes independent (a wrong footprint, for the checker's own test).
 */
final class ProcessModel implements Model {
    final int k;
    final int len;
    final int writeAt;
    final int readAt;
    final int bad;
    boolean liar;
    private final int[] pc;
    private int x;
    private final List<Finding> findings = new ArrayList<>();
    private final StateWriter w = new StateWriter();
    private final StateReader r = new StateReader();

    final boolean restarts;

    ProcessModel(int k, int len, int bad, boolean restarts) {
        this.k = k;
        this.len = len;
        this.writeAt = len - 2;
        this.readAt = len - 1;
        this.bad = bad;
        this.restarts = restarts;
        this.pc = new int[k];
    }

    @Override public int actionCount() { return 2 * k; }

    @Override public String actionName(int a) { return (a % 2 == 0 ? "step" : "restart") + a / 2; }

    @Override public void reset() { Arrays.fill(pc, 0); x = 0; findings.clear(); }

    @Override public boolean enabled(int a) { return a % 2 == 0 ? pc[a / 2] < len : restarts && pc[a / 2] == len; }

    private boolean touchesX(int a) { return a % 2 == 0 && (pc[a / 2] == writeAt || pc[a / 2] == readAt); }

    private boolean readsAll(int a) { return a == 0 && pc[0] == readAt; }

    private boolean writesX(int a) { return a % 2 == 0 && pc[a / 2] == writeAt; }

    @Override
    public boolean independent(int a, int b) {
        if (a / 2 == b / 2) return false;
        if (liar) return true;
        if (readsAll(a) || readsAll(b)) return false;
        return !(touchesX(a) && touchesX(b) && (writesX(a) || writesX(b)));
    }

    @Override
    public void apply(int a) {
        findings.clear();
        int i = a / 2;
        if (a % 2 == 1) { pc[i] = 0; return; }
        if (pc[i] == writeAt) x = i + 1;
        if (pc[i] == readAt && i == 0 && x == bad && othersDone()) findings.add(new Finding("I1", "proc 0 read x=" + x + " [at proc 0: read x]"));
        pc[i]++;
    }

    private boolean othersDone() {
        for (int j = 1; j < k; j++) if (pc[j] != len) return false;
        return true;
    }

    @Override public List<Finding> findings() { return findings; }

    @Override public List<String> invariants() { return List.of("I1"); }

    @Override
    public boolean goalReached() {
        for (int v : pc) if (v != len) return false;
        return true;
    }

    @Override
    public StateWriter.Snapshot save() {
        w.exact(0);
        for (int v : pc) w.put(v);
        w.put(x);
        return w.snapshot();
    }

    @Override
    public void load(StateWriter.Snapshot s) {
        r.reset(s);
        for (int i = 0; i < k; i++) pc[i] = r.get();
        x = r.get();
        findings.clear();
    }

    @Override
    public StateWriter canonical() {
        w.canonical(new int[0]);
        for (int v : pc) w.put(v);
        w.put(x);
        return w;
    }
}
