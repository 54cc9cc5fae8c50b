package tdisp.world;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 21, point 2 on TDX: in the guest-driven flow (bind.lock=guest-request) the TD
 * accepts its private MMIO with TDG.MMIO.ACCEPT and allows the start with TDG.TDI.START,
 * TDCALLs with no exit to the VMM (intel-staging/tdx@089d07440e7d connect.c run).
 */
class V7TdxTdcallRoadTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(String strategy, List<String> set) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy).withOverrides(set), Platforms.get("tdx-connect"), Scenarios.get("happy-bringup")).trace(ScenarioRun.Trace.RECORDED).build());
    }

    /** The lines of the trace from the first line containing {@code from} up to the next containing {@code to}. */
    static List<String> between(List<String> trace, String from, String to) {
        int a = -1;
        for (int i = 0; i < trace.size(); i++) if (a < 0 && trace.get(i).contains(from)) a = i;
        assertTrue(a >= 0, from + " not in\n" + String.join("\n", trace));
        for (int i = a + 1; i < trace.size(); i++) if (trace.get(i).contains(to)) return trace.subList(a, i + 1);
        fail(to + " not after " + from + " in\n" + String.join("\n", trace));
        return List.of();
    }

    @Test
    void underV7TheTdAcceptsItsMmioByTdcallWithNoExitToTheVmm() {
        ScenarioResult r = run("iommufd-v7", List.of());
        List<String> accept = between(r.trace(), "guest: tdx_mcall_mmio_accept", "fw TDG.MMIO.ACCEPT = TDX_SUCCESS");
        String t = String.join("\n", accept);
        assertFalse(t.contains("TDVMCALL(<MapGPA>)"), t);
        assertFalse(t.contains("exit to VMM"), t);
        assertTrue(t.contains("EXIT_REASON_EPT_VIOLATION"), t);
        assertTrue(t.contains("fw TDH.MMIO.MAP = TDX_SUCCESS"), t);
        assertEquals("PASS", r.verdict().toString());
    }

    @Test
    void underV7TheTdCallsTdgTdiStartBeforeItsTdcmStartGoesThroughTheVmm() {
        ScenarioResult r = run("iommufd-v7", List.of());
        String t = String.join("\n", between(r.trace(), "fw TDG.TDI.START = TDX_SUCCESS", "START_INTERFACE_REQUEST) = TDX_SUCCESS"));
        assertTrue(t.contains("exit to VMM"), t);
        assertTrue(t.contains("TDH.DEVIF.REQUEST(td_flag=1"), t);
    }

    @Test
    void aStrategyWhoseHostBindLocksKeepsTheMapGpaRoad() {
        ScenarioResult r = run("iommufd-v5", List.of());
        String t = String.join("\n", r.trace());
        assertTrue(t.contains("TDVMCALL<MapGPA>"), t);
        assertFalse(t.contains("TDG.TDI.START"), t);
        ScenarioResult g = run("iommufd-v5", List.of("bind.lock=guest-request"));
        assertFalse(String.join("\n", g.trace()).contains("TDVMCALL<MapGPA>"));
    }
}
