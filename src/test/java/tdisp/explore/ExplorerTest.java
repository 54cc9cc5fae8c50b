package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The search engine on a model whose answers are known by hand. */
class ExplorerTest {
    private static Explorer.Result run(Explorer.Config c) {
        return new Explorer(new TinyModel(), c, null).run();
    }

    @Test
    void bfsFindsThePlantedViolationAtItsExactDepth() {
        Explorer.Result r = run(Explorer.Config.bfs(10));
        Explorer.Counterexample ce = r.shortest("I1");
        assertNotNull(ce);
        assertEquals(5, ce.length(), "0 1 2 3 6 7 is the shortest way to 7");
        // Replaying the counterexample really ends at the violation.
        TinyModel m = new TinyModel();
        m.reset();
        for (int a : ce.actions()) m.apply(a);
        assertEquals("I1", m.findings().get(0).invariant());
    }

    @Test
    void noViolationIsReportedBelowItsDepthAndTheSearchSaysItIsExhausted() {
        Explorer.Result r = run(Explorer.Config.bfs(4));
        assertTrue(r.counterexamples().isEmpty());
        assertTrue(r.exhausted());
        assertEquals(Explorer.Stop.DEPTH, r.stop());
        assertEquals(4, r.depthReached());
    }

    @Test
    void aSmallSpaceIsCompleteAndEveryValueIsCountedOnce() {
        // Values 0..40 except 7 (a dead end, not expanded) are the distinct states.
        Explorer.Result r = run(Explorer.Config.bfs(100));
        assertEquals(Explorer.Stop.COMPLETE, r.stop());
        assertEquals(0, r.frontierAtBound());
        assertEquals(TinyModel.CAP, r.distinct(), "0..40 without 7");
    }

    @Test
    void goalIsReportedWithAShortestPath() {
        Explorer.Result r = run(Explorer.Config.bfs(10));
        assertNotNull(r.goal());
        assertEquals(4, r.goal().size(), "0 1 2 4 5");
        assertNull(run(Explorer.Config.bfs(3)).goal());
    }

    @Test
    void fingerprintModeFindsTheSameAnswerAndReportsACollisionEstimate() {
        Explorer.Result exact = run(Explorer.Config.bfs(100));
        Explorer.Result fp = run(Explorer.Config.bfs(100).withExactLimit(5));
        assertFalse(exact.fingerprints());
        assertTrue(fp.fingerprints());
        assertEquals(exact.distinct(), fp.distinct());
        assertEquals(exact.shortest("I1").actions(), fp.shortest("I1").actions());
        assertEquals(0.0, exact.collisionOptimistic());
        assertTrue(fp.collisionOptimistic() > 0 && fp.collisionOptimistic() < 1e-12);
    }

    @Test
    void dfsFindsAViolationButNotNecessarilyTheShortest() {
        Explorer.Result r = run(Explorer.Config.bfs(12).withMode(Explorer.Mode.DFS));
        assertNotNull(r.shortest("I1"));
        assertTrue(r.shortest("I1").length() >= 5);
    }

    @Test
    void randomWalksAreMinimisedAndRepeatableForASeed() {
        Explorer.Config c = Explorer.Config.bfs(12).withMode(Explorer.Mode.RANDOM).withWalks(300).withSeed(42);
        Explorer.Result a = run(c);
        Explorer.Result b = run(c);
        List<Integer> ce = a.shortest("I1").actions();
        assertEquals(ce, b.shortest("I1").actions(), "same seed, same counterexample");
        assertEquals(a.generated(), b.generated());
        // 1-minimal: dropping any single action loses the violation.
        for (int i = 0; i < ce.size(); i++) {
            List<Integer> shorter = new java.util.ArrayList<>(ce);
            shorter.remove(i);
            assertNull(Minimiser.truncate(new TinyModel(), shorter, "I1"), "still fails without action " + i);
        }
    }

    @Test
    void theStateBoundStopsTheSearch() {
        Explorer.Result r = run(Explorer.Config.bfs(100).withMaxStates(10));
        assertEquals(Explorer.Stop.STATES, r.stop());
        assertFalse(r.exhausted());
    }
}
