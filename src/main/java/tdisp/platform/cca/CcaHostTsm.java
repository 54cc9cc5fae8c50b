package tdisp.platform.cca;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import java.util.function.Function;

import tdisp.kernel.PciTsmOps;
import tdisp.kernel.TsmRequest;
import tdisp.sim.Errno;
import tdisp.sim.KThread;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * Arm's pci_tsm_ops, drivers/virt/coco/arm-cca-host/ (arm-cca.c, rmi-da.c): link set-up
 * from the IDE-setup RFC v4 code, bind, unbind and guest_req from the host TDISP RFC v4
 * (lore 20260312080743.3487326-1-aneesh.kumar@kernel.org is v3; v4 as in the linux-cca
 * tree). Every RMI command is an SMC to the RMM; device exchanges are the RMM's, driven
 * by the *_COMMUNICATE loop inside the firmware model. The PCI/TSM core already holds
 * pci_tsm_pf0::lock around each op, which serialises a PDEV's communication.
 */
final class CcaHostTsm implements PciTsmOps {
    private final Sim sim;
    private final Rmm rmm;
    private final CcaKvmArch kvm;

    CcaHostTsm(Sim sim, Rmm rmm, CcaKvmArch kvm) {
        this.sim = sim;
        this.rmm = rmm;
        this.kvm = kvm;
    }

    @Override
    public String driverName() { return "arm-cca-host"; }

    /** One SMC to the RMM; a refusal fails the op with -ENXIO, as rmi-da.c maps RMI errors. */
    private void rmi(PathBuilder b, String fn, Function<KThread, String> call) {
        b.step(fn, t -> {
            String ret = call.apply(t);
            if (!Rmm.RMI_SUCCESS.equals(ret)) {
                sim.ret(fn, Errno.ENXIO);
                t.fail(Errno.ENXIO);
            }
        });
    }

    /** cca_tsm_connect: PDEV create, identity and key (COMMUNICATE to READY), then the IDE stream. */
    @Override
    public void connect(PathBuilder b) {
        b.step("cca_tsm_connect", t -> sim.call("arm-cca-host: cca_tsm_connect -> cca_pdev_create, cca_pdev_set_public_key, cca_pdev_create_streams"));
        rmi(b, "rmi_pdev_create", t -> rmm.rmiPdevCreate(t.dev));
        rmi(b, "rmi_pdev_communicate", t -> rmm.rmiPdevCommunicate(t.dev));
        rmi(b, "rmi_pdev_set_pubkey", t -> rmm.rmiPdevSetPubkey(t.dev));
        rmi(b, "rmi_pdev_communicate", t -> rmm.rmiPdevCommunicate(t.dev));
        rmi(b, "cca_pdev_stream_connect", t -> rmm.rmiPdevStreamConnect(t.dev));
    }

    /** cca_tsm_disconnect: the stream first, then PDEV_STOP and PDEV_DESTROY. */
    @Override
    public void disconnect(PathBuilder b) {
        b.step("cca_tsm_disconnect", t -> sim.call("arm-cca-host: cca_tsm_disconnect -> cca_pdev_disconnect_stream, cca_pdev_stop_and_destroy"));
        rmi(b, "cca_pdev_disconnect_stream", t -> rmm.rmiPdevStreamDisconnect(t.dev));
        rmi(b, "cca_pdev_stop_and_destroy", t -> rmm.rmiPdevStopAndDestroy(t.dev));
    }

    /**
     * cca_tsm_bind -> cca_vdev_create: VDEV_CREATE (COMMUNICATE to UNLOCKED); v4 then
     * VDEV_LOCK (to LOCKED) in the same bind, v7 leaves the lock to the realm's
     * SET_TDI_STATE(LOCKED) (the v7 integration branch, as the OpenVMM plan records it).
     */
    @Override
    public void create(PathBuilder b) {
        b.step("cca_tsm_bind", t -> sim.call("arm-cca-host: cca_tsm_bind(kvm=vm" + t.vm + ", vdev_id=" + String.format("%#06x", t.arg) + ") -> cca_vdev_create"));
        rmi(b, "rmi_vdev_create", t -> rmm.rmiVdevCreate(t.dev, t.vm, t.arg));
    }

    @Override
    public void lock(PathBuilder b) {
        rmi(b, "rmi_vdev_lock", t -> rmm.rmiVdevLock(t.dev));
    }

    /** SET_TDI_STATE(UNLOCKED): VDEV_UNLOCK (refused while device memory is mapped). */
    @Override
    public void unlock(PathBuilder b) {
        rmi(b, "rmi_vdev_unlock", t -> rmm.rmiVdevUnlock(t.dev));
    }

    /**
     * cca_tsm_unbind -> cca_vdev_unlock_and_destroy: VDEV_UNLOCK, then VDEV_DESTROY "even in
     * case of error". It assumes the device memory is already unmapped (its comment names
     * the VFIO dma-buf revoke, a VMM unmap, the guest's invalidate or the close path); the
     * driver does not unmap it itself, so an unbind with mappings left is refused by the RMM.
     */
    @Override
    public void unbind(PathBuilder b) {
        b.step("cca_tsm_unbind", t -> sim.call("arm-cca-host: cca_tsm_unbind -> cca_vdev_unlock_and_destroy"));
        // ops->unbind returns void: a refusal is logged and the core drops the pci_tdi anyway.
        // A VDEV the realm already unlocked (v7) or never locked goes straight to destroy.
        b.when("VDEV locked", t -> rmm.vdevState(t.dev) != Rmm.VdevState.UNLOCKED && rmm.vdevState(t.dev) != Rmm.VdevState.NEW,
            in -> in.step("rmi_vdev_unlock", t -> {
                if (!Rmm.RMI_SUCCESS.equals(rmm.rmiVdevUnlock(t.dev))) sim.ret("rmi_vdev_unlock", Errno.ENXIO);
            }));
        b.step("rmi_vdev_destroy", t -> {
            if (!Rmm.RMI_SUCCESS.equals(rmm.rmiVdevDestroy(t.dev))) sim.ret("rmi_vdev_destroy", Errno.ENXIO);
        });
    }

    /** The netlink evidence refresh of the interface report: the same RMI call as the tunnelled update. */
    @Override
    public void refreshEvidence(PathBuilder b) {
        b.step("cca_vdev_update_interface_report", t -> sim.call("arm-cca-host: refresh_evidence -> cca_vdev_update_interface_report"));
        rmi(b, "rmi_vdev_get_interface_report", t -> rmm.rmiVdevGetInterfaceReport(t.dev));
    }

    /**
     * cca_tsm_guest_req: SET_TDI_STATE(RUN) is cca_vdev_device_start (VDEV_START), a map
     * request is cca_vdev_device_map -> realm_dev_mem_map (RTT_DEV_MAP under kvm->mmu_lock),
     * an interface-report update is cca_vdev_update_interface_report. Nothing else: the
     * realm seals nothing for the host, and guest_req accepts only RUN as a state change.
     */
    @Override
    public void guestReq(PathBuilder b) {
        b.step("cca_tsm_guest_req", t -> { if (sim.tracing()) sim.call("arm-cca-host: cca_tsm_guest_req(" + t.get(REQUEST).op() + ")"); });
        b.when("op == LOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.LOCK, in -> {
            in.step("SET_TDI_STATE(LOCKED)", t -> sim.call("arm-cca-host: SET_TDI_STATE(LOCKED) -> rmi_vdev_lock"));
            lock(in);
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == UNLOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.UNLOCK, in -> {
            in.step("SET_TDI_STATE(UNLOCKED)", t -> sim.call("arm-cca-host: SET_TDI_STATE(UNLOCKED) -> rmi_vdev_unlock"));
            unlock(in);
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == RUN", t -> t.get(REQUEST).op() == TsmRequest.Op.RUN, in -> {
            in.step("cca_vdev_device_start", t -> sim.call("arm-cca-host: cca_vdev_device_start"));
            rmi(in, "rmi_vdev_start", t -> rmm.rmiVdevStart(t.dev));
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == VALIDATE_MMIO", t -> t.get(REQUEST).op() == TsmRequest.Op.VALIDATE_MMIO, in -> {
            in.step("cca_vdev_device_map", t -> sim.call("arm-cca-host: cca_vdev_device_map"));
            kvm.mapPrivateMmio(in);
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == REFRESH_REPORT", t -> t.get(REQUEST).op() == TsmRequest.Op.REFRESH_REPORT, in -> {
            in.step("cca_vdev_update_interface_report", t -> sim.call("arm-cca-host: cca_vdev_update_interface_report"));
            rmi(in, "rmi_vdev_get_interface_report", t -> rmm.rmiVdevGetInterfaceReport(t.dev));
            in.step("response", t -> t.ret = 0);
        });
        b.when("op unsupported", t -> {
            TsmRequest.Op op = t.get(REQUEST).op();
            return op == TsmRequest.Op.MESSAGE || op == TsmRequest.Op.STOP;
        }, in -> in.step("-EINVAL", t -> {
            sim.ret("cca_tsm_guest_req", Errno.EINVAL);
            t.fail(Errno.EINVAL);
        }));
    }
}
