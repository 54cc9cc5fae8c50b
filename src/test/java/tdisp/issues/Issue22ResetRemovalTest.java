package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.explore.WorldModel;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 22, point 4: "Reset and removal kinds that move verdicts are missing: a
 * conventional (secondary bus / hot) reset, which TDISP treats differently from FLR (check
 * §11 for the state it leaves), and surprise removal (link down, DPC, AER recovery), as
 * scenarios and explorer actions." A conventional reset leaves every TDI CONFIG_UNLOCKED
 * with the session and IDE keys cleared (§11.4.8), where FLR is an ERROR trigger.
 */
class Issue22ResetRemovalTest {
    private static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private static String trace(String platform, String scenario) {
        ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-v5"), Platforms.get(platform), Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).build());
        return String.join("\n", r.trace());
    }

    @Test
    void aHotResetDisablesTheFunctionBeforeTheBusResetAndLeavesTheTdiUnlocked() {
        String t = trace("sev-tio", "hot-reset-bound");
        int save = t.indexOf("pci_reset_bus(dev0) -> pci_dev_save_and_disable");
        int sbr = t.indexOf("pci_bridge_secondary_bus_reset");
        assertTrue(save > t.indexOf("ioctl(vfio, VFIO_DEVICE_PCI_HOT_RESET)"), t);
        // pci_reset_bus() saves and disables each function (Command = INTx-disable, MSE
        // clear: RUN -> ERROR) before the secondary bus reset, as the 7.2 recording shows.
        assertTrue(sbr > save && t.indexOf("RUN -> ERROR", save) > save && t.indexOf("RUN -> ERROR", save) < sbr, t);
        assertTrue(t.indexOf("ERROR -> CONFIG_UNLOCKED", sbr) > sbr, t);
        // The secondary bus reset comes after VFIO revoked the dma-bufs and zapped the BARs.
        assertTrue(t.lastIndexOf("vfio_pci_dma_buf_move(dev0, revoke)", save) > t.indexOf("VFIO_DEVICE_PCI_HOT_RESET"), t);
    }

    @Test
    void aSurpriseRemovalLosesTheLinkBeforePciehpRemovesTheDevice() {
        String t = trace("sev-tio", "surprise-removal-bound");
        int down = t.indexOf("link down");
        int gone = t.indexOf("pci_dev_set_disconnected(dev0)");
        int destroy = t.indexOf("pci_tsm_destroy(dev0)");
        assertTrue(down >= 0 && gone > down && destroy > gone, t);
        assertTrue(t.indexOf("STOP_INTERFACE_REQUEST -> no", down) > down, "the dead device answers nothing");
    }

    @Test
    void dpcRecoveryResetsTheLinkAndNothingUnbinds() {
        String t = trace("tdx-connect", "dpc-recovery-bound");
        int detected = t.indexOf("vfio_pci_core_aer_err_detected");
        int reset = t.indexOf("dpc_reset_link(dev0)");
        int resume = t.indexOf("report_resume");
        assertTrue(detected > 0 && reset > detected && resume > reset, t);
        assertTrue(t.substring(reset, resume).contains("-> CONFIG_UNLOCKED"), t);
        assertFalse(t.substring(detected, resume).contains("pci_tdi[dev0]: bound(vm0) -> unbound"), t);
    }

    @Test
    void theExplorerHasTheResetAndRemovalActions() {
        WorldModel m = new WorldModel(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), 1, 1);
        for (String a : List.of("vmm0 VFIO_DEVICE_PCI_HOT_RESET", "device0 link-down", "device0 DPC", "admin0 hot-unplug")) {
            assertTrue(m.actionIndex(a) >= 0, a);
        }
    }
}
