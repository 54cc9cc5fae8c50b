package tdisp.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostOptions;
import tdisp.platform.Platforms;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 23, point 1: the services return their results as records, without the command
 * line: compare's cells, diff's changed cells, the modeled latency.
 */
class ServicesTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    @Test
    void compareReturnsOneCellPerStrategyPlatformAndScenarioInOrder() {
        Compare.Request q = new Compare.Request(CATALOG.select(List.of("kvm-direct", "iommufd-v5")), List.of(Platforms.get("tdx-connect")),
                List.of(Scenarios.get("happy-bringup"), Scenarios.get("close-vfio-bound")), 1, Set.of(), CostOptions.defaults());
        Compare.Result r = Compare.run(q, () -> false);
        assertEquals(4, q.planned());
        assertFalse(r.interrupted());
        assertEquals(List.of("kvm-direct/happy-bringup", "kvm-direct/close-vfio-bound", "iommufd-v5/happy-bringup", "iommufd-v5/close-vfio-bound"),
                r.cells().stream().map(c -> c.strategy() + "/" + c.scenario()).toList());
        assertEquals(ScenarioResult.Verdict.PASS, r.cells().get(0).verdict());
        assertEquals(ScenarioResult.Verdict.VIOLATION, r.cells().get(3).verdict());
        assertTrue(r.cells().get(3).violated().contains("I2"), r.cells().get(3).violated()::toString);
    }

    @Test
    void aStoppedCompareReturnsTheCellsItRanAndSaysSo() {
        Compare.Request q = new Compare.Request(CATALOG.select(List.of("kvm-direct")), List.of(Platforms.get("sev-tio")),
                List.of(Scenarios.get("happy-bringup")), 1, Set.of(), CostOptions.defaults());
        Compare.Result r = Compare.run(q, () -> true);
        assertTrue(r.interrupted());
        assertEquals(List.of(), r.cells());
    }

    @Test
    void diffReturnsOnlyTheCellsTheVariantChanges() {
        var base = CATALOG.get("iommufd-v5");
        var variant = base.withOverrides(List.of("vfio.last-close=unbind-first"));
        Diff.Result same = Diff.run(new Diff.Request(base, base, "same", List.of(Platforms.get("sev-tio")), List.of(Scenarios.get("close-vfio-bound")),
                1, Set.of(), CostOptions.defaults()), () -> false);
        assertEquals(1, same.ran());
        assertEquals(List.of(), same.changed());
        // unbinding first on cca's close-iommufd-bound breaks I2 and I6 the base held (DiffCommandTest's case)
        Diff.Result d = Diff.run(new Diff.Request(base, variant, "v", List.of(Platforms.get("cca")),
                List.of(Scenarios.get("happy-bringup"), Scenarios.get("close-iommufd-bound")), 1, Set.of(), CostOptions.defaults()), () -> false);
        assertEquals(2, d.ran());
        assertEquals(1, d.changed().size(), d.changed()::toString);
    }

    @Test
    void modeledLatencyLiesBetweenTheTablesLowAndHighEnds() {
        List<ModeledLatency> ls = ModeledLatency.of(CATALOG.select(List.of("kvm-direct")), List.of(Platforms.get("sev-tio")),
                Scenarios.get("happy-bringup"), 1, Set.of(), CostOptions.defaults());
        assertEquals(1, ls.size());
        ModeledLatency l = ls.get(0);
        assertTrue(l.secureDma());
        assertTrue(l.lowNs() <= l.ns() && l.ns() <= l.highNs(), l::toString);
    }
}
