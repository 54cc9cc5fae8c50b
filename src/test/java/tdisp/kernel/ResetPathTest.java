package tdisp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.device.ErrorTrigger;
import tdisp.device.PciFunction;
import tdisp.device.ResetMethod;
import tdisp.device.TdiState;
import tdisp.platform.Platforms;
import tdisp.referee.Projection;
import tdisp.scenario.Actions;
import tdisp.scenario.HostScenarios;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * Reset paths as drivers/pci/pci.c and drivers/vfio/pci/vfio_pci_core.c (7.2) run them:
 * pci_try_reset_function() saves and clears Command before the device's reset method and
 * restores it after; vfio_pci_core_disable() ends with pci_restore_state(),
 * pci_disable_device(), vfio_pci_dev_set_try_reset() and pm_runtime_put().
 */
class ResetPathTest {
    static final Strategy V5 = StrategyCatalog.load(Path.of("strategies")).get("iommufd-v5");

    static World bound(ResetMethod m) {
        World w = new World(WorldConfig.builder(V5, Platforms.get("sev-tio")).build());
        w.device(0).setResetMethod(m);
        w.setup();
        Actions.bringUp(w, 0);
        return w;
    }

    @Test
    void aVfioResetOfARunningTdiBreaksItFirstByClearingCommandNotByTheFlr() {
        World w = bound(ResetMethod.FLR);
        Actions.vmmResetIoctl(w, 0);
        assertEquals(ErrorTrigger.COMMAND_MSE_CLEAR, w.device(0).errorCauses().get(0).trigger());
        assertEquals(1, w.device(0).errorCauses().size(), "the FLR finds the TDI in ERROR already");
    }

    @Test
    void anEmulatedFlrBlamesTheCommandClearOfPciDevSaveAndDisable() {
        World w = bound(ResetMethod.FLR);
        Actions.guestFlr(w, 0);
        assertEquals(ErrorTrigger.COMMAND_MSE_CLEAR, w.device(0).errorCauses().get(0).trigger());
    }

    @Test
    void commandIsRestoredAfterTheReset() {
        World w = HostScenarios.run(V5, Platforms.get("sev-tio"), HostScenarios.all().get("vfio-device-reset"), 1);
        assertEquals(PciFunction.PCI_COMMAND_MEMORY, w.device(0).command() & PciFunction.PCI_COMMAND_MEMORY);
        World b = bound(ResetMethod.FLR);
        int before = b.device(0).command();
        Actions.vmmResetIoctl(b, 0);
        assertEquals(before, b.device(0).command());
    }

    @Test
    void theResetMethodIsThePropertyOfTheDevice() {
        World bus = bound(ResetMethod.BUS);
        Actions.vmmResetIoctl(bus, 0);
        // A secondary bus reset is a conventional reset: the TDI leaves ERROR for CONFIG_UNLOCKED.
        assertEquals(TdiState.CONFIG_UNLOCKED, bus.device(0).tdiState());
        assertTrue(calls(bus).contains("pci_reset_bus_function"), calls(bus).toString());
        World pm = bound(ResetMethod.PM);
        Actions.vmmResetIoctl(pm, 0);
        assertTrue(calls(pm).contains("pci_pm_reset"), calls(pm).toString());
        assertTrue(!calls(pm).contains("pcie_reset_flr"));
    }

    @Test
    void anFlrWrittenToAFunctionWithoutTheFlrCapabilityResetsNothing() {
        World pm = bound(ResetMethod.PM);
        Actions.guestFlr(pm, 0);
        assertEquals(TdiState.RUN, pm.device(0).tdiState());
        assertTrue(!calls(pm).contains("pci_try_reset_function"), calls(pm).toString());
        World flr = bound(ResetMethod.FLR);
        Actions.guestFlr(flr, 0);
        assertTrue(calls(flr).contains("pci_try_reset_function"), calls(flr).toString());
    }

    @Test
    void theLastCloseEndsAsVfioPciCoreDisableDoes() {
        World w = HostScenarios.run(V5, Platforms.get("sev-tio"), HostScenarios.all().get("close-vfio-first"), 1);
        List<String> c = calls(w);
        List<String> tail = List.of("__pci_reset_function_locked", "pcie_reset_flr", "pci_restore_state", "pci_disable_device",
                "vfio_pci_dev_set_try_reset", "pm_runtime_put");
        int at = c.indexOf("__pci_reset_function_locked");
        assertEquals(tail, c.subList(at, at + tail.size()));
        // pci_restore_state() gave back the memory decode saved at enable; pci_disable_device() leaves BME off.
        assertEquals(PciFunction.PCI_COMMAND_MEMORY, w.device(0).command() & (PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_MASTER));
    }

    static List<String> calls(World w) {
        return Projection.project(w.sim().trace(), n -> !n.equals(n.toUpperCase(java.util.Locale.ROOT))).stream().map(c -> c.name()).toList();
    }

}
