package tdisp.platform.tdx;

import java.util.List;

import tdisp.firmware.MsgBuf;
import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.guest.GuestStep;
import tdisp.kernel.TsmRequest;
import tdisp.kernel.Vfio;

/**
 * The TD's side of TDX Connect: the DEVIF requests (GET_STATE, START) go through the host
 * as ciphertext; the TD accepts its private MMIO and trusted DMA itself with TDCALLs
 * (TDG.MMIO.ACCEPT, TDG.DMAR.ACCEPT) after asking the host to map the MMIO with MapGPA;
 * a TD has no STOP (TSM-8): the host's unbind does it.
 */
final class TdxGuestAbi implements GuestAbi {
    /** MMIO and DMA are accepted before the TD asks for RUN (TDX Connect Arch Spec §3.3.1). */
    private static final List<GuestOp> BRING_UP = List.of(GuestOp.BIND, GuestOp.TDI_INFO, GuestOp.MMIO_VALIDATE,
            GuestOp.SDTE_WRITE, GuestOp.RUN, GuestOp.TDI_INFO);
    /** The host unbind stops the TDI and revokes MMIO and DMA; then the TD clears BME. */
    private static final List<GuestStep> TEARDOWN = List.of(new GuestStep.Op(GuestOp.UNBIND),
            new GuestStep.CommandWrite(Vfio.PCI_COMMAND_MEMORY));

    private final TdxModule fw;

    /**
     * The guest-driven flow (bind.lock=guest-request): the TD's run as intel-staging/tdx@089d07440e7d
     * connect.c has it, TDG.MMIO.ACCEPT per range with no MapGPA and TDG.TDI.START before the
     * TDCM START_TDI. Fixed from the knobs before any guest exists.
     */
    private final boolean guestDriven;

    TdxGuestAbi(TdxModule fw, tdisp.strategy.KnobSection.Bind bind) {
        this.fw = fw;
        this.guestDriven = bind.guestLocks();
    }

    @Override
    public tdisp.kernel.TvmArch tvmArch() { return tdisp.kernel.TvmArch.TDX; }

    @Override
    public Route route(GuestOp op) {
        return switch (op) {
            case STOP, MMIO_INVALIDATE -> Route.ABSENT;
            case SDTE_WRITE, SDTE_CLEAR -> Route.FIRMWARE_ONLY;
            case MMIO_VALIDATE -> guestDriven ? Route.FIRMWARE_ONLY : Route.CONVERT;
            default -> Route.CARRIED;
        };
    }

    @Override
    public TsmRequest request(GuestOp op, MsgBuf req, MsgBuf rsp) {
        return switch (op) {
            case TDI_INFO -> TsmRequest.message(req, rsp, false);
            case RUN -> TsmRequest.message(req, rsp, true);
            case STOP -> TsmRequest.stop();
            default -> null;
        };
    }

    @Override
    public boolean hostCarriesCiphertext(GuestOp op) { return op == GuestOp.TDI_INFO || op == GuestOp.RUN; }

    /** That the TD's DEVIF requests go through the host at all: no posted host code takes them. */
    @Override
    public tdisp.sim.Assumption exitRestsOn(GuestOp op) {
        return hostCarriesCiphertext(op) ? tdisp.sim.Assumption.TDX_GUEST_REQ_THROUGH_HOST : null;
    }

    /** GET_STATE answers the state; so does START's answer. */
    @Override
    public boolean answerCarriesState(GuestOp op) { return op == GuestOp.TDI_INFO || op == GuestOp.RUN; }

    @Override
    public String traceName(GuestOp op) {
        return switch (op) {
            case TDI_INFO -> "guest: TDG.DEVIF.REQUEST(GET_DEVICE_INTERFACE_STATE)";
            case MMIO_VALIDATE -> guestDriven ? "guest: tdx_mcall_mmio_accept -> TDG.MMIO.ACCEPT"
                    : "guest: TDVMCALL<MapGPA>(TEE BAR -> private), then TDG.MMIO.ACCEPT";
            case MMIO_INVALIDATE -> "guest: (no TDX call gives up private MMIO: the host unbind revokes it)";
            case SDTE_WRITE -> "guest: TDG.DMAR.ACCEPT";
            case SDTE_CLEAR -> "guest: (no TDX call to drop trusted DMA)";
            case RUN -> "guest: TDG.DEVIF.REQUEST(START_INTERFACE_REQUEST)";
            case STOP -> "guest: (a TD cannot STOP its TDI, TSM-8: the host unbind does)";
            case BIND -> "guest: TDVMCALL<Service.TDCM>(bind request)";
            case UNBIND -> "guest: TDVMCALL<Service.TDCM>(unbind request)";
        };
    }

    /**
     * TDG.DMAR.ACCEPT and TDG.MMIO.ACCEPT (the latter after the host's MapGPA, or in the
     * guest-driven flow after KVM's fault-in); in that flow TDG.TDI.START before the run's exit.
     */
    @Override
    public boolean callsFirmware(GuestOp op, Call when) {
        if (when == Call.BEFORE_HOST) return guestDriven && op == GuestOp.RUN;
        return op == GuestOp.SDTE_WRITE || op == GuestOp.SDTE_CLEAR || op == GuestOp.MMIO_VALIDATE;
    }

    /** The accept's EPT violation is KVM's alone: no source has the host side. */
    @Override
    public tdisp.sim.Assumption faultInRestsOn(GuestOp op) {
        return guestDriven && op == GuestOp.MMIO_VALIDATE ? tdisp.sim.Assumption.TDX_MMIO_ACCEPT_FAULTS_IN : null;
    }

    /** KVM maps the BAR pages with TDH.MMIO.MAP (fault-in of the private range). */
    @Override
    public boolean hostMapsPrivateMmio(GuestOp op) { return op == GuestOp.MMIO_VALIDATE; }

    @Override
    public String firmwareCallName(GuestOp op, Call when) { return "tdcall " + op; }

    @Override
    public boolean firmwareCall(GuestOp op, Call when, int dev, int vm) {
        String ret = switch (op) {
            case SDTE_WRITE -> fw.tdgDmarAccept(dev, vm);
            case MMIO_VALIDATE -> fw.tdgMmioAccept(dev, vm);
            case RUN -> fw.tdgTdiStart(dev, vm);
            default -> TdxModule.SUCCESS; // the TD has no call to undo these; the host does on unbind
        };
        return TdxModule.SUCCESS.equals(ret);
    }

    /**
     * The TD's TDCM requests (intel-staging/tdx@089d07440e7d drivers/virt/coco/tdx-guest/
     * connect.c tdx_tdcm_run()) return before the VMM has done the work; the TD polls the
     * page's status. tdx_devsec_lock makes three (CHECK_TEEIO_SUPP, BIND, GET_TDI_REPORT),
     * run one (START_TDI), unlock one (UNBIND). The model's RUN is still the sealed DEVIF
     * START of the TDX Connect spec, carried the same way.
     */
    @Override
    public int completionPolls(GuestOp op) {
        return switch (op) {
            case BIND -> 3;
            case RUN, UNBIND -> 1;
            default -> 0;
        };
    }

    @Override
    public String absentStep() { return "guest: no-op on TDX"; }

    @Override
    public String absentNote(GuestOp op) { return "guest: " + op + " has no TDX counterpart (host unbind does it)"; }

    @Override
    public List<GuestOp> bringUp() { return BRING_UP; }

    @Override
    public List<GuestStep> teardown() { return TEARDOWN; }

    /** The DMA accept is a TDCALL the host never sees; the host-carried request is GET_STATE. */
    @Override
    public GuestOp hotOp() { return GuestOp.TDI_INFO; }

    @Override
    public GuestOp enableRequest() { return GuestOp.RUN; }

    @Override
    public List<GuestOp> enablePrerequisites() { return List.of(GuestOp.BIND, GuestOp.TDI_INFO); }
}
