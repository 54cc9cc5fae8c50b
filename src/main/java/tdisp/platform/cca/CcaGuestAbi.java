package tdisp.platform.cca;

import java.util.List;

import tdisp.device.TdiState;
import tdisp.firmware.MsgBuf;
import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.guest.GuestStep;
import tdisp.kernel.TsmRequest;
import tdisp.kernel.Vfio;
import tdisp.sim.Sim;

/**
 * The realm's side (drivers/virt/coco/arm-cca-guest/, guest RFC v3 rsi-da.c and
 * rhi-da.c): requests the host must act on are RHI calls in plaintext
 * (rhi_vdev_set_tdi_state, the evidence cache updates); what the realm trusts comes from
 * the RMM by RSI (GET_INFO, VALIDATE_MAPPING, DMA_ENABLE), checked against the nonces the
 * RMM issued. Nothing the realm sends the host is sealed: the host can drop or delay a
 * request, never forge what the RMM vouches for.
 */
final class CcaGuestAbi implements GuestAbi {
    /** cca_tsm_lock, evidence, then cca_device_accept: validate mapping, RUN, DMA enable. */
    private static final List<GuestOp> BRING_UP = List.of(GuestOp.BIND, GuestOp.TDI_INFO, GuestOp.MMIO_VALIDATE,
            GuestOp.RUN, GuestOp.SDTE_WRITE, GuestOp.TDI_INFO);
    /**
     * cca_tsm_unlock: rsi_invalidate_dev_mapping, then SET_TDI_STATE(UNLOCKED). It never
     * calls RSI_VDEV_DMA_DISABLE: VDEV_UNLOCK turns the STE off itself.
     */
    private static final List<GuestStep> TEARDOWN = List.of(new GuestStep.Op(GuestOp.MMIO_INVALIDATE),
            new GuestStep.Op(GuestOp.UNBIND), new GuestStep.CommandWrite(Vfio.PCI_COMMAND_MEMORY));

    private final Sim sim;
    private final Rmm rmm;

    CcaGuestAbi(Sim sim, Rmm rmm) {
        this.sim = sim;
        this.rmm = rmm;
    }

    @Override
    public tdisp.kernel.TvmArch tvmArch() { return tdisp.kernel.TvmArch.CCA; }

    @Override
    public Route route(GuestOp op) {
        return switch (op) {
            case SDTE_WRITE, SDTE_CLEAR -> Route.FIRMWARE_ONLY;
            case MMIO_INVALIDATE -> Route.CONVERT;
            case STOP -> Route.ABSENT;
            default -> Route.CARRIED;
        };
    }

    @Override
    public TsmRequest request(GuestOp op, MsgBuf req, MsgBuf rsp) {
        return switch (op) {
            case TDI_INFO -> TsmRequest.refreshReport();
            case RUN -> TsmRequest.run();
            case MMIO_VALIDATE -> TsmRequest.validateMmio();
            default -> null;
        };
    }

    @Override
    public boolean hostCarriesCiphertext(GuestOp op) { return false; }

    /** RSI_VDEV_GET_INFO after the refresh tells the realm the VDEV state. */
    @Override
    public boolean answerCarriesState(GuestOp op) { return op == GuestOp.TDI_INFO; }

    @Override
    public boolean callsFirmware(GuestOp op, Call when) {
        return switch (op) {
            case MMIO_VALIDATE -> true;
            case TDI_INFO, SDTE_WRITE, SDTE_CLEAR -> when == Call.AFTER_HOST;
            default -> false;
        };
    }

    @Override
    public boolean hostMapsPrivateMmio(GuestOp op) { return false; }

    @Override
    public String firmwareCallName(GuestOp op, Call when) {
        return switch (op) {
            case MMIO_VALIDATE -> when == Call.BEFORE_HOST ? "RSI_VDEV_VALIDATE_MAPPING" : "kvm_complete_vdev_map_validate";
            case TDI_INFO -> "RSI_VDEV_GET_INFO";
            case SDTE_WRITE -> "RSI_VDEV_DMA_ENABLE";
            case SDTE_CLEAR -> "RSI_VDEV_DMA_DISABLE";
            default -> throw new IllegalStateException("no RSI call for " + op);
        };
    }

    @Override
    public boolean firmwareCall(GuestOp op, Call when, int dev, int vm) {
        String ret = switch (op) {
            case MMIO_VALIDATE -> {
                if (when == Call.BEFORE_HOST) yield rmm.rsiVdevValidateMapping(dev, vm);
                // The realm's RSI call returns once KVM completed the range on re-entry.
                sim.call("kvm_rec_pre_enter -> kvm_complete_vdev_map_validate");
                yield Rmm.RMI_SUCCESS.equals(rmm.rmiRttDevValidate(dev, vm)) ? Rmm.RSI_SUCCESS : Rmm.RSI_ERROR_INPUT;
            }
            case TDI_INFO -> rmm.rsiVdevGetInfo(dev, vm);
            case SDTE_WRITE -> {
                String r = rmm.rsiVdevDmaEnable(dev, vm);
                // The fault: cca_device_accept returns success whatever RSI_VDEV_DMA_ENABLE said.
                if (rmm.faultAcceptIgnoresDmaFailure()) {
                    sim.note("guest: cca_device_accept ignores " + r + " and returns 0");
                    yield Rmm.RSI_SUCCESS;
                }
                yield r;
            }
            case SDTE_CLEAR -> rmm.rsiVdevDmaDisable(dev, vm);
            default -> throw new IllegalStateException("no RSI call for " + op);
        };
        return Rmm.RSI_SUCCESS.equals(ret);
    }

    @Override
    public TdiState answeredState(int dev) { return rmm.infoState(dev); }

    @Override
    public String traceName(GuestOp op) {
        return switch (op) {
            case BIND -> "guest: cca_tsm_lock -> cca_device_lock -> rhi_vdev_set_tdi_state(LOCKED)";
            case TDI_INFO -> "guest: cca_collect_dev_evidence -> rhi_update_vdev_interface_report_cache";
            case MMIO_VALIDATE -> "guest: cca_device_accept -> rsi_validate_dev_mapping";
            case RUN -> "guest: cca_device_accept -> rhi_vdev_set_tdi_state(RUN)";
            case SDTE_WRITE -> "guest: cca_device_accept -> rsi_vdev_enable_dma";
            case SDTE_CLEAR -> "guest: RSI_VDEV_DMA_DISABLE (the posted driver never calls it)";
            case MMIO_INVALIDATE -> "guest: cca_tsm_unlock -> rsi_invalidate_dev_mapping";
            case UNBIND -> "guest: cca_tsm_unlock -> cca_device_unlock -> rhi_vdev_set_tdi_state(UNLOCKED)";
            case STOP -> "guest: (no STOP call: SET_TDI_STATE(UNLOCKED) is the unbind)";
        };
    }

    @Override
    public String absentStep() { return "guest: no-op on CCA"; }

    @Override
    public String absentNote(GuestOp op) { return "guest: " + op + " has no CCA counterpart (VDEV_UNLOCK stops the TDI)"; }

    @Override
    public List<GuestOp> bringUp() { return BRING_UP; }

    @Override
    public List<GuestStep> teardown() { return TEARDOWN; }

    /** The evidence refresh: host-carried on every routing, repeatable, needed before accept. */
    @Override
    public GuestOp hotOp() { return GuestOp.TDI_INFO; }

    /** No ciphertext crosses the host; SET_TDI_STATE(RUN) is what turns the TDI's use on. */
    @Override
    public GuestOp enableRequest() { return GuestOp.RUN; }

    @Override
    public List<GuestOp> enablePrerequisites() { return List.of(GuestOp.BIND, GuestOp.TDI_INFO, GuestOp.MMIO_VALIDATE); }

    @Override
    public boolean sealsMessagesForHost() { return false; }
}
