package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search engine on a model whose answers are known by hand. */
class ExplorerTest {
    private static ExplorerResult run(ExplorerConfig c) {
        return new Explorer(new TinyModel(), c, null).run();
    }

    @Test
    void bfsFindsThePlantedViolationAtItsExactDepth() {
        ExplorerResult r = run(ExplorerConfig.bfs(10));
        Counterexample ce = r.shortest("I1");
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
        ExplorerResult r = run(ExplorerConfig.bfs(4));
        assertTrue(r.counterexamples().isEmpty());
        assertTrue(r.exhausted());
        assertEquals(Explorer.Stop.DEPTH, r.stop());
        assertEquals(4, r.depthReached());
    }

    @Test
    void aSmallSpaceIsCompleteAndEveryValueIsCountedOnce() {
        // Values 0..40 except 7 (a dead end, not expanded) are the distinct states.
        ExplorerResult r = run(ExplorerConfig.bfs(100));
        assertEquals(Explorer.Stop.COMPLETE, r.stop());
        assertEquals(0, r.frontierAtBound());
        assertEquals(TinyModel.CAP, r.distinct(), "0..40 without 7");
    }

    @Test
    void goalIsReportedWithAShortestPath() {
        ExplorerResult r = run(ExplorerConfig.bfs(10));
        assertNotNull(r.goal());
        assertEquals(4, r.goal().size(), "0 1 2 4 5");
        assertNull(run(ExplorerConfig.bfs(3)).goal());
    }

    @Test
    void fingerprintModeFindsTheSameAnswerAndReportsACollisionEstimate() {
        ExplorerResult exact = run(ExplorerConfig.bfs(100));
        ExplorerResult fp = run(ExplorerConfig.bfs(100).withExactLimit(5));
        assertFalse(exact.fingerprints());
        assertTrue(fp.fingerprints());
        assertEquals(exact.distinct(), fp.distinct());
        assertEquals(exact.shortest("I1").actions(), fp.shortest("I1").actions());
        assertEquals(0.0, exact.collisionOptimistic());
        assertTrue(fp.collisionOptimistic() > 0 && fp.collisionOptimistic() < 1e-12);
    }

    @Test
    void dfsFindsAViolationButNotNecessarilyTheShortest() {
        ExplorerResult r = run(ExplorerConfig.bfs(12).withMode(Explorer.Mode.DFS));
        assertNotNull(r.shortest("I1"));
        assertTrue(r.shortest("I1").length() >= 5);
    }

    @Test
    void randomWalksAreMinimisedAndRepeatableForASeed() {
        ExplorerConfig c = ExplorerConfig.bfs(12).withMode(Explorer.Mode.RANDOM).withWalks(300).withSeed(42);
        ExplorerResult a = run(c);
        ExplorerResult b = run(c);
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
        ExplorerResult r = run(ExplorerConfig.bfs(100).withMaxStates(10));
        assertEquals(Explorer.Stop.STATES, r.stop());
        assertFalse(r.exhausted());
    }

    // ---- the parallel, memory-bounded breadth-first search ----

    private static ExplorerResult grid(GridModel shape, ExplorerConfig c) {
        return grid(shape, c, Cancel.NEVER);
    }

    private static ExplorerResult grid(GridModel shape, ExplorerConfig c, Cancel cancel) {
        return new Explorer(() -> {
            GridModel g = new GridModel(shape.k, shape.m, shape.target, shape.pad);
            g.history = shape.history;
            return g;
        }, c, null).run(cancel);
    }

    /** Everything a report is made of, as one comparable value (run-info and timings left out). */
    private static List<Object> answer(ExplorerResult r) {
        return List.of(r.generated(), r.distinct(), r.depthReached(), r.depthExhausted(), r.stop(), r.frontierAtBound(),
                r.counterexamples().toString(), String.valueOf(r.goal()), java.util.Arrays.toString(r.covered()), r.fingerprints(),
                r.collisionOptimistic(), r.collisionActual());
    }

    @Test
    void aGridIsCountedExactlyAndItsPlantedViolationFoundAtItsShortestLength() {
        GridModel g = new GridModel(4, 6, 3, 0);
        ExplorerResult r = grid(g, ExplorerConfig.bfs(100).withThreads(2));
        assertEquals(Explorer.Stop.COMPLETE, r.stop());
        assertEquals(g.states() - 1, r.distinct(), "every vector but the violating one, a dead end");
        assertEquals(4 * 5, r.depthReached(), "(5,5,5,5) is 20 increments away");
        assertEquals(12, r.shortest("I1").length(), "3 increments on each of 4 counters");
        assertEquals(5, r.goal().size());
    }

    @Test
    void theAnswerIsTheSameWhateverTheNumberOfThreads() {
        GridModel g = new GridModel(5, 6, 2, 0);
        for (ExplorerConfig c : List.of(ExplorerConfig.bfs(100), ExplorerConfig.bfs(7), ExplorerConfig.bfs(100).withExactLimit(500),
                ExplorerConfig.bfs(100).withMaxStates(3000))) {
            List<Object> one = answer(grid(g, c.withThreads(1)));
            for (int t = 2; t <= 4; t++) assertEquals(one, answer(grid(g, c.withThreads(t))), t + " threads, " + c);
        }
    }

    @Test
    void aPropertyOfTheWholeSearchHistoryIsCheckedInSequentialOrderWhateverTheThreads() {
        // Like lockdep: each worker's model only sees part of the search, so the edges are
        // checked by one checker in node order; the finding and its path do not move.
        GridModel g = new GridModel(4, 5, 4, 0);
        g.history = true;
        ExplorerResult one = grid(g, ExplorerConfig.bfs(100));
        Counterexample ce = one.shortest("I2");
        assertNotNull(ce, one.counterexamples().toString());
        assertEquals(List.of(2, 0), ce.actions(), "inc1 inc0 closes the cycle that inc0 inc1 opened one node earlier in the level");
        for (int t = 2; t <= 4; t++) assertEquals(answer(one), answer(grid(g, ExplorerConfig.bfs(100).withThreads(t))), t + " threads");
    }

    @Test
    void aStateBoundStopsAtTheSameNodeAsTheSequentialSearchWouldWhateverTheThreads(@TempDir Path dir) {
        // The bound is checked before each node's expansion, in node order, by whoever merges.
        GridModel g = new GridModel(5, 6, 2, 0);
        ExplorerResult one = grid(g, ExplorerConfig.bfs(100).withMaxStates(1234));
        ExplorerResult two = grid(g, ExplorerConfig.bfs(100).withMaxStates(1234).withThreads(3));
        assertEquals(Explorer.Stop.STATES, one.stop());
        assertFalse(one.exhausted());
        assertTrue(one.distinct() >= 1234 && one.distinct() < 1234 + 10, "the node being expanded finishes: " + one.distinct());
        assertEquals(answer(one), answer(two));
    }

    @Test
    void theFileBackedTraceStoreGivesTheSameShortestCounterexamplesByteForByte(@TempDir Path dir) throws Exception {
        GridModel g = new GridModel(5, 6, 2, 0);
        ExplorerResult mem = grid(g, ExplorerConfig.bfs(100).withThreads(2));
        ExplorerResult file = grid(g, ExplorerConfig.bfs(100).toBuilder().threads(2).workDir(dir).build());
        assertEquals(answer(mem), answer(file));
        assertEquals(mem.shortest("I1").actions(), file.shortest("I1").actions());
        assertEquals(0, mem.runInfo().offHeapBytes());
        assertEquals(file.distinct() * 6, file.runInfo().offHeapBytes(), "6 bytes a node, off the heap");
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "the scratch file is gone after the run");
        }
    }

    @Test
    void aMemoryBudgetStopsTheSearchWithEverythingFoundSoFar() {
        GridModel g = new GridModel(6, 8, 2, 0);
        ExplorerResult r = grid(g, ExplorerConfig.bfs(100).toBuilder().threads(2).exactLimit(0).maxMemory(8L << 20).build());
        assertEquals(Explorer.Stop.MEMORY, r.stop());
        assertFalse(r.exhausted());
        assertTrue(r.distinct() < g.states() / 2, r.distinct() + " states");
        assertTrue(r.runInfo().structureBytes() <= 8L << 20, r.runInfo().toString());
        assertEquals(12, r.shortest("I1").length(), "found before the budget ran out, and shortest");
        assertTrue(r.depthExhausted() >= 12 && r.depthExhausted() < r.depthReached(), r.depthExhausted() + " / " + r.depthReached());
        assertTrue(r.frontierAtBound() > 0);
    }

    @Test
    void aCancelRequestStopsTheSearchAsInterrupted() {
        ExplorerResult r = grid(new GridModel(6, 8, 2, 0), ExplorerConfig.bfs(100).withThreads(2), () -> true);
        assertEquals(Explorer.Stop.INTERRUPTED, r.stop());
        assertFalse(r.exhausted());
        assertEquals(0, r.depthExhausted());
    }
}
