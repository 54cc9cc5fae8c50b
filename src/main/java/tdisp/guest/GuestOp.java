package tdisp.guest;

/**
 * The TDISP operations a confidential guest's driver performs, in AMD terms
 * (sev_guest_tio.c, phase2); the TDX column says what each becomes on TDX Connect.
 */
public enum GuestOp {
    /** SEV_TIO_OP(BIND) / TDVMCALL bind request: the host locks the TDI for this guest. */
    BIND(false),
    /** TIO_MSG_TDI_INFO / TDG.DEVIF.REQUEST(GET_STATE) carried by the VMM: authenticated state. */
    TDI_INFO(true),
    /** SEV_TIO_OP(RUN) -> tdi_run() / TDG.DEVIF.REQUEST(START) carried by the VMM. */
    RUN(false),
    /** Host maps the TEE MMIO private, then TIO_MSG_MMIO_VALIDATE / TDG.MMIO.ACCEPT. */
    MMIO_VALIDATE(true),
    /** TIO_MSG_MMIO_VALIDATE(validated=0) before teardown (AMD only). */
    MMIO_INVALIDATE(true),
    /** TIO_MSG_SDTE_WRITE(V=1) / TDG.DMAR.ACCEPT: secure DMA on. */
    SDTE_WRITE(true),
    /** TIO_MSG_SDTE_WRITE(V=0): secure DMA off before STOP (AMD only). */
    SDTE_CLEAR(true),
    /** SEV_TIO_OP(STOP) -> non-forced TIO_TDI_UNBIND (AMD only; a TD cannot STOP, TSM-8). */
    STOP(false),
    /** SEV_TIO_OP(UNBIND) / TDVMCALL unbind request. */
    UNBIND(false);

    private final boolean encrypted;

    GuestOp(boolean encrypted) { this.encrypted = encrypted; }

    /** True when the host carries ciphertext for this op on AMD. */
    public boolean encrypted() { return encrypted; }
}
