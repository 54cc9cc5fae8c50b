package tdisp.kernel;

import tdisp.sim.PathBuilder;

/**
 * The architecture half of KVM that TDISP touches (arch/x86/kvm/svm/sev.c or
 * arch/x86/kvm/vmx/tdx.c): exit names, private MMIO mapping and teardown of the guest's
 * firmware context.
 */
public interface KvmArch {
    /**
     * Guest exit carrying a TDISP operation (by GuestOp name), e.g.
     * "VMGEXIT(SVM_VMGEXIT_SEV_TIO_OP)".
     */
    String guestExit(String op, boolean encryptedMessage);

    /** The exit reason the VMM sees for an op (by GuestOp name), e.g. "KVM_EXIT_VMGEXIT". */
    String userExitReason(String op);

    /**
     * KVM's exit handler chain when KVM itself carries an op (by its GuestOp name) to the
     * TSM core (KVM-direct).
     */
    String exitHandler(String op);

    /** The VMM's ioctl that makes the TEE MMIO private to the guest. */
    String privateMmioIoctl();

    /** The VMM's ioctl that converts the TEE MMIO back to shared. */
    String sharedMmioIoctl();

    /** The exit of a guest's accept of private MMIO that KVM maps at the fault (TDX, guest-driven). */
    default String acceptFaultExit() { throw new UnsupportedOperationException("no accept fault on this architecture"); }

    /** Guest exit asking the host to convert a GPA range of private MMIO, and its user exit. */
    String conversionExit();

    String conversionUserExit();

    /** Guest exit of a trapped config-space (MMIO) access. */
    String configSpaceExit();

    /** Make the TDI's TEE MMIO private to the guest (RMPUPDATE / TDH.MMIO.MAP), for t.dev, t.vm. */
    void mapPrivateMmio(PathBuilder b);

    /**
     * True where KVM maps the private MMIO only when the guest faults on it (the TDP MMU
     * fault path), after the VMM's attribute ioctl returned and the vCPU re-entered, rather
     * than in that ioctl.
     */
    default boolean mapsPrivateMmioAtFault() { return false; }

    /** KVM zaps the device's private MMIO (dma-buf revoke or BAR zap) for t.dev. */
    void zapPrivateMmio(PathBuilder b);

    /**
     * VFIO's BAR dma-buf revoke (dma_buf_move_notify) reaching KVM's private mapping of the
     * device (BAR zap, close). By default KVM is the importer and zaps it.
     */
    default void dmaBufRevoke(PathBuilder b) { zapPrivateMmio(b); }

    /** Firmware part of kvm_destroy_vm (SNP_DECOMMISSION / TD teardown) for t.vm. */
    void destroyVm(PathBuilder b);
}
