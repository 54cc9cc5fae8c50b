package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Partial-order reduction by sleep sets on models whose independence is known by hand. */
class PorTest {
    private static ExplorerResult run(Model m, ExplorerConfig c) {
        return new Explorer(m, c, null).run();
    }

    static Map<String, Integer> violations(ExplorerResult r) { return r.violationSites(); }

    @Test
    void theReducedSearchVisitsEveryStateAndFindsTheSameViolationsAtTheSameLengthWithFewerTransitions() {
        for (int depth : new int[] {6, 12, 40}) {
            ExplorerConfig c = ExplorerConfig.bfs(depth);
            ExplorerResult full = run(new ProcessModel(4, 4, 4, true), c.withPor(false));
            ExplorerResult reduced = run(new ProcessModel(4, 4, 4, true), c);
            assertEquals(full.distinct(), reduced.distinct(), "sleep sets prune transitions, never states");
            assertEquals(violations(full), violations(reduced));
            assertEquals(full.depthExhausted(), reduced.depthExhausted());
            assertEquals(full.goal() == null, reduced.goal() == null);
            if (full.goal() != null) assertEquals(full.goal().size(), reduced.goal().size());
            assertEquals(0, full.slept());
            assertEquals(full.generated(), reduced.generated() + reduced.slept(), "the full search runs exactly what was run plus what slept");
            assertTrue(reduced.generated() < full.generated() * 0.7, reduced.generated() + " of " + full.generated());
        }
        ExplorerResult r = run(new ProcessModel(4, 4, 4, true), ExplorerConfig.bfs(40));
        assertEquals(Explorer.Stop.COMPLETE, r.stop());
        assertEquals(16, r.shortest("I1").length(), "every step of the four processes");
    }

    @Test
    void theReducedSearchIsTheSameWhateverTheNumberOfThreads() {
        java.util.function.Supplier<Model> m = () -> new ProcessModel(5, 3, 5, true);
        ExplorerConfig c = ExplorerConfig.builder().maxDepth(30).threads(1).build();
        ExplorerResult one = new Explorer(m, c, null).run();
        ExplorerResult three = new Explorer(m, c.withThreads(3), null).run();
        assertEquals(one.generated(), three.generated());
        assertEquals(one.slept(), three.slept());
        assertEquals(one.distinct(), three.distinct());
        assertEquals(one.counterexamples(), three.counterexamples());
        assertEquals(one.goal(), three.goal());
    }

    @Test
    void everyIndependenceTheProcessModelDeclaresCommutesAndAWrongOneIsCaught() {
        ProcessModel honest = new ProcessModel(3, 4, 3, true);
        long[] pairs = new long[1];
        assertNull(Commutation.firstBroken(honest, Commutation.reachable(honest, 8, 2000), pairs));
        assertTrue(pairs[0] > 300, pairs[0] + " pairs");
        ProcessModel liar = new ProcessModel(3, 4, 3, true);
        liar.liar = true;
        String broken = Commutation.firstBroken(liar, Commutation.reachable(liar, 8, 2000), new long[1]);
        assertNotNull(broken, "two writes of x declared independent must show as different states");
    }

    /**
     * Done-when: a planted bug in a space the full search cannot exhaust within a work budget
     * (transitions: each is one action run plus one canonical encoding, the search's cost)
     * that the reduced search exhausts within it, finding the bug at its shortest length.
     */
    @Test
    void aPlantedBugBeyondTheFullSearchsBudgetIsFoundShortestByTheReducedOne() {
        java.util.function.Supplier<ProcessModel> m = () -> new ProcessModel(6, 4, 6, false);
        ExplorerResult unbounded = run(m.get(), ExplorerConfig.bfs(25).withPor(false));
        assertEquals(Explorer.Stop.COMPLETE, unbounded.stop());
        // 173,124 transitions unreduced, 98,358 reduced (38,229 states).
        long budget = unbounded.generated() * 6 / 10;
        ExplorerConfig c = ExplorerConfig.builder().maxDepth(25).maxTransitions(budget).build();
        ExplorerResult old = run(m.get(), c.withPor(false));
        assertEquals(Explorer.Stop.TRANSITIONS, old.stop());
        assertFalse(old.exhausted());
        assertNull(old.shortest("I1"), "the bug lies deeper than the full search gets within the budget");
        ExplorerResult reduced = run(m.get(), c);
        assertEquals(Explorer.Stop.COMPLETE, reduced.stop());
        assertTrue(reduced.generated() <= budget);
        assertEquals(unbounded.distinct(), reduced.distinct());
        assertNotNull(reduced.shortest("I1"));
        assertEquals(unbounded.shortest("I1").length(), reduced.shortest("I1").length());
        assertEquals(violations(unbounded), violations(reduced));
        assertEquals(24, reduced.shortest("I1").length(), "every step of the six processes");
        assertTrue(reduced.reduction() > 1.6, "reduction " + reduced.reduction());
    }

    @Test
    void withoutIndependenceNothingIsPrunedAndTheSearchIsUnchanged() {
        ExplorerResult on = run(new GridModel(3, 4, 2, 0), ExplorerConfig.bfs(20));
        ExplorerResult off = run(new GridModel(3, 4, 2, 0), ExplorerConfig.bfs(20).withPor(false));
        assertEquals(0, on.slept());
        assertEquals(off.generated(), on.generated());
        assertEquals(off.counterexamples(), on.counterexamples());
        assertEquals(List.copyOf(off.counterexamples().keySet()), List.copyOf(on.counterexamples().keySet()));
    }
}
