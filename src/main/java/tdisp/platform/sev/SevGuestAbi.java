package tdisp.platform.sev;

import java.util.List;

import tdisp.firmware.MsgBuf;
import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.guest.GuestStep;
import tdisp.kernel.TsmRequest;
import tdisp.kernel.Vfio;

/**
 * The SNP guest's TDISP ABI (drivers/virt/coco/sev-guest/sev_guest_tio.c in AMD's tree):
 * every op goes to the host, the TIO messages as ciphertext in the guest-request page, the
 * state changes as SEV_TIO_OP exits; nothing reaches the PSP without the host. With AMD's
 * secure vIOMMU (the knob sev.secure-viommu) tio_tdi_sdte_write() skips the guest request
 * and the guest writes its sDTE itself with amd_iommu_update_sdte().
 */
final class SevGuestAbi implements GuestAbi {
    private static final List<GuestOp> BRING_UP = List.of(GuestOp.BIND, GuestOp.TDI_INFO, GuestOp.RUN,
            GuestOp.MMIO_VALIDATE, GuestOp.SDTE_WRITE, GuestOp.TDI_INFO);
    /** sev_guest_unlock's order: DMA off, MMIO invalid, STOP, MSE only, then UNBIND. */
    private static final List<GuestStep> TEARDOWN = List.of(new GuestStep.Op(GuestOp.SDTE_CLEAR),
            new GuestStep.Op(GuestOp.MMIO_INVALIDATE), new GuestStep.Op(GuestOp.STOP),
            new GuestStep.CommandWrite(Vfio.PCI_COMMAND_MEMORY), new GuestStep.Op(GuestOp.UNBIND));

    private final SevFirmware fw;
    /** amd_iommu_sviommu_guest(): the platform knob, fixed before any guest exists. */
    private final boolean secureViommu;

    SevGuestAbi(SevFirmware fw, tdisp.strategy.KnobSection.Sev sev) {
        this.fw = fw;
        this.secureViommu = sev.secureViommu();
    }

    @Override
    public tdisp.kernel.TvmArch tvmArch() { return tdisp.kernel.TvmArch.SEV; }

    private boolean guestWritesSdte(GuestOp op) {
        return secureViommu && (op == GuestOp.SDTE_WRITE || op == GuestOp.SDTE_CLEAR);
    }

    @Override
    public Route route(GuestOp op) { return guestWritesSdte(op) ? Route.FIRMWARE_ONLY : Route.CARRIED; }

    @Override
    public TsmRequest request(GuestOp op, MsgBuf req, MsgBuf rsp) {
        if (guestWritesSdte(op)) return null;
        return switch (op) {
            case TDI_INFO -> TsmRequest.message(req, rsp, false);
            case MMIO_VALIDATE, MMIO_INVALIDATE, SDTE_WRITE, SDTE_CLEAR -> TsmRequest.message(req, rsp, true);
            case RUN -> TsmRequest.run();
            case STOP -> TsmRequest.stop();
            case BIND, UNBIND -> null;
        };
    }

    @Override
    public boolean hostCarriesCiphertext(GuestOp op) { return op.encrypted(); }

    @Override
    public boolean answerCarriesState(GuestOp op) { return op == GuestOp.TDI_INFO; }

    @Override
    public String traceName(GuestOp op) {
        if (guestWritesSdte(op)) return "guest: amd_iommu_update_sdte(set=" + (op == GuestOp.SDTE_WRITE ? 1 : 0) + ")";
        return switch (op) {
            case TDI_INFO -> "guest: TIO_MSG_TDI_INFO_REQ";
            case MMIO_VALIDATE -> "guest: TIO_MSG_MMIO_VALIDATE_REQ(validated=1)";
            case MMIO_INVALIDATE -> "guest: TIO_MSG_MMIO_VALIDATE_REQ(validated=0)";
            case SDTE_WRITE -> "guest: TIO_MSG_SDTE_WRITE_REQ(V=1)";
            case SDTE_CLEAR -> "guest: TIO_MSG_SDTE_WRITE_REQ(V=0)";
            case RUN -> "guest: sev_guest_accept -> SEV_TIO_OP(RUN)";
            case STOP -> "guest: SEV_TIO_OP(STOP)";
            case BIND -> "guest: sev_guest_lock -> SEV_TIO_OP(BIND)";
            case UNBIND -> "guest: sev_guest_unlock -> SEV_TIO_OP(UNBIND)";
        };
    }

    /** An SNP guest reaches the PSP only through the host; with the secure vIOMMU it writes its sDTE itself. */
    @Override
    public boolean callsFirmware(GuestOp op, Call when) { return when == Call.AFTER_HOST && guestWritesSdte(op); }

    /** KVM_SEV_SNP_MMIO_RMP_UPDATE makes the BAR private before the MMIO_VALIDATE message. */
    @Override
    public boolean hostMapsPrivateMmio(GuestOp op) { return op == GuestOp.MMIO_VALIDATE; }

    @Override
    public String firmwareCallName(GuestOp op, Call when) {
        if (!guestWritesSdte(op)) throw new IllegalStateException("SNP guests call no firmware directly: " + op);
        return "secure vIOMMU sDTE update";
    }

    @Override
    public boolean firmwareCall(GuestOp op, Call when, int dev, int vm) {
        if (!guestWritesSdte(op)) throw new IllegalStateException("SNP guests call no firmware directly: " + op);
        return fw.guestUpdateSdte(dev, vm, op == GuestOp.SDTE_WRITE);
    }

    @Override
    public String absentStep() { throw new IllegalStateException("every TDISP op exists on SEV-TIO"); }

    @Override
    public String absentNote(GuestOp op) { throw new IllegalStateException("every TDISP op exists on SEV-TIO"); }

    @Override
    public List<GuestOp> bringUp() { return BRING_UP; }

    @Override
    public List<GuestStep> teardown() { return TEARDOWN; }

    @Override
    public GuestOp hotOp() { return GuestOp.SDTE_WRITE; }

    @Override
    public GuestOp enableRequest() { return GuestOp.SDTE_WRITE; }

    @Override
    public List<GuestOp> enablePrerequisites() { return List.of(GuestOp.BIND, GuestOp.TDI_INFO, GuestOp.RUN); }
}
