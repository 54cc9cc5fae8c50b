package tdisp.platform.cca;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * Arm's teardown order against the host stack: the RMM lets the host unmap a locked
 * TDI's device memory (the realm's next access aborts) but refuses VDEV_UNLOCK while any
 * of it is mapped. TDX is the opposite (TDH.MMIO.UNMAP refused until the TDI is
 * unlocked). The host's unbind must therefore follow the platform's order.
 */
class CcaOrderingTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));
    static final Platform CCA = Platforms.get("cca");
    static final Platform TDX = Platforms.get("tdx-connect");

    static ScenarioResult run(String strategy, Platform p, String scenario, String... sets) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy).withOverrides(List.of(sets)), p, Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).build());
    }

    @Test
    void theRealmsOwnTeardownInvalidatesBeforeItUnlocksAndLeavesNothing() {
        ScenarioResult r = run("iommufd-v5", CCA, "rebind");
        assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), r.firstViolation());
        String trace = String.join("\n", r.trace());
        assertTrue(trace.indexOf("RMI_RTT_DEV_UNMAP = RMI_SUCCESS") < trace.indexOf("RMI_VDEV_UNLOCK = RMI_SUCCESS"), "unmap before unlock");
    }

    @Test
    void unbindingFirstOnCloseMeetsTheRmmsUnmapBeforeUnlockRule() {
        ScenarioResult r = run("iommufd-v5", CCA, "close-vfio-bound", "vfio.last-close=unbind-first");
        assertTrue(r.violated().contains("I2"), r.violated().toString());
        assertTrue(r.firstViolation().startsWith("I2: RMI_VDEV_UNLOCK of dev0 with device granules still mapped"), r.firstViolation());
        // The refused unlock left the TDI locked, so the close's disable still breaks it.
        assertTrue(r.violated().contains("I1"), r.violated().toString());
    }

    @Test
    void aHostUnmapOfALockedTdiIsAllowedOnCcaAndRefusedOnTdx() {
        ScenarioResult cca = run("vfio-ioctl", CCA, "bar-zap-bound", "vfio.on-host-event=none");
        ScenarioResult tdx = run("vfio-ioctl", TDX, "bar-zap-bound", "vfio.on-host-event=none");
        assertTrue(tdx.violated().contains("I2"), "TDH.MMIO.UNMAP refused while bound: " + tdx.violated());
        String trace = String.join("\n", cca.trace());
        assertTrue(trace.contains("RMI_RTT_DEV_UNMAP = RMI_SUCCESS"), "the RMM allows the unmap");
        assertTrue(trace.contains("RIPAS DESTROYED"), "and says what the realm loses");
        assertFalse(cca.firstViolation().contains("RTT_DEV_UNMAP"), cca.firstViolation());
    }

    @Test
    void withoutAGlobalFirmwareLockTheSecureDmaPathNeverCrossesTheHost() {
        assertTrue(CCA.globalFirmwareLock().isEmpty());
        ScenarioResult r = run("kvm-direct", CCA, "happy-bringup");
        String trace = String.join("\n", r.trace());
        assertTrue(trace.contains("fw RSI_VDEV_DMA_ENABLE = RSI_SUCCESS"), "DMA enable is the realm's RSI call");
        assertEquals("yes", r.secureDma());
    }
}
