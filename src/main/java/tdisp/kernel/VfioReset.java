package tdisp.kernel;

import java.util.List;

import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.PowerState;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.KnobSection;

/**
 * VFIO's resets: vfio_pci_core_disable() at last close, pci_try_reset_function() behind
 * VFIO_DEVICE_RESET and an FLR written to Device Control, the dev_set hot reset, and the
 * runtime-PM cycle (drivers/vfio/pci/vfio_pci_core.c, vfio_pci_config.c, drivers/pci/pci.c).
 */
public abstract sealed class VfioReset extends VfioDevices permits Vfio {
    VfioReset(Sim sim, KnobSection.Vfio knobs, PciTsm tsm, Iommufd iommufd, Kvm kvm, List<PciFunction> devices) {
        super(sim, knobs, tsm, iommufd, kvm, devices);
    }

    /**
     * vfio_pci_core_disable() (drivers/vfio/pci/vfio_pci_core.c, 7.2), from pci_clear_master()
     * on: Command loses BME, then is set to INTx-disable alone; the function is reset by the
     * device's method (__pci_reset_function_locked() directly: no save and disable around it,
     * the state to restore is the one saved at open); pci_restore_state() puts that state back,
     * pci_disable_device() clears BME again, vfio_pci_dev_set_try_reset() bus-resets the dev_set
     * when the function reset did not run (pci_dev_trylock() fails while a removal holds the
     * device lock), and pm_runtime_put()
     * drops the usage count taken at enable (the runtime suspend it may start is not modelled).
     * Each call is printed under vfio_pci_core_disable(), as the kernel nests it.
     */
    void coreDisable(PathBuilder b) {
        b.step("pci_clear_master", t -> {
            PciFunction d = devices.get(t.dev);
            sim.call(disable(t) + "pci_clear_master");
            d.configWriteCommand(d.command() & ~PCI_COMMAND_MASTER, Origin.HOST);
            if (sim.tracing()) sim.note("pci_clear_master: Command = " + hex(d.command()));
        })
         .step("pci_write_config_word(PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)", t -> {
             sim.call(disable(t) + "pci_write_config_word(PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)");
             devices.get(t.dev).configWriteCommand(PCI_COMMAND_INTX_DISABLE, Origin.HOST);
         })
         .step("__pci_reset_function_locked", t -> {
             PciFunction d = devices.get(t.dev);
             // pci_dev_trylock() fails while device_release_driver() (a removal waiting for this
             // release) holds the device lock: no function reset, needs_reset stays set.
             needsReset[t.dev] = removalRequested[t.dev];
             if (needsReset[t.dev]) {
                 if (sim.tracing()) sim.note("pci_dev_trylock(dev" + t.dev + ") fails: the removal holds the device lock");
                 return;
             }
             sim.call(disable(t) + "__pci_reset_function_locked -> " + d.resetMethod().fn());
             d.functionReset(Origin.HOST);
         })
         .step("pci_restore_state", t -> {
             PciFunction d = devices.get(t.dev);
             sim.call(disable(t) + "pci_restore_state");
             d.configWriteCommand(openCommand[t.dev], Origin.HOST);
         })
         .step("pci_disable_device", t -> {
             PciFunction d = devices.get(t.dev);
             sim.call(disable(t) + "pci_disable_device");
             d.configWriteCommand(d.command() & ~PCI_COMMAND_MASTER, Origin.HOST);
             if (sim.tracing()) sim.note("pci_disable_device: Command = " + hex(d.command()));
         })
         .step("vfio_pci_dev_set_try_reset", t -> {
             // The dev_set's bus reset when the function reset did not happen (the kernel's
             // hot-unplug-open recording: pci_reset_bus at the release after device_del).
             if (!needsReset[t.dev]) { sim.call(disable(t) + "vfio_pci_dev_set_try_reset"); return; }
             sim.call(disable(t) + "vfio_pci_dev_set_try_reset -> pci_reset_bus");
             devices.get(t.dev).conventionalReset(Origin.HOST);
             needsReset[t.dev] = false;
         })
         .step("pm_runtime_put", t -> sim.call(disable(t) + "pm_runtime_put"));
    }

    static String disable(tdisp.sim.KThread t) { return "vfio_pci_core_disable(dev" + t.dev + ") -> "; }

    /**
     * pci_try_reset_function() (drivers/pci/pci.c, 7.2): pci_dev_save_and_disable() saves the
     * config state and writes Command = INTx-disable (MSE and BME off: on a LOCKED or RUN TDI
     * this write, not the reset, is the first ERROR trigger), the device's reset method runs
     * under __pci_reset_function_locked(), and pci_dev_restore() writes the saved state back,
     * Command included. The saved Command lives in t.arg from save to restore (no step between
     * them can be preempted: none takes a lock).
     */
    void tryResetFunction(PathBuilder b, java.util.function.Function<tdisp.sim.KThread, Origin> origin) {
        b.step("pci_save_state", t -> {
            PciFunction d = devices.get(t.dev);
            sim.call(tryReset(t) + "pci_dev_save_and_disable -> pci_save_state");
            t.arg = d.command();
        })
         .step("pci_dev_save_and_disable", t -> {
             sim.call(tryReset(t) + "pci_dev_save_and_disable -> pci_write_config_word(PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)");
             devices.get(t.dev).configWriteCommand(PCI_COMMAND_INTX_DISABLE, origin.apply(t));
         })
         .step("__pci_reset_function_locked", t -> {
             PciFunction d = devices.get(t.dev);
             sim.call(tryReset(t) + "__pci_reset_function_locked -> " + d.resetMethod().fn());
             d.functionReset(origin.apply(t));
         })
         .step("pci_dev_restore", t -> {
             PciFunction d = devices.get(t.dev);
             sim.call(tryReset(t) + "pci_dev_restore -> pci_restore_state");
             d.configWriteCommand(t.arg, origin.apply(t));
             if (sim.tracing()) sim.note("pci_dev_restore: Command = " + hex(d.command()));
         });
    }

    static String tryReset(tdisp.sim.KThread t) { return "pci_try_reset_function(dev" + t.dev + ") -> "; }

    /**
     * VFIO_DEVICE_RESET: vfio_pci_ioctl_reset(): zap and memory_lock for write, revoke the
     * dma-bufs, pci_try_reset_function() (drivers/vfio/pci/vfio_pci_core.c, 7.2). On a file
     * already released the ioctl(2) fails in fdget() with EBADF and VFIO never runs.
     */
    public void resetIoctl(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_ioctl_reset", t -> sim.call("vfio_pci_ioctl_reset(dev" + t.dev + ")"));
        hostEvent(b, "VFIO_DEVICE_RESET", true);
        zapAndDownWrite(b);
        tryResetFunction(b, t -> Origin.HOST);
        b.unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
        fdput(b);
    }

    /**
     * VFIO_DEVICE_PCI_HOT_RESET: vfio_pci_dev_set_hot_reset() under dev_set->lock takes each
     * device's memory_lock for write, revokes its dma-bufs and zaps its BARs, then
     * pci_reset_bus(): pci_dev_save_and_disable() (Command to INTx-disable alone), a
     * secondary bus reset (pci_bridge_secondary_bus_reset(): a conventional reset of the
     * device, which moves every TDI to CONFIG_UNLOCKED and clears the SPDM and IDE keys, PCIe
     * TDISP §11.4.8, not ERROR), pci_dev_restore() puts the saved config state back; the
     * dma-bufs are un-revoked if memory is enabled again (drivers/vfio/pci/vfio_pci_core.c,
     * drivers/pci/pci.c, 7.2).
     */
    public void hotResetIoctl(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_ioctl_pci_hot_reset", t -> sim.call(hotReset(t)));
        hostEvent(b, "VFIO_DEVICE_PCI_HOT_RESET", true);
        b.lock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_dma_buf_move", t -> sim.call(hotReset(t) + " -> vfio_pci_dma_buf_move(dev" + t.dev + ", revoke) + vfio_pci_zap_bars"));
        if (kvmAttached) b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().dmaBufRevoke(in));
        b.step("pci_dev_save_and_disable", t -> {
            PciFunction d = devices.get(t.dev);
            sim.call(hotReset(t) + " -> pci_reset_bus(dev" + t.dev + ") -> pci_dev_save_and_disable -> pci_save_state");
            sim.call(hotReset(t) + " -> pci_reset_bus(dev" + t.dev + ") -> pci_dev_save_and_disable"
                    + " -> pci_write_config_word(PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)");
            t.arg = d.command();
            d.configWriteCommand(PCI_COMMAND_INTX_DISABLE, Origin.HOST);
        }).step("pci_bridge_secondary_bus_reset", t -> {
            sim.call(hotReset(t) + " -> pci_reset_bus(dev" + t.dev + ") -> pci_bridge_secondary_bus_reset /* secondary bus reset */");
            devices.get(t.dev).conventionalReset(Origin.HOST);
        }).step("pci_dev_restore", t -> {
            PciFunction d = devices.get(t.dev);
            sim.call(hotReset(t) + " -> pci_reset_bus(dev" + t.dev + ") -> pci_dev_restore -> pci_restore_state");
            d.configWriteCommand(t.arg, Origin.HOST);
            if ((d.command() & PCI_COMMAND_MEMORY) != 0) sim.call(hotReset(t) + " -> vfio_pci_dma_buf_move(dev" + t.dev + ", unrevoke)");
        }).unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
          .unlock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        fdput(b);
    }

    private static String hotReset(tdisp.sim.KThread t) {
        return "vfio_pci_ioctl_pci_hot_reset(dev" + t.dev + ") -> vfio_pci_dev_set_hot_reset";
    }

    /**
     * Initiate FLR in Device Control: vfio_exp_config_write() resets only a function whose
     * Device Capabilities advertise FLR; then it zaps and takes memory_lock for write, and calls
     * pci_try_reset_function() (drivers/vfio/pci/vfio_pci_config.c, 7.2), which resets by the
     * device's method. A function with the FLR capability has FLR first among the methods the
     * model knows (pci_reset_fn_methods[] tries flr before pm and bus), so the capability is
     * read off the reset method.
     */
    public void flrConfigWrite(PathBuilder b) {
        fdget(b, "vfio_device_fops_write");
        b.step("vfio_exp_config_write", t -> sim.call("vfio_exp_config_write(dev" + t.dev + ", PCI_EXP_DEVCTL_BCR_FLR)"));
        b.when("cap & PCI_EXP_DEVCAP_FLR", t -> devices.get(t.dev).resetMethod() == tdisp.device.ResetMethod.FLR, in -> {
            hostEvent(in, "FLR", true);
            zapAndDownWrite(in);
            tryResetFunction(in, ThreadRegisters::origin);
            in.unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
        });
        fdput(b);
    }

    /** VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY then exit: runtime PM to D3hot and back. */
    public void runtimePmCycle(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_runtime_pm_entry", t -> sim.call("vfio_pci_runtime_pm_entry(dev" + t.dev + ")"));
        hostEvent(b, "runtime PM entry", true);
        zapAndDownWrite(b);
        // pci_pm_runtime_suspend() saves the config state (pci_save_state) as it goes to D3hot.
        b.step("pm_runtime_put -> D3hot", t -> {
            PciFunction d = devices.get(t.dev);
            pmSavedCommand[t.dev] = d.command();
            d.setPowerState(PowerState.D3HOT, Origin.HOST);
        })
         .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         // The exit ioctl resumes the device before VFIO sees it (vfio_device_fops_unl_ioctl()
         // takes a runtime-PM reference first): pci_pm_runtime_resume() -> pci_restore_state()
         // puts Command back, then vfio_pci_runtime_pm_exit() (the runtime-pm recording's order).
         .step("pci_pm_runtime_resume -> D0", t -> {
             PciFunction d = devices.get(t.dev);
             // Whether the TDI survives rests on the device's No_Soft_Reset, which no source gives.
             if (d.powerState() == PowerState.D3HOT && d.tdiState() != tdisp.device.TdiState.CONFIG_UNLOCKED) {
                 sim.assume(tdisp.sim.Assumption.D3HOT_LOSES_STATE);
             }
             d.setPowerState(PowerState.D0, Origin.HOST);
             sim.call("pci_pm_runtime_resume(dev" + t.dev + ") -> pci_restore_state");
             d.configWriteCommand(pmSavedCommand[t.dev], Origin.HOST);
         })
         .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_runtime_pm_exit", t -> sim.call("vfio_pci_runtime_pm_exit(dev" + t.dev + ")"));
        fdput(b);
    }

}
