package tdisp.kernel;

import tdisp.sim.PathBuilder;

/**
 * The shape of struct pci_tsm_ops (include/linux/pci-tsm.h): link ops and TDI ops. A
 * platform driver contributes its steps to the calling path; thread registers carry the
 * arguments ({@code t.dev} = pdev, {@code t.vm} = kvm, {@code t.arg} = tdi_id,
 * {@link ThreadRegisters#REQUEST} = the TsmRequest).
 */
public interface PciTsmOps {
    String driverName();

    void connect(PathBuilder b);

    void disconnect(PathBuilder b);

    /** ops->bind(pdev, kvm, tdi_id): lock the TDI and bind it to the guest. */
    default void bind(PathBuilder b) {
        create(b);
        lock(b);
    }

    /**
     * The half of ops->bind that makes the TDI's context for the guest without LOCKing it:
     * all a v7 bind does (knob bind.lock=guest-request).
     */
    void create(PathBuilder b);

    /**
     * The TDI to CONFIG_LOCKED: the second half of a v5 bind, or the guest's
     * SET_TDI_STATE(LOCKED) under v7, reached through guest_req.
     */
    void lock(PathBuilder b);

    /**
     * The guest's SET_TDI_STATE(UNLOCKED) under v7: the TDI back to CONFIG_UNLOCKED while
     * its context stays until the vDEVICE dies (ops->unbind then skips what is done).
     */
    void unlock(PathBuilder b);

    /** ops->unbind(tdi): stop and reclaim; the kvm comes from the pci_tdi. */
    void unbind(PathBuilder b);

    /**
     * ops->guest_req(tdi, scope, ...): the request in {@link ThreadRegisters#REQUEST}; the
     * firmware status in {@code t.ret}, the response in the request's response page.
     */
    void guestReq(PathBuilder b);

    /**
     * ops->refresh_evidence(tsm, type, ...) of the pci-tsm netlink evidence read (Dan
     * Williams, "PCI/TSM: TEE I/O infrastructure" v2, patch 08/19,
     * 20260303000207.1836586-1-dan.j.williams@intel.com): re-read the device's interface
     * report into the TSM's evidence cache. A driver whose reports come only inside the
     * guest's sealed messages has none.
     */
    default void refreshEvidence(PathBuilder b) {
        tdisp.sim.Sim sim = b.sim();
        b.step("refresh_evidence: none", t -> {
            sim.ret("ops->refresh_evidence", tdisp.sim.Errno.EOPNOTSUPP);
            t.fail(tdisp.sim.Errno.EOPNOTSUPP);
        });
    }
}
