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

    /**
     * #21.2 for the older strategies: set bind.lock=guest-request and each takes the TD's
     * roads on TDX: the lock, the run's START_TDI and the unlock as TDVMCALL<TDCM> through the
     * VMM, each waited for by polls; the MMIO accept and TDG.TDI.START by TDCALL with no exit
     * to the VMM. Where the host's bind locks (their default) they keep the MapGPA road.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"iommufd-v5", "iommufd-typed-op", "vfio-ioctl", "kvm-direct",
            "iommufd-rfc-v2", "split-sdte-mmio"})
    void everyOlderStrategyUnderTheGuestDrivenFlowTakesTheTdcallRoad(String strategy) {
        ScenarioResult r = run(strategy, List.of("bind.lock=guest-request"));
        String t = String.join("\n", r.trace());
        String accept = String.join("\n", between(r.trace(), "guest: tdx_mcall_mmio_accept", "fw TDG.MMIO.ACCEPT = TDX_SUCCESS"));
        assertFalse(accept.contains("exit to VMM"), accept);
        assertFalse(t.contains("TDVMCALL<MapGPA>"), t);
        String start = String.join("\n", between(r.trace(), "fw TDG.TDI.START = TDX_SUCCESS", "VM exit: TDVMCALL(<Service.TDCM>)"));
        assertFalse(start.contains("exit to VMM"), start);
        assertEquals(1, t.lines().filter(l -> l.contains("fw TDCM_STATUS_WAIT(polls=3)")).count(), t);
        assertTrue(t.contains("fw TDCM_STATUS_WAIT(polls=1)"), t);
        // The typed uAPI has no op for the TD's GET_STATE: refused before and after (not reached).
        assertEquals(strategy.equals("iommufd-typed-op") ? "NOT_REACHED" : "PASS", r.verdict().name(), strategy);
        // The guest's lock after the bind takes the strategy's guest-request entry, never a VFIO
        // guest-request ioctl no posting has (vfio-ioctl carries guest requests on iommufd).
        assertFalse(t.contains("VFIO_DEVICE_TSM_GUEST_REQUEST"), t);
        ScenarioResult host = run(strategy, List.of());
        assertTrue(String.join("\n", host.trace()).contains("TDVMCALL<MapGPA>"), strategy);
        assertFalse(String.join("\n", host.trace()).contains("TDG.TDI.START"), strategy);
    }
}
