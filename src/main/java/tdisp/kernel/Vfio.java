package tdisp.kernel;

import static tdisp.kernel.ThreadRegisters.origin;

import java.util.List;

import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.KnobSection;
import tdisp.strategy.LastClose;

/**
 * vfio-pci (drivers/vfio/vfio_main.c, drivers/vfio/pci/vfio_pci_core.c, vfio_pci_config.c):
 * one vfio_pci_core_device per function with its {@code dev_set->lock} and
 * {@code memory_lock}. Host events that break a locked TDI (close, reset, FLR, MSE clear,
 * D3 / runtime PM) pass through {@link #hostEvent}, where the strategy's
 * {@code vfio.on-host-event} policy applies, as in Yilun's RFC patch 20/30 ("Do TSM Unbind
 * before zapping bars").
 * <p>One job per file: the per-function state and shared helpers in {@link VfioDevices}, the
 * resets in {@link VfioReset}; here open and close, dma-buf, config writes, the TSM ioctls
 * and snapshots.
 */
public final class Vfio extends VfioReset {
    /** Reads the {@code vfio.*} section. */
    public Vfio(Sim sim, KnobSection.Vfio knobs, PciTsm tsm, Iommufd iommufd, Kvm kvm, List<PciFunction> devices) {
        super(sim, knobs, tsm, iommufd, kvm, devices);
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

    /** The cdev's fd is open in its VMM's file table. */
    public boolean fdOpen(int dev) { return fdOpen[dev]; }

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
                in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, origin(t)))
                  .unlock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK);
            },
            in -> in.step("vfio_basic_config_write", t -> devices.get(t.dev).configWriteCommand(t.arg, origin(t))));
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