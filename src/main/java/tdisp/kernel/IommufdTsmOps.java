package tdisp.kernel;

import tdisp.iommu.Iommu;
import tdisp.sim.Errno;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.KnobSection;

/** iommufd's vDEVICE TSM ioctls (v5's IOMMU_VDEVICE_TSM_OP / _REQ, the typed and v7 requests) and Yilun's iommufd_device_tsm_bind/unbind called by VFIO. */
public abstract sealed class IommufdTsmOps extends IommufdTeardown permits Iommufd {
    IommufdTsmOps(Sim sim, KnobSection.Iommufd knobs, KnobSection.Bind bind, KnobSection.Vfio vfio, PciTsm tsm, Kvm kvm, Iommu iommu, int[] rids, int vms,
            IommufdFaults faults) {
        super(sim, knobs, bind, vfio, tsm, kvm, iommu, rids, vms, faults);
    }

    // ---- v5: IOMMU_VDEVICE_TSM_OP / IOMMU_VDEVICE_TSM_REQ ----

    /** iommufd_vdevice_tsm_op_ioctl(BIND|UNBIND): tsm_bind(dev, viommu->kvm, vdev->virt_id). */
    public void tsmOpIoctl(PathBuilder b, boolean bind) {
        b.step("iommufd_vdevice_tsm_op_ioctl", t -> {
            sim.call("iommufd_vdevice_tsm_op_ioctl(" + (bind ? "BIND" : "UNBIND") + ")");
            fdget(t);
        });
        getVdevice(b);
        if (bind) {
            b.step("tsm_bind", t -> { t.arg = virtId[t.dev]; sim.call("tsm_bind(dev" + t.dev + ", viommu->kvm, vdev->virt_id)"); });
            tsm.bind(b);
        } else {
            b.step("tsm_unbind", t -> sim.call("tsm_unbind(dev" + t.dev + ")"));
            tsm.unbind(b);
        }
        putVdevice(b);
        fdput(b);
    }

    /** iommufd_vdevice_tsm_req_ioctl: copy_from_user, tsm_guest_req, copy_to_user. */
    public void tsmReqIoctl(PathBuilder b) {
        String fn = yilun() ? "iommufd_vdevice_tsm_guest_request_ioctl" : "iommufd_vdevice_tsm_req_ioctl";
        reqIoctl(b, fn, check -> { }, in -> {
            if (yilun()) {
                in.lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK)
                  .step("vdev->tsm_bound?", t -> { if (!tsmBound[t.dev]) { sim.ret("iommufd_vdevice_tsm_guest_request_ioctl", Errno.EINVAL); t.fail(Errno.EINVAL); } });
                tsm.guestReq(in);
                in.unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
            } else {
                in.step("tsm_guest_req", t -> sim.call("tsm_guest_req(pdev)"));
                tsm.guestReq(in);
            }
        });
    }

    /**
     * IOMMU_VDEVICE_TSM_REQ with a typed op (after the v5 review): iommufd checks
     * {@code tvm_arch} and the op before it looks the vDEVICE up (-EINVAL otherwise; a null
     * op is a request the typed uAPI has no op for). On SEV_ENABLE_DMA iommufd also tells
     * the host IOMMU driver the device goes secure (domain->ops->tsm_enable, in AMD's tree
     * drivers/iommu/iommufd/viommu.c, as Alexey Kardashevskiy points out in the v5 5/5
     * thread): the one op iommufd itself acts on.
     */
    public void tsmReqTypedIoctl(PathBuilder b, TsmReqOp op, TvmArch arch) {
        String fn = "iommufd_vdevice_tsm_req_ioctl";
        String req = "tsm_guest_req(pdev, op=" + op + ", tvm_arch=" + arch + ")";
        reqIoctl(b, fn, check -> check.step("iommufd_vdevice_tsm_req_op_valid", t -> {
            if (op == null || !op.validFor(arch)) {
                sim.ret(fn, Errno.EINVAL);
                t.fail(Errno.EINVAL);
            }
        }), in -> {
            in.step("tsm_guest_req", t -> sim.call(req));
            tsm.guestReq(in);
            if (op == TsmReqOp.TSM_REQ_SEV_ENABLE_DMA || op == TsmReqOp.TSM_REQ_SEV_DISABLE_DMA) {
                boolean on = op == TsmReqOp.TSM_REQ_SEV_ENABLE_DMA;
                in.step("domain->ops->tsm_enable", t -> {
                    if (sim.tracing()) sim.call("iommufd: " + op + " -> domain->ops->" + (on ? "tsm_enable" : "tsm_disable") + "(dev" + t.dev + ")");
                });
            }
        });
    }

    /**
     * IOMMU_VDEVICE_TSM_REQ with v7's 48-byte struct {size, vdevice_id, op, tvm_arch,
     * req_len, resp_len, req_uptr, resp_uptr, tsm_code}: tvm_arch and op checked first
     * (-EINVAL), then the vDEVICE, the request, and the copy back of the whole struct, which
     * always carries tsm_code (its failure turns any result into -EFAULT). The return value
     * is -errno, a positive residue of unused response bytes, or 0 (kamalca/linux
     * iommufd_vdevice_tsm_req_ioctl(); the v7 struct as the CCA v7 branch encodes it).
     */
    public void tsmReqV7Ioctl(PathBuilder b, TsmReqOp op, TvmArch arch) {
        String fn = "iommufd_vdevice_tsm_req_ioctl";
        reqIoctl(b, fn, check -> check.step("iommufd_vdevice_tsm_req_op_valid", t -> {
            if (op == null || !op.validForV7(arch)) {
                sim.ret(fn, Errno.EINVAL);
                t.fail(Errno.EINVAL);
            }
        }), in -> {
            in.step("tsm_guest_req", t -> { if (sim.tracing()) sim.call("tsm_guest_req(pdev, op=" + op + ", tvm_arch=" + arch + ", &tsm_code)"); });
            tsm.guestReq(in);
            in.step("iommufd_ucmd_respond", t -> {
                if (sim.tracing()) sim.call("iommufd_ucmd_respond(ucmd, 48): tsm_code always copied back");
            });
        });
    }

    /**
     * The frame both guest-request ioctls share: the ioctl holds its iommufd file, checks
     * its arguments, holds the vDEVICE and copies the pages in and out around the request.
     */
    void reqIoctl(PathBuilder b, String fn, java.util.function.Consumer<PathBuilder> check,
                          java.util.function.Consumer<PathBuilder> request) {
        b.step(fn, t -> { sim.call(fn); fdget(t); });
        check.accept(b);
        getVdevice(b);
        copies.copyIn(b);
        request.accept(b);
        copies.copyOut(b);
        b.step("copy back", t -> {
            if (faultCopybackEfault && !t.failed()) {
                // The state change is done; only the answer to the VMM is lost.
                sim.ret(fn, Errno.EFAULT);
                t.fail(Errno.EFAULT);
            }
        });
        putVdevice(b);
        fdput(b);
    }

    // ---- Yilun: iommufd_device_tsm_bind/unbind called by VFIO ----

    public void deviceTsmBind(PathBuilder b, boolean bind) {
        String fn = bind ? "iommufd_device_tsm_bind" : "iommufd_device_tsm_unbind";
        b.step(fn, t -> sim.call(fn + "(dev" + t.dev + ")"))
         .lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("idev->vdev?", t -> {
             if (vdevOwner[t.dev] < 0) { sim.ret(fn, Errno.ENOENT); t.fail(Errno.ENOENT); }
         })
         .lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
        if (bind) {
            b.step("iommufd_vdevice_tsm_bind", t -> { t.arg = virtId[t.dev]; sim.call("iommufd_vdevice_tsm_bind -> viommu->ops->setup_trusted_vdev"); });
            tsm.bind(b);
            b.step("vdev->tsm_bound = true", t -> tsmBound[t.dev] = true);
        } else {
            b.step("iommufd_vdevice_tsm_unbind", t -> sim.call("iommufd_vdevice_tsm_unbind"));
            tsm.unbind(b);
            b.step("vdev->tsm_bound = false", t -> tsmBound[t.dev] = false);
        }
        b.unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK)
         .unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
    }

}
