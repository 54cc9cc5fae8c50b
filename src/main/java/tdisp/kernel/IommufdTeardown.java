package tdisp.kernel;

import tdisp.iommu.Iommu;
import tdisp.sim.Errno;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.KnobSection;

/** iommufd's object destruction: IOMMU_DESTROY, the idevice unbind that waits for its vDEVICE, and the ctx release (drivers/iommu/iommufd/main.c, device.c, viommu.c). */
public abstract sealed class IommufdTeardown extends IommufdObjects permits IommufdTsmOps {
    IommufdTeardown(Sim sim, KnobSection.Iommufd knobs, KnobSection.Bind bind, KnobSection.Vfio vfio, PciTsm tsm, Kvm kvm, Iommu iommu, int[] rids, int vms,
            IommufdFaults faults) {
        super(sim, knobs, bind, vfio, tsm, kvm, iommu, rids, vms, faults);
    }

    // ---- destruction ----

    /**
     * iommufd_vdevice_abort() (6.17+), caller holds igroup->lock: unbind the TDI, drop the
     * viommu ref, clear idev->vdev. Before 6.17 the vDEVICE had no idev pointer: it held the
     * struct device itself (get_device()), so destroying it after the idevice is not a use
     * after free, only an unbind that runs after VFIO has released the device.
     */
    void vdeviceAbort(PathBuilder b) {
        boolean modern = modern();
        b.step("iommufd_vdevice_abort", t -> sim.call((modern ? "iommufd_vdevice_abort(dev" : "iommufd_vdevice_destroy(dev") + t.dev + ")"));
        if (modern) b.step("vdev->idev->dev", t -> idevice[t.dev].use("iommufd_vdevice_abort"));
        else b.step("vdev->dev", t -> {
            if (idevice[t.dev].freed()) sim.note("vDEVICE outlives its idevice: VFIO already released the device");
        });
        if (yilun()) {
            b.when("vdev->tsm_bound", t -> tsmBound[t.dev], in -> {
                in.lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
                tsm.unbind(in);
                in.step("vdev->tsm_bound = false", t -> tsmBound[t.dev] = false)
                  .unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
            });
        } else if (bind.entry() != tdisp.strategy.Entry.KVM) {
            // The vDEVICE carries the TSM binding only where iommufd routes bind (v5, RFC v2);
            // v7's vdev->destroy drops the TSM context vdevice_init took.
            b.step("tsm_unbind", t -> sim.call(bind.atVdeviceAlloc()
                    ? "vdev->destroy -> tsm_unbind(dev" + t.dev + ")" : "tsm_unbind(dev" + t.dev + ")"));
            tsm.unbind(b);
        }
        b.step(modern ? "idev->vdev = NULL" : "put_device, viommu", t -> {
            viommu[vdevOwner[t.dev]].put();
            vdevOwner[t.dev] = -1;
        });
    }

    /**
     * iommufd_vdevice_destroy(): abort under igroup->lock, then (6.17+) iommufd_put_object()
     * on the idev, which drops the wait_cnt the vDEVICE held and frees the vDEVICE's memory.
     */
    void vdeviceDestroy(PathBuilder b) {
        boolean modern = modern();
        if (modern) b.step("iommufd_vdevice_destroy", t -> sim.call("iommufd_vdevice_destroy(dev" + t.dev + ")"));
        b.lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
        vdeviceAbort(b);
        b.unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("iommufd_put_object(idev)", t -> {
             if (modern && !idevice[t.dev].freed()) { idevice[t.dev].put(); idevWait[t.dev]--; }
             // The last users reference: the vDEVICE's memory goes (kfree in iommufd_object_remove).
             vdevice[t.dev].put();
         });
    }

    void mockDestroy(PathBuilder b) {
        b.step("iommufd_selftest_destroy", t -> {
            sim.call("iommufd_selftest_destroy(mock device of dev" + t.dev + ")");
            sim.call("iommufd_selftest_destroy(mock device of dev" + t.dev + ") -> iommufd_device_detach(dev" + t.dev + ")");
        });
        deviceUnbind(b);
    }

    /**
     * IOMMU_DESTROY(vdevice_id): iommufd_object_remove(ictx, NULL, id, 0). No REMOVE_WAIT:
     * an ioctl still holding the object (users > 1) makes it -EBUSY; a tombstone is -ENOENT.
     */
    public void destroyVdeviceIoctl(PathBuilder b) {
        b.step("iommufd_destroy", t -> {
            sim.call("iommufd_destroy(vdevice of dev" + t.dev + ") -> iommufd_object_remove");
            if (!fdOpen[t.vm]) { sim.ret("iommufd_destroy", Errno.EBADF); t.fail(Errno.EBADF); return; }
            if (vdevXa[t.dev] != XA_OBJ || vdevOwner[t.dev] != t.vm) { sim.ret("iommufd_object_remove", Errno.ENOENT); t.fail(Errno.ENOENT); return; }
            if (vdevice[t.dev].refs() != 1 || faultDestroyBusy) { sim.ret("iommufd_object_remove", Errno.EBUSY); t.fail(Errno.EBUSY); return; }
            vdevXa[t.dev] = XA_NONE;
            vdevXaCtx[t.dev] = -1;
            vdevWait[t.dev]--;
        });
        vdeviceDestroy(b);
    }

    /**
     * iommufd_object_dec_wait(): drop the xarray's wait_cnt and sleep on ictx->destroy_wait
     * until every iommufd_get_object() holder has put it (REMOVE_WAIT). The fault skips the
     * sleep, as the kernel did before the 6.17 vDEVICE lifecycle work.
     */
    void decWaitVdevice(PathBuilder b) {
        b.step("iommufd_object_dec_wait(vdevice)", t -> { sim.call("iommufd_object_dec_wait(vdevice of dev" + t.dev + ")"); vdevWait[t.dev]--; });
        if (!faultNoRemoveWait) b.waitEvent("wait_event(ictx->destroy_wait, wait_cnt == 0)", t -> vdevWait[t.dev] <= 0);
    }

    /**
     * iommufd_device_remove_vdev() (6.17+), the idevice's pre_destroy: under igroup->lock set
     * idev->destroying, take a users ref on a live vDEVICE, then iommufd_object_tombstone_user()
     * = iommufd_object_remove(REMOVE_WAIT | REMOVE_OBJ_TOMBSTONE): wait for the holders, leave
     * XA_ZERO_ENTRY in the id's slot and destroy. If userspace already removed the vDEVICE from
     * the xarray, its own IOMMU_DESTROY finishes the destroy; the idevice waits for that below.
     */
    void removeVdev(PathBuilder b) {
        b.step("iommufd_device_pre_destroy", t -> sim.call("iommufd_device_pre_destroy -> iommufd_device_remove_vdev(dev" + t.dev + ")"))
         .lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("idev->destroying = true", t -> {
             idevDestroying[t.dev] = true;
             t.ret = vdevOwner[t.dev] >= 0 && vdevXa[t.dev] == XA_OBJ && vdevWait[t.dev] > 0 ? 1 : 0;
             if (t.ret == 1) vdevice[t.dev].get(); // iommufd_get_vdevice + refcount_inc(users) + iommufd_put_object
         })
         .unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
        b.when("vdev alive", t -> t.ret == 1, in -> {
            in.step("iommufd_object_tombstone_user", t -> sim.call("iommufd_object_tombstone_user(vdevice of dev" + t.dev + ")"));
            decWaitVdevice(in);
            in.step("xas_store(XA_ZERO_ENTRY)", t -> {
                vdevice[t.dev].put(); // the caller's users ref, put under xa_lock
                vdevXa[t.dev] = XA_TOMBSTONE;
            });
            vdeviceDestroy(in);
        });
    }

    /**
     * iommufd_device_unbind() from VFIO's close: iommufd_object_destroy_user(idev) with
     * REMOVE_WAIT. Since 6.17 the idevice's wait_cnt holder is its vDEVICE, so
     * iommufd_object_dec_wait() runs pre_destroy and sleeps until the vDEVICE is gone. The
     * legacy order frees the idevice under a live vdevice.
     */
    public void deviceUnbind(PathBuilder b) {
        b.step("iommufd_device_unbind", t -> sim.call("iommufd_device_unbind(dev" + t.dev + ") -> iommufd_object_destroy_user"));
        if (modern()) {
            b.step("iommufd_object_dec_wait(idev)", t -> idevWait[t.dev]--);
            b.when("wait_cnt != 0", t -> idevWait[t.dev] > 0, in -> {
                removeVdev(in);
                in.waitEvent("wait_event(ictx->destroy_wait, idev wait_cnt == 0)", t -> idevWait[t.dev] <= 0);
            });
        }
        b.step("iommufd_device_destroy", t -> {
            int owner = idevOwner[t.dev];
            iommu.detach(rids[t.dev]);
            idevice[t.dev].forceFree();
            idevOwner[t.dev] = -1;
            idevDestroying[t.dev] = false;
            t.savedVm = t.vm;
            t.vm = owner;
        });
        if (!selftestMock) ictxPut(b);
        b.step("restore vm", t -> { t.vm = t.savedVm; t.savedVm = -1; });
    }

    /**
     * iommufd_ctx_put() = fput(ictx->file); the last put runs iommufd_fops_release()'s object
     * teardown (t.vm = ictx). An ioctl in flight holds the file too, so the release cannot run
     * before it returns: the last putter waits for it (the kernel defers __fput() instead; the
     * order of effects is the same).
     */
    public void ictxPut(PathBuilder b) {
        b.waitEvent("__fput after the ioctls holding the file", t -> ictx[t.vm].refs() > 1 || ioctlsInFlight[t.vm] == 0);
        b.when("iommufd_ctx_put: last ref", t -> ictx[t.vm].put(), this::release);
    }

    /** close(iommufd): the fd's reference; VFIO devices still bound keep the ctx alive. */
    public void closeFd(PathBuilder b) {
        // close(2) drops the fd's file reference; iommufd_fops_release() runs only at the last
        // fput, which a VFIO device still bound defers (iommufd_ctx_get() took the file).
        b.step("fput(iommufd file)", t -> {
            if (!fdOpen[t.vm]) { t.fail(Errno.EBADF); return; }
            fdOpen[t.vm] = false;
        });
        ictxPut(b);
    }

    /** Destroy what is left in the ctx: vdevices, then the vIOMMU (dropping its KVM ref). */
    void release(PathBuilder b) {
        b.step("iommufd_object_destroy_all", t -> sim.call("iommufd_fops_release(vm" + t.vm + "): destroy the remaining objects, leaves first"));
        if (selftestMock) {
            // The mock device's object: destroyed with the ctx, its idevice unbinding (vDEVICE and all).
            for (int d = 0; d < rids.length; d++) {
                final int dev = d;
                b.when("mock device " + d + " in ctx", t -> idevOwner[dev] == t.vm && !idevice[dev].freed(), in -> {
                    in.step("select dev" + dev, t -> { t.savedDev = t.dev; t.dev = dev; });
                    mockDestroy(in);
                    in.step("restore dev", t -> { t.dev = t.savedDev; t.savedDev = -1; });
                });
            }
        }
        for (int d = 0; d < rids.length; d++) {
            final int dev = d;
            // xa_for_each: live objects are destroyed, tombstones (XA_ZERO_ENTRY) only erased.
            b.step("xa_erase tombstone " + d, t -> {
                if (vdevXa[dev] == XA_TOMBSTONE && vdevOwner[dev] < 0 && vdevXaCtx[dev] == t.vm) { vdevXa[dev] = XA_NONE; vdevXaCtx[dev] = -1; }
            });
            b.when("vdevice[" + d + "] in ctx", t -> vdevXa[dev] == XA_OBJ && vdevOwner[dev] == t.vm, in -> {
                in.step("select dev" + dev, t -> { t.savedDev = t.dev; t.dev = dev; vdevXa[dev] = XA_NONE; vdevXaCtx[dev] = -1; vdevWait[dev]--; });
                vdeviceDestroy(in);
                in.step("restore dev", t -> { t.dev = t.savedDev; t.savedDev = -1; });
            });
        }
        b.when("viommu", t -> viommu[t.vm] != null && !viommu[t.vm].freed(), in -> {
            in.step("iommufd_viommu_destroy", t -> { sim.call("iommufd_viommu_destroy(vm" + t.vm + ")"); viommu[t.vm].forceFree(); });
            if (!faultNoKvmRef && kvmAttached) kvm.put(in, "vIOMMU");
        });
    }

}
