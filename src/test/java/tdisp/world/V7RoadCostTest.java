package tdisp.world;

import tdisp.scenario.ScenarioRun;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;
import tdisp.sweep.BringUp;
import tdisp.sweep.V5V7BringUp;

/**
 * Issue 21, point 5: modeled cost follows the roads (TDG.TDI.START, the MMIO accept's
 * fault-in, RSI_VDEV_DMA_ENABLE each from a row of its own), and compare's modeled time of
 * a v7 run counts the bind IOMMU_VDEVICE_ALLOC made during setup, as sweep does.
 */
class V7RoadCostTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(String strategy, String platform, CostOptions c) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy), Platforms.get(platform), Scenarios.get("happy-bringup")).seed(1).trace(ScenarioRun.Trace.RECORDED).costs(c).build());
    }

    static long count(ScenarioResult r, String text) { return r.trace().stream().filter(l -> l.contains(text)).count(); }

    /** Raising one row by 1 ms moves the run by 1 ms per event the row charges, and by nothing else. */
    static void assertRowCharges(String strategy, String platform, String row, String event) {
        CostTable t = CostTable.defaults();
        ScenarioResult base = run(strategy, platform, CostOptions.defaults());
        ScenarioResult up = run(strategy, platform, new CostOptions(t.with(row, t.value(row) + 1_000_000), false, false));
        long n = count(base, event);
        assertTrue(n > 0, event + " not in the trace of " + strategy + " on " + platform);
        assertEquals(n * 1_000_000, up.counters().modeledNs() - base.counters().modeledNs(), row);
    }

    @Test
    void tdgTdiStartAndTheMmioAcceptsFaultInAreChargedFromTheirOwnRows() {
        assertRowCharges("iommufd-v7", "tdx-connect", "tdx.tdg.tdi_start", "fw TDG.TDI.START");
        assertRowCharges("iommufd-v7", "tdx-connect", "seamcall.tdh_mmio_map", "fw TDH.MMIO.MAP");
    }

    @Test
    void rsiVdevDmaEnableIsChargedFromItsOwnRow() {
        assertRowCharges("iommufd-v7", "cca", "rmm.rsi.vdev_dma_enable", "fw RSI_VDEV_DMA_ENABLE");
        assertRowCharges("iommufd-v5", "cca", "rmm.rsi.vdev_dma_enable", "fw RSI_VDEV_DMA_ENABLE");
    }

    @Test
    void everyNewRowIsAnEstimateWithASource() {
        for (String row : List.of("tdx.tdg.tdi_start", "seamcall.tdh_mmio_map", "rmm.rsi.vdev_dma_enable")) {
            CostTable.Row r = CostTable.defaults().rows().get(row);
            assertNotNull(r, row);
            assertEquals("E", r.grade(), row + ": no TDISP hardware timing is published");
            assertTrue(r.source().startsWith("unmeasured"), row);
        }
    }

    /** The v7 bind during setup is in compare's modeled time, as it is in sweep's bring-up. */
    @Test
    void compareCountsV7sBindAtVdeviceAllocation() {
        for (String p : List.of("sev-tio", "tdx-connect", "cca")) {
            World w = new World(WorldConfig.builder(CATALOG.get("iommufd-v7"), Platforms.get(p)).seed(1).costs(CostOptions.defaults()).build());
            w.setup();
            long bind = w.bindAtAllocNs(0);
            assertTrue(bind > 0, p);
            ScenarioResult r = run("iommufd-v7", p, CostOptions.defaults());
            // The same run's events after setup alone: the last trace line's time.
            String last = r.trace().get(r.trace().size() - 1).trim();
            long afterSetup = Math.round(Double.parseDouble(last.substring(0, last.indexOf(' '))) * 1000);
            assertEquals(afterSetup + bind, r.counters().modeledNs(), 1000, p);
            // v5 binds inside the scenario: nothing to add.
            World v5 = new World(WorldConfig.builder(CATALOG.get("iommufd-v5"), Platforms.get(p)).seed(1).costs(CostOptions.defaults()).build());
            v5.setup();
            assertEquals(0, v5.bindAtAllocNs(0), p);
        }
    }

    @Test
    void sweepAndReportShowV5AndV7BringUpSideBySide() {
        var c = tdisp.sweep.Sweep.Config.defaults(List.of(CATALOG.get("iommufd-v5"), CATALOG.get("iommufd-v7")), Platforms.all());
        List<V5V7BringUp> rows = V5V7BringUp.capture(c);
        assertEquals(3, rows.size());
        for (V5V7BringUp r : rows) {
            assertNotNull(r.v5Ns(), r.platform());
            assertNotNull(r.v7Ns(), r.platform());
            long v7 = BringUp.capture(CATALOG.get("iommufd-v7"), Platforms.get(r.platform()), 1, CostOptions.defaults(), BringUp.DoeScope.DEVICE).modeledNs();
            assertEquals(v7, r.v7Ns());
        }
        String text = tdisp.report.BringUpTable.text("caption", rows);
        assertTrue(text.contains("iommufd-v5") && text.contains("iommufd-v7") && text.contains("tdx-connect"), text);
        for (String l : text.split("\n")) assertTrue(l.length() <= 72, l);
        // A strategy that never reaches secure DMA shows '-', and the note says why.
        var partial = V5V7BringUp.of(List.of(new V5V7BringUp.Sample("iommufd-v5", "x", 5, true), new V5V7BringUp.Sample("iommufd-v7", "x", 0, false)));
        assertNull(partial.get(0).deltaNs());
        assertTrue(tdisp.report.BringUpTable.text("c", partial).contains("does not reach secure DMA"));
    }
}
