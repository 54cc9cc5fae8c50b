package tdisp.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.sim.Trace;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

class CellDiffTest {
    private static String line(double us, String event) { return String.format("%11.3f us %s", us, event); }

    @Test
    void theDivergenceIsTheFirstStepWhoseEventDiffersEvenWhenAnEarlierStepOnlyCostsMore() {
        List<String> base = List.of(line(1, "[vmm0   ] a"), line(2, "[vmm0   ] b"), line(3, "[vmm0   ] c"), line(4, "[vmm0   ] d"));
        List<String> variant = List.of(line(1, "[vmm0   ] a"), line(2.5, "[vmm0   ] b"), line(3.5, "[vmm0   ] x"), line(4.5, "[vmm0   ] d"));
        CellDiff.Divergence d = CellDiff.firstDivergence(base, variant);
        assertEquals(3, d.step());
        assertEquals("[vmm0   ] c", d.baseEvent());
        assertEquals("[vmm0   ] x", d.variantEvent());
        assertEquals(500, d.deltaNs());
        assertEquals(4, d.baseSteps());
    }

    @Test
    void aTraceThatStopsEarlyDivergesAtTheStepAfterItsLastWithNoEventOnThatSide() {
        List<String> base = List.of(line(1, "[guest0 ] a"), line(2, "[guest0 ] b"));
        List<String> variant = List.of(line(1, "[guest0 ] a"), line(2, "[guest0 ] b"), line(7, "[guest0 ] c"));
        CellDiff.Divergence d = CellDiff.firstDivergence(base, variant);
        assertEquals(3, d.step());
        assertNull(d.baseEvent());
        assertEquals("[guest0 ] c", d.variantEvent());
        assertEquals(5000, d.deltaNs(), "against the base's last time");
    }

    @Test
    void sameEventsAtOtherTimesDivergeAtTheFirstTimeThatDiffersAndEqualTracesNotAtAll() {
        List<String> base = List.of(line(1, "[vmm0   ] a"), line(2, "[vmm0   ] b"));
        List<String> slower = List.of(line(1, "[vmm0   ] a"), line(2.001, "[vmm0   ] b"));
        CellDiff.Divergence d = CellDiff.firstDivergence(base, slower);
        assertEquals(2, d.step());
        assertEquals(d.baseEvent(), d.variantEvent());
        assertEquals(1, d.deltaNs());
        assertNull(CellDiff.firstDivergence(base, List.copyOf(base)));
    }

    @Test
    void onRealTracesOfTheCloseOrderFixEveryStepBeforeTheDivergenceIsEqualAndTheOneAtItIsNot() {
        StrategyCatalog catalog = StrategyCatalog.load(Path.of("strategies"));
        Strategy base = catalog.get("iommufd-v5");
        Strategy variant = base.withOverrides(List.of("vfio.last-close=unbind-first"));
        Scenario sc = Scenarios.all().get("close-iommufd-bound");
        ScenarioResult b = ScenarioRunner.run(ScenarioRun.builder(base, Platforms.get("sev-tio"), sc).trace(ScenarioRun.Trace.RECORDED).build());
        ScenarioResult v = ScenarioRunner.run(ScenarioRun.builder(variant, Platforms.get("sev-tio"), sc).trace(ScenarioRun.Trace.RECORDED).build());
        CellDiff c = CellDiff.of(b, v).orElseThrow();
        int step = c.divergence().step();
        for (int i = 0; i < step - 1; i++) assertEquals(CellDiff.event(b.trace().get(i)), CellDiff.event(v.trace().get(i)), "step " + (i + 1));
        assertNotEquals(CellDiff.event(b.trace().get(step - 1)), CellDiff.event(v.trace().get(step - 1)));
        assertTrue(c.divergence().baseEvent().contains("vfio_pci_core_close_device"), c.divergence().baseEvent());
        assertTrue(c.divergence().variantEvent().contains("vfio_df_iommufd_unbind"), c.divergence().variantEvent());
        assertEquals(CellDiff.Cause.CLEARED, c.cause());
        assertEquals(List.of("I1"), List.copyOf(c.cleared()));
        assertTrue(CellDiff.of(b, b).isEmpty(), "a run against itself differs nowhere");
    }

    private static ScenarioResult result(String violated, String first, long fwCalls, List<String> trace) {
        TreeSet<String> v = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        if (!violated.isEmpty()) v.addAll(List.of(violated.split(";")));
        return new ScenarioResult("s", "sev-tio", "sc", v.isEmpty() ? ScenarioResult.Verdict.PASS : ScenarioResult.Verdict.VIOLATION,
                v, "RUN", new Trace.Counters(10, 1, 1, 1, fwCalls, 100), "-", first, trace);
    }

    @Test
    void aCellIsFiledUnderItsWorstChangeAnIntroducedInvariantBeforeAClearedOne() {
        List<String> t = List.of(line(1, "[vmm0   ] a"));
        List<String> u = List.of(line(1, "[vmm0   ] b"));
        CellDiff traded = CellDiff.of(result("I1", "I1: x", 1, t), result("I2", "I2: y", 1, u)).orElseThrow();
        assertEquals(CellDiff.Cause.INTRODUCED, traded.cause());
        assertEquals(List.of("I1"), List.copyOf(traded.cleared()));
        assertEquals(List.of("I2"), List.copyOf(traded.introduced()));
        assertEquals(CellDiff.Cause.FIRST_MOVED, CellDiff.of(result("I1", "I1: x", 1, t), result("I1", "I1: z", 1, u)).orElseThrow().cause());
        CellDiff counters = CellDiff.of(result("", "", 1, t), result("", "", 3, u)).orElseThrow();
        assertEquals(CellDiff.Cause.COUNTERS, counters.cause());
        assertEquals(List.of("firmware calls 1 -> 3"), counters.counterChanges());
        assertEquals(CellDiff.Cause.TRACE, CellDiff.of(result("", "", 1, t), result("", "", 1, u)).orElseThrow().cause());
        assertNotNull(CellDiff.of(result("", "", 1, t), result("", "", 1, u)).orElseThrow().divergence());
        assertTrue(CellDiff.of(result("I1", "I1: x", 1, t), result("I1", "I1: x", 1, t)).isEmpty());
    }
}
