package tdisp.explore;

import java.util.ArrayDeque;

import tdisp.explore.Explorer.Stop;
import tdisp.sim.StateWriter;

/** Depth-first search: stateful (a stack of snapshots), so not shortest. */
final class DepthFirst {
    private DepthFirst() {}

    /** Searches from {@code init}; returns the states left at the depth bound or on the stack. */
    static long run(Search s, StateWriter.Snapshot init) {
        record Frame(StateWriter.Snapshot state, int id, int depth, int[] next) {}
        Model model = s.model;
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(init, s.trace.add(-1, 0), 0, new int[1]));
        long atBound = 0;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.depth >= s.cfg.maxDepth()) {
                atBound++;
                if (s.stop == Stop.COMPLETE) s.stop = Stop.DEPTH;
                stack.pop();
                continue;
            }
            if (s.outOfBudget(stack.size()) || !s.budget.allows(s.seen.heapBytes() + s.trace.heapBytes(), s.seen.bytesToGrow())) {
                if (s.stop == Stop.COMPLETE || s.stop == Stop.DEPTH) s.stop = Stop.MEMORY;
                return atBound + stack.size();
            }
            int a = f.next[0]++;
            if (a >= s.actions) { stack.pop(); continue; }
            model.load(f.state);
            if (!model.enabled(a)) continue;
            model.apply(a);
            s.generated++;
            s.covered[a] = true;
            if (model.goalReached() && s.goal == null) s.goal = s.trace.pathTo(f.id, a);
            if (s.report(f.id, a, null)) continue;
            StateWriter c = model.canonical();
            if (s.seen.add(c.hash(), s.seen.usingFingerprints() ? null : c.ints())) {
                stack.push(new Frame(model.save(), s.trace.add(f.id, a), f.depth + 1, new int[1]));
                s.depthReached = Math.max(s.depthReached, f.depth + 1);
            }
        }
        s.depthExhausted = s.stop.exhausted() ? (s.stop == Stop.DEPTH ? s.cfg.maxDepth() : s.depthReached) : 0;
        return atBound;
    }
}
