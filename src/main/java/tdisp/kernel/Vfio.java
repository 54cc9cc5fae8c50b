package tdisp.kernel;

import static tdisp.kernel.ThreadRegisters.ORIGIN;

import java.util.List;

import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.PowerState;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.BoundState;
import tdisp.strategy.HostEventPolicy;
import tdisp.strategy.KnobSection;
import tdisp.strategy.LastClose;

/**
 * vfio-pci (drivers/vfio/vfio_main.c, drivers/vfio/pci/vfio_pci_core.c, vfio_pci_config.c):
 * one vfio_pci_core_device per function with its {@code dev_set->lock} and
 * {@code memory_lock}. Host events that break a locked TDI (close, reset, FLR, MSE clear,
 * D3 / runtime PM) pass through {@link #hostEvent}, where the strategy's
 * {@code vfio.on-host-event} policy applies, as in Yilun's RFC patch 20/30 ("Do TSM Unbind
 * before zapping bars").
 */
public final class Vfio {
    public static final String DEV_SET_LOCK = "dev_set->lock";
    public static final String MEMORY_LOCK = "vdev->memory_lock";
    public static final int PCI_COMMAND_MEMORY = 0x2;
    public static final int PCI_COMMAND_MASTER = 0x4;
    public static final int PCI_COMMAND_INTX_DISABLE = 0x400;

    private final Sim sim;
    private final KnobSection.Vfio knobs;
    private final PciTsm tsm;
    private final Iommufd iommufd;
    private final Kvm kvm;
    private final List<PciFunction> devices;
    private final KLock[] devSetLock;
    private final KLock[] memoryLock;
    private final boolean[] open;
    private final int[] ownerVm;
    /** vfio_pci_core_request() ran: the VMM was asked to release, and tells its guest of the removal. */
    private final boolean[] removalRequested;
    /** The Command register pci_pm_runtime_suspend() saved, for pci_restore_state() at resume. */
    private final int[] pmSavedCommand;
    /** vdev->needs_reset between the function reset and vfio_pci_dev_set_try_reset(). */
    private final boolean[] needsReset;
    /**
     * The BAR dma-buf KVM imported is on vdev->dmabufs with priv->vdev set. Cleared by
     * vfio_pci_dma_buf_cleanup() (list_del_init, priv->vdev = NULL): a later
     * vfio_pci_dma_buf_move() walks an empty list and notifies nobody.
     */
    private final boolean[] dmabufLinked;
    /** The VMM's fd of the cdev is in its file table; close(2) removes it before any release. */
    private final boolean[] fdOpen;
    /** Calls in flight on the cdev's file (fdget): each holds the struct file until fdput. */
    private final int[] callsInFlight;
    private final KernelCopy copies;
    /**
     * vdev->pci_saved_state: Command as vfio_pci_core_enable() saved it at open (after
     * pci_enable_device()); vfio_pci_core_disable() restores it. Set only at open, which the
     * explorer never replays, so it is not part of the saved state.
     */
    private final int[] openCommand;
    /** KVM_DEV_VFIO_FILE_ADD was done: the device holds a KVM reference (false in host-only runs). */
    private boolean kvmAttached = true;

    /** Reads the {@code vfio.*} section. */
    public Vfio(Sim sim, KnobSection.Vfio knobs, PciTsm tsm, Iommufd iommufd, Kvm kvm, List<PciFunction> devices) {
        this.sim = sim;
        this.knobs = knobs;
        this.tsm = tsm;
        this.iommufd = iommufd;
        this.kvm = kvm;
        this.devices = devices;
        int n = devices.size();
        devSetLock = new KLock[n];
        memoryLock = new KLock[n];
        open = new boolean[n];
        ownerVm = new int[n];
        removalRequested = new boolean[n];
        needsReset = new boolean[n];
        pmSavedCommand = new int[n];
        openCommand = new int[n];
        dmabufLinked = new boolean[n];
        fdOpen = new boolean[n];
        callsInFlight = new int[n];
        copies = new KernelCopy(sim, n, true);
        for (int i = 0; i < n; i++) {
            devSetLock[i] = KLock.mutex(DEV_SET_LOCK, "dev" + i);
            memoryLock[i] = KLock.rwsem(MEMORY_LOCK, "dev" + i);
            ownerVm[i] = -1;
        }
        sim.register(devSetLock);
        sim.register(memoryLock);
    }

    public KLock memoryLock(int dev) { return memoryLock[dev]; }

    public boolean isOpen(int dev) { return open[dev]; }

    public int ownerVm(int dev) { return ownerVm[dev]; }

    public boolean removalRequested(int dev) { return removalRequested[dev]; }

    /**
     * Host-only runs (no VM): no KVM file was added to the device, so open takes no KVM
     * reference and the last close puts none. Call before any open and before building paths.
     */
    public void detachKvm() { kvmAttached = false; }

    /** The BAR dma-buf is still on vdev->dmabufs: a revoke reaches its importer (KVM). */
    public boolean dmabufLinked(int dev) { return dmabufLinked[dev]; }

    /** Setup: open the cdev, VFIO_DEVICE_BIND_IOMMUFD (with the KVM file, v5), enable. */
    public int openAndBind(int vm, int dev) {
        if (open[dev]) return Errno.EINVAL; // a cdev is opened once (vfio_df_open: open_count != 0)
        open[dev] = true;
        ownerVm[dev] = vm;
        // vfio_pci_core_enable(): pci_enable_device() turns on memory decode, then pci_save_state().
        openCommand[dev] = devices.get(dev).command() | PCI_COMMAND_MEMORY;
        dmabufLinked[dev] = true; // VFIO_DEVICE_FEATURE_DMA_BUF of the TEE BAR, imported by KVM
        fdOpen[dev] = true;
        if (kvmAttached) kvm.get(vm);
        iommufd.deviceBind(vm, dev);
        return Errno.OK;
    }

    /**
     * fdget() at the entry of a call on the cdev (ioctl, pwrite of the config region): a fd
     * closed (or never this VM's) is -EBADF; an open one holds the struct file until fdput(),
     * so vfio_device_fops_release() cannot begin under it.
     */
    private void fdget(PathBuilder b, String fn) {
        b.step("fdget(vfio cdev)", t -> {
            if (!fdOpen[t.dev] || ownerVm[t.dev] != t.vm) { sim.ret(fn, Errno.EBADF); t.fail(Errno.EBADF); return; }
            callsInFlight[t.dev]++;
            t.flags |= HELD_FILE;
        });
    }

    private static final long HELD_FILE = 1L << 9;

    /** fdput() at the call's return. */
    private void fdput(PathBuilder b) {
        b.cleanup("fdput(vfio cdev)", t -> {
            if ((t.flags & HELD_FILE) != 0) { t.flags &= ~HELD_FILE; callsInFlight[t.dev]--; }
        });
    }

    /** The cdev's fd is open in its VMM's file table. */
    public boolean fdOpen(int dev) { return fdOpen[dev]; }

    /** What VFIO knows of the TDI's bound state, per vfio.bound-state. */
    public boolean knowsBound(int dev) {
        return switch (knobs.boundState()) {
            case NONE -> false;
            case NOTIFIED -> tsm.boundKvm(dev) >= 0;
            case OWNED -> iommufd.tsmBound(dev);
        };
    }

    /**
     * The policy hook before an operation that would break a locked TDI: nothing,
     * vfio_pci_tsm_unbind() first, or refuse with -EBUSY. release() cannot fail, so on
     * close "refuse" degrades to doing nothing.
     */
    private void hostEvent(PathBuilder b, String event, boolean canFail) {
        HostEventPolicy p = knobs.onHostEvent();
        if (p == HostEventPolicy.NONE || knobs.boundState() == BoundState.NONE) return;
        if (p == HostEventPolicy.REFUSE && canFail) {
            b.when("vfio_pci_tsm_bound()", t -> knowsBound(t.dev), in -> in.step("refuse " + event, t -> {
                sim.note("VFIO refuses " + event + ": TDI is bound");
                sim.ret(event, Errno.EBUSY);
                t.fail(Errno.EBUSY);
            }));
            return;
        }
        if (p == HostEventPolicy.REFUSE) return;
        b.when("vfio_pci_tsm_bound()", t -> knowsBound(t.dev), in -> {
            in.step("vfio_pci_tsm_unbind", t -> sim.call("vfio_pci_tsm_unbind(dev" + t.dev + ") before " + event));
            if (knobs.boundState() == BoundState.OWNED) {
                in.step("vfio_iommufd_tsm_unbind", t -> sim.call("vfio_iommufd_tsm_unbind"));
                iommufd.deviceTsmBind(in, false);
            } else {
                tsm.unbind(in);
            }
        });
    }

    /** vfio_pci_zap_and_down_write_memory_lock() + vfio_pci_dma_buf_move(revoke): KVM zaps private MMIO. */
    private void zapAndDownWrite(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_zap_bars", t -> sim.call("vfio_pci_zap_bars(dev" + t.dev + ") + vfio_pci_dma_buf_move(revoke)"));
        if (kvmAttached) b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().dmaBufRevoke(in));
    }

    /**
     * Used by TDX ops->unbind: revoke private MMIO under memory_lock (write). After
     * vfio_pci_dma_buf_cleanup() the list is empty and nobody is notified.
     */
    public void revokePrivateMmio(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_dma_buf_move", t -> sim.call("vfio_pci_dma_buf_move(dev" + t.dev + ", revoke)"));
        if (kvmAttached) b.either("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().dmaBufRevoke(in),
            in -> in.step("vdev->dmabufs empty", t -> sim.note("vdev->dmabufs is empty (vfio_pci_dma_buf_cleanup ran): no importer notified")));
        b.unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
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
    private void coreDisable(PathBuilder b) {
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

    private static String disable(tdisp.sim.KThread t) { return "vfio_pci_core_disable(dev" + t.dev + ") -> "; }

    /**
     * pci_try_reset_function() (drivers/pci/pci.c, 7.2): pci_dev_save_and_disable() saves the
     * config state and writes Command = INTx-disable (MSE and BME off: on a LOCKED or RUN TDI
     * this write, not the reset, is the first ERROR trigger), the device's reset method runs
     * under __pci_reset_function_locked(), and pci_dev_restore() writes the saved state back,
     * Command included. The saved Command lives in t.arg from save to restore (no step between
     * them can be preempted: none takes a lock).
     */
    private void tryResetFunction(PathBuilder b, java.util.function.Function<tdisp.sim.KThread, Origin> origin) {
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

    private static String tryReset(tdisp.sim.KThread t) { return "pci_try_reset_function(dev" + t.dev + ") -> "; }

    /**
     * ops->close_device: the policy hook, then vfio_pci_core_disable() and
     * vfio_pci_dma_buf_cleanup() in the order of vfio.dma-buf-cleanup (Linux 7.2: cleanup first).
     */
    private void closeDevice(PathBuilder b) {
        b.step("vfio_pci_core_close_device", t -> sim.call("ops->close_device = vfio_pci_core_close_device(dev" + t.dev + ")"));
        hostEvent(b, "vfio_pci_core_disable", false);
        if (knobs.dmaBufCleanup() == tdisp.strategy.DmaBufCleanup.BEFORE_DISABLE) {
            dmaBufCleanup(b);
            coreDisable(b);
        } else {
            coreDisable(b);
            dmaBufCleanup(b);
        }
    }

    /**
     * vfio_pci_dma_buf_cleanup() (drivers/vfio/pci/vfio_pci_dmabuf.c): memory_lock for write,
     * revoke every exported BAR dma-buf through vfio_pci_dma_buf_move(), which tells the
     * importers by dma_buf_invalidate_mappings() (7.2; dma_buf_move_notify() before); KVM, the
     * private-MMIO importer, drops its mapping of the TEE BAR. Then each dma-buf leaves
     * vdev->dmabufs (list_del_init, priv->vdev = NULL), whatever the importer's zap did.
     */
    private void dmaBufCleanup(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_dma_buf_cleanup", t -> sim.call("vfio_pci_dma_buf_cleanup(dev" + t.dev + ") -> vfio_pci_dma_buf_move -> dma_buf_invalidate_mappings"));
        if (kvmAttached) b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().dmaBufRevoke(in));
        b.step("list_del_init(&priv->dmabufs_elm)", t -> {
            if (dmabufLinked[t.dev]) sim.state("vfio_pci_dma_buf[dev" + t.dev + "]", "linked", "unlinked");
            dmabufLinked[t.dev] = false;
        });
        b.unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
    }

    private void iommufdUnbind(PathBuilder b) {
        b.step("vfio_df_iommufd_unbind", t -> sim.call("vfio_df_iommufd_unbind(dev" + t.dev + ")"));
        iommufd.deviceUnbind(b);
    }

    /**
     * close(2) of the VFIO cdev: the fd leaves the file table at once; the last fput() runs
     * vfio_device_fops_release() (vfio_df_unbind_iommufd -> vfio_df_close -> last close) once
     * every call that did fdget() has returned (the kernel defers __fput(); the order of
     * effects is the same).
     */
    public void close(PathBuilder b) {
        b.step("close(vfio cdev)", t -> {
            if (!fdOpen[t.dev] || ownerVm[t.dev] != t.vm) { sim.ret("close", Errno.EBADF); t.fail(Errno.EBADF); return; }
            fdOpen[t.dev] = false;
        })
         .waitEvent("__fput after the calls holding the file", t -> callsInFlight[t.dev] == 0)
         .step("vfio_device_fops_release", t -> sim.call("vfio_device_fops_release(dev" + t.dev + ")"))
         .lock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK)
         .step("vfio_df_device_last_close", t -> sim.call("vfio_df_close -> vfio_df_device_last_close"));
        if (knobs.lastClose() == LastClose.CLOSE_DEVICE_FIRST) {
            closeDevice(b);
            iommufdUnbind(b);
        } else {
            iommufdUnbind(b);
            closeDevice(b);
        }
        b.step("vfio_device_put_kvm", t -> { open[t.dev] = false; ownerVm[t.dev] = -1; });
        if (kvmAttached) kvm.put(b, "vfio_device");
        b.unlock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
    }

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
     * A write to the Command register through the config region (vfio_basic_config_write).
     * Clearing MEM zaps the BARs under memory_lock first. New value in t.arg, Origin in ThreadRegisters.ORIGIN.
     */
    public void configWriteCommand(PathBuilder b) {
        fdget(b, "vfio_device_fops_write");
        b.step("vfio_pci_config_rw", t -> { if (sim.tracing()) sim.call("vfio_pci_config_rw(dev" + t.dev + ", PCI_COMMAND = " + hex(t.arg) + ")"); });
        b.either("!new_mem && phys_mem", t -> (t.arg & PCI_COMMAND_MEMORY) == 0 && (devices.get(t.dev).command() & PCI_COMMAND_MEMORY) != 0,
            in -> {
                hostEvent(in, "MSE clear", true);
                zapAndDownWrite(in);
                in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, t.get(ORIGIN)))
                  .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
            },
            in -> in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, t.get(ORIGIN))));
        fdput(b);
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
            tryResetFunction(in, t -> t.get(ORIGIN));
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

    /** VFIO_DEVICE_TSM_BIND / _UNBIND (Yilun RFC): dev_set->lock -> iommufd_device_tsm_bind. */
    public void tsmBindIoctl(PathBuilder b, boolean bind) {
        String fn = bind ? "vfio_pci_ioctl_tsm_bind" : "vfio_pci_ioctl_tsm_unbind";
        fdget(b, fn);
        b.step(fn, t -> sim.call(fn + "(dev" + t.dev + ")"))
         .lock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        if (bind) b.step("pci_request_regions_exclusive", t -> sim.call("pci_request_regions_exclusive(dev" + t.dev + ")"));
        b.step(bind ? "vfio_iommufd_tsm_bind" : "vfio_iommufd_tsm_unbind", t -> sim.call(bind ? "vfio_iommufd_tsm_bind" : "vfio_iommufd_tsm_unbind"));
        iommufd.deviceTsmBind(b, bind);
        b.unlock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        fdput(b);
    }

    /**
     * A guest request through VFIO (the route RFC v2's cover letter floats for MMIO
     * validate; never posted). VFIO holds memory_lock for read so the BAR cannot be zapped
     * while the firmware validates it.
     */
    public void tsmGuestReqIoctl(PathBuilder b) {
        fdget(b, "vfio_pci_ioctl_tsm_guest_req");
        b.step("vfio_pci_ioctl_tsm_guest_req", t -> {
            sim.call("vfio_pci_ioctl_tsm_guest_req");
            sim.assume(tdisp.sim.Assumption.VFIO_GUEST_REQ_MEMORY_LOCK);
        }).lock(t -> memoryLock[t.dev], LockMode.READ, MEMORY_LOCK);
        copies.copyIn(b);
        tsm.guestReq(b);
        copies.copyOut(b);
        b.unlock(t -> memoryLock[t.dev], LockMode.READ, MEMORY_LOCK);
        fdput(b);
    }

    /**
     * Hot-unplug, stop half: the driver unbind reaches vfio_pci_remove(); vfio_unregister_group_dev()
     * asks the user to release the device (vfio_pci_core_request: VFIO_DEVICE_REQ eventfd).
     */
    public void requestRelease(PathBuilder b) {
        b.step("vfio_pci_core_request", t -> {
            sim.call("pci_stop_and_remove_bus_device -> device_release_driver -> vfio_pci_remove -> vfio_pci_core_request");
            removalRequested[t.dev] = true;
        });
    }

    static String hex(int v) { return String.format("%#06x", v); }

    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < open.length; k++) {
            int d = w.at(k);
            w.putBool(open[d]);
            w.putId(ownerVm[d]);
            w.putBool(removalRequested[d]);
            w.putBool(dmabufLinked[d]);
            w.putBool(fdOpen[d]);
            w.put(callsInFlight[d]);
            w.put(openCommand[d]);
            w.putBool(needsReset[d]);
            w.put(pmSavedCommand[d]);
        }
        copies.save(w);
    }

    public void load(tdisp.sim.StateReader r) {
        for (int d = 0; d < open.length; d++) {
            open[d] = r.getBool();
            ownerVm[d] = r.get();
            removalRequested[d] = r.getBool();
            dmabufLinked[d] = r.getBool();
            fdOpen[d] = r.getBool();
            callsInFlight[d] = r.get();
            openCommand[d] = r.get();
            needsReset[d] = r.getBool();
            pmSavedCommand[d] = r.get();
        }
        copies.load(r);
    }
}
