package tdisp.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import tdisp.explore.Explorer.Stop;
import tdisp.sim.StateWriter;

/**
 * Seeded random walks (Stateright's simulation): each walk runs from the initial state to
 * the depth bound, a dead end or a violation, whose path is then minimised (as DSLabs does).
 */
final class RandomWalks {
    private RandomWalks() {}

    /** Walks from {@code init} until a bound; nothing is ever left queued. */
    static long run(Search s, StateWriter.Snapshot init) {
        Model model = s.model;
        SplittableRandom rng = new SplittableRandom(s.cfg.seed());
        int[] enabled = new int[s.actions];
        List<Integer> walk = new ArrayList<>();
        long walks = 0;
        while (true) {
            if (s.cfg.walks() > 0 && walks >= s.cfg.walks()) { s.stop = Stop.WALKS; return 0; }
            if (s.outOfBudget(0)) return 0;
            if (!s.budget.allows(s.seen.heapBytes(), s.seen.bytesToGrow())) { s.stop = Stop.MEMORY; return 0; }
            walks++;
            model.load(init);
            walk.clear();
            for (int d = 0; d < s.cfg.maxDepth(); d++) {
                int k = 0;
                for (int a = 0; a < s.actions; a++) if (model.enabled(a)) enabled[k++] = a;
                if (k == 0) break;
                int a = enabled[rng.nextInt(k)];
                model.apply(a);
                s.generated++;
                s.covered[a] = true;
                walk.add(a);
                s.depthReached = Math.max(s.depthReached, d + 1);
                if (model.goalReached() && (s.goal == null || s.goal.size() > walk.size())) s.goal = List.copyOf(walk);
                if (s.report(-1, a, walk)) break;
                StateWriter c = model.canonical();
                s.seen.add(c.hash(), s.seen.usingFingerprints() ? null : c.ints());
            }
        }
    }
}
