package tdisp.kernel;

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
import tdisp.strategy.Knobs;
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
    private final Knobs knobs;
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

    public Vfio(Sim sim, Knobs knobs, PciTsm tsm, Iommufd iommufd, Kvm kvm, List<PciFunction> devices) {
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

    /** The BAR dma-buf is still on vdev->dmabufs: a revoke reaches its importer (KVM). */
    public boolean dmabufLinked(int dev) { return dmabufLinked[dev]; }

    /** Setup: open the cdev, VFIO_DEVICE_BIND_IOMMUFD (with the KVM file, v5), enable. */
    public int openAndBind(int vm, int dev) {
        if (open[dev]) return Errno.EINVAL; // a cdev is opened once (vfio_df_open: open_count != 0)
        open[dev] = true;
        ownerVm[dev] = vm;
        dmabufLinked[dev] = true; // VFIO_DEVICE_FEATURE_DMA_BUF of the TEE BAR, imported by KVM
        fdOpen[dev] = true;
        kvm.get(vm);
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
        return switch (knobs.vfioBoundState()) {
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
        HostEventPolicy p = knobs.vfioOnHostEvent();
        if (p == HostEventPolicy.NONE || knobs.vfioBoundState() == BoundState.NONE) return;
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
            if (knobs.vfioBoundState() == BoundState.OWNED) {
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
        b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().zapPrivateMmio(in));
    }

    /**
     * Used by TDX ops->unbind: revoke private MMIO under memory_lock (write). After
     * vfio_pci_dma_buf_cleanup() the list is empty and nobody is notified.
     */
    public void revokePrivateMmio(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_dma_buf_move", t -> sim.call("vfio_pci_dma_buf_move(dev" + t.dev + ", revoke)"));
        b.either("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().zapPrivateMmio(in),
            in -> in.step("vdev->dmabufs empty", t -> sim.note("vdev->dmabufs is empty (vfio_pci_dma_buf_cleanup ran): no importer notified")));
        b.unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
    }

    /** vfio_pci_core_disable(), in the kernel's order. */
    private void coreDisable(PathBuilder b) {
        b.step("vfio_pci_core_disable", t -> sim.call("vfio_pci_core_disable(dev" + t.dev + ")"))
         .step("pci_clear_master", t -> {
             PciFunction d = devices.get(t.dev);
             d.configWriteCommand(d.command() & ~PCI_COMMAND_MASTER, Origin.HOST);
             if (sim.tracing()) sim.note("pci_clear_master: Command = " + hex(d.command()));
         })
         .step("pci_write_config_word(PCI_COMMAND, PCI_COMMAND_INTX_DISABLE)", t -> {
             devices.get(t.dev).configWriteCommand(PCI_COMMAND_INTX_DISABLE, Origin.HOST);
             sim.note("PCI_COMMAND = PCI_COMMAND_INTX_DISABLE (MSE=BME=0)");
         })
         .step("__pci_reset_function_locked", t -> {
             sim.call("__pci_reset_function_locked(dev" + t.dev + ") /* FLR */");
             devices.get(t.dev).flr(Origin.HOST);
         })
         .step("pci_restore_state", t -> sim.call("pci_restore_state(dev" + t.dev + ")"));
    }

    /**
     * ops->close_device: the policy hook, then vfio_pci_core_disable() and
     * vfio_pci_dma_buf_cleanup() in the order of vfio.dma-buf-cleanup (Linux 7.2: cleanup first).
     */
    private void closeDevice(PathBuilder b) {
        b.step("vfio_pci_core_close_device", t -> sim.call("ops->close_device = vfio_pci_core_close_device(dev" + t.dev + ")"));
        hostEvent(b, "vfio_pci_core_disable", false);
        if (knobs.vfioDmaBufCleanup() == tdisp.strategy.DmaBufCleanup.BEFORE_DISABLE) {
            dmaBufCleanup(b);
            coreDisable(b);
        } else {
            coreDisable(b);
            dmaBufCleanup(b);
        }
    }

    /**
     * vfio_pci_dma_buf_cleanup() (drivers/vfio/pci/vfio_pci_dmabuf.c): memory_lock for write,
     * revoke every exported BAR dma-buf and dma_buf_move_notify() its importers; KVM, the
     * private-MMIO importer, drops its mapping of the TEE BAR. Then each dma-buf leaves
     * vdev->dmabufs (list_del_init, priv->vdev = NULL), whatever the importer's zap did.
     */
    private void dmaBufCleanup(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_dma_buf_cleanup", t -> sim.call("vfio_pci_dma_buf_cleanup(dev" + t.dev + ") -> dma_buf_move_notify"));
        b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().zapPrivateMmio(in));
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
        if (knobs.vfioLastClose() == LastClose.CLOSE_DEVICE_FIRST) {
            closeDevice(b);
            iommufdUnbind(b);
        } else {
            iommufdUnbind(b);
            closeDevice(b);
        }
        b.step("vfio_device_put_kvm", t -> { open[t.dev] = false; ownerVm[t.dev] = -1; });
        kvm.put(b, "vfio_device");
        b.unlock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
    }

    /** VFIO_DEVICE_RESET: vfio_pci_ioctl_reset. */
    public void resetIoctl(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_ioctl_reset", t -> sim.call("vfio_pci_ioctl_reset(dev" + t.dev + ")"));
        hostEvent(b, "VFIO_DEVICE_RESET", true);
        zapAndDownWrite(b);
        b.step("pci_try_reset_function", t -> {
            sim.call("pci_try_reset_function(dev" + t.dev + ") /* FLR */");
            devices.get(t.dev).flr(Origin.HOST);
        }).unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
        fdput(b);
    }

    /**
     * VFIO_DEVICE_PCI_HOT_RESET: vfio_pci_dev_set_hot_reset() under dev_set->lock takes each
     * device's memory_lock for write, revokes its dma-bufs and zaps its BARs, then
     * pci_reset_bus(): a secondary bus reset, a conventional reset of the device, which
     * moves every TDI to CONFIG_UNLOCKED and clears the SPDM and IDE keys (PCIe TDISP
     * §11.4.8), not ERROR (drivers/vfio/pci/vfio_pci_core.c, 7.2).
     */
    public void hotResetIoctl(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_ioctl_pci_hot_reset", t -> sim.call("vfio_pci_ioctl_pci_hot_reset(dev" + t.dev + ") -> vfio_pci_dev_set_hot_reset"));
        hostEvent(b, "VFIO_DEVICE_PCI_HOT_RESET", true);
        b.lock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        zapAndDownWrite(b);
        b.step("pci_reset_bus", t -> {
            sim.call("pci_reset_bus(dev" + t.dev + ") /* secondary bus reset */");
            devices.get(t.dev).conventionalReset(Origin.HOST);
        }).unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
          .unlock(t -> devSetLock[t.dev], LockMode.MUTEX, DEV_SET_LOCK);
        fdput(b);
    }

    /**
     * A write to the Command register through the config region (vfio_basic_config_write).
     * Clearing MEM zaps the BARs under memory_lock first. New value in t.arg, Origin in t.msg.
     */
    public void configWriteCommand(PathBuilder b) {
        fdget(b, "vfio_device_fops_write");
        b.step("vfio_pci_config_rw", t -> { if (sim.tracing()) sim.call("vfio_pci_config_rw(dev" + t.dev + ", PCI_COMMAND = " + hex(t.arg) + ")"); });
        b.either("!new_mem && phys_mem", t -> (t.arg & PCI_COMMAND_MEMORY) == 0 && (devices.get(t.dev).command() & PCI_COMMAND_MEMORY) != 0,
            in -> {
                hostEvent(in, "MSE clear", true);
                zapAndDownWrite(in);
                in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, (Origin) t.msg))
                  .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
            },
            in -> in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, (Origin) t.msg)));
        fdput(b);
    }

    /**
     * Initiate FLR in Device Control: vfio_exp_config_write() zaps and takes memory_lock for
     * write, then pci_try_reset_function() (drivers/vfio/pci/vfio_pci_config.c).
     */
    public void flrConfigWrite(PathBuilder b) {
        fdget(b, "vfio_device_fops_write");
        b.step("vfio_exp_config_write", t -> sim.call("vfio_exp_config_write(dev" + t.dev + ", PCI_EXP_DEVCTL_BCR_FLR)"));
        hostEvent(b, "FLR", true);
        zapAndDownWrite(b);
        b.step("pci_try_reset_function(FLR)", t -> {
            sim.call("pci_try_reset_function(dev" + t.dev + ")");
            devices.get(t.dev).flr((Origin) t.msg);
        }).unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
        fdput(b);
    }

    /** VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY then exit: runtime PM to D3hot and back. */
    public void runtimePmCycle(PathBuilder b) {
        fdget(b, "vfio_device_fops_unl_ioctl");
        b.step("vfio_pci_runtime_pm_entry", t -> sim.call("vfio_pci_runtime_pm_entry(dev" + t.dev + ")"));
        hostEvent(b, "runtime PM entry", true);
        zapAndDownWrite(b);
        b.step("pm_runtime_put -> D3hot", t -> devices.get(t.dev).setPowerState(PowerState.D3HOT, Origin.HOST))
         .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_runtime_pm_exit", t -> sim.call("vfio_pci_runtime_pm_exit(dev" + t.dev + ")"))
         .lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("pm_runtime_resume -> D0", t -> devices.get(t.dev).setPowerState(PowerState.D0, Origin.HOST))
         .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
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
        b.step("vfio_pci_ioctl_tsm_guest_req", t -> sim.call("vfio_pci_ioctl_tsm_guest_req"))
         .lock(t -> memoryLock[t.dev], LockMode.READ, MEMORY_LOCK);
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
        }
        copies.load(r);
    }
}
