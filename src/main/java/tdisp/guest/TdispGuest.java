package tdisp.guest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tdisp.device.TdiState;
import tdisp.firmware.GuestKeys;
import tdisp.firmware.GuestMessage;
import tdisp.firmware.Platform;
import tdisp.firmware.SealedRequest;
import tdisp.firmware.TdxModule;
import tdisp.firmware.TsmFirmware;
import tdisp.kernel.TsmRequest;
import tdisp.sim.Errno;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * A confidential guest's TDISP driver (AMD: drivers/virt/coco/sev-guest/sev_guest_tio.c,
 * phase2; TDX: the TD side of TDX Connect). It seals every message with its own key and
 * sequence number, believes a TDI state only from an authenticated answer, and talks to
 * the TDX module directly for MMIO and DMA acceptance (TDCALLs, no host involved).
 */
public final class TdispGuest {
    private final Sim sim;
    private final int vm;
    private final int guestBdf;
    private final Platform platform;
    private final TsmFirmware fw;
    private final GuestKeys keys;
    private long nextSeq = 1;
    private TdiState believed;
    private boolean dmaEnabled;
    private boolean mmioValidated;
    private int lastStatus;
    private final List<Sent> sent = new ArrayList<>();
    private boolean faultSendPlaintext;

    /** A request this guest sealed: what the I4 check compares the firmware's log against. */
    public record Sent(long seqno, int ciphertextHash, byte[] plaintext) {}

    public TdispGuest(Sim sim, int vm, int guestBdf, Platform platform, TsmFirmware fw, GuestKeys keys) {
        this.sim = sim;
        this.vm = vm;
        this.guestBdf = guestBdf;
        this.platform = platform;
        this.fw = fw;
        this.keys = keys;
    }

    public int vm() { return vm; }

    public int guestBdf() { return guestBdf; }

    /** True when the op goes guest -> module by TDCALL alone on this platform. */
    public boolean directToFirmware(GuestOp op) {
        return platform == Platform.TDX_CONNECT && (op == GuestOp.SDTE_WRITE || op == GuestOp.SDTE_CLEAR);
    }

    /** True when the host carries ciphertext for the op on this platform. */
    public boolean hostCarriesCiphertext(GuestOp op) {
        if (platform == Platform.SEV_TIO) return op.encrypted();
        return op == GuestOp.TDI_INFO || op == GuestOp.RUN;
    }

    private SealedRequest seal(GuestMessage.Type type, long arg) {
        GuestMessage m = new GuestMessage(type, guestBdf, arg);
        byte[] plain = m.encode();
        long seq = nextSeq;
        nextSeq += 2;
        byte[] c = faultSendPlaintext ? plain : keys.channel().seal(seq, type.wire(), plain);
        sent.add(new Sent(seq, Arrays.hashCode(c), plain));
        return new SealedRequest(type.wire(), seq, guestBdf, c);
    }

    /** The guest's first step for an op: build what it hands the host in t.msg. */
    public void prepare(PathBuilder b, GuestOp op) {
        b.step("guest: " + op, t -> {
            t.out = null;
            t.msg = switch (op) {
                case TDI_INFO -> {
                    sim.call("guest: " + (platform == Platform.SEV_TIO ? "tio_msg_tdi_info" : "TDG.DEVIF.REQUEST(GET_STATE)"));
                    yield TsmRequest.message(seal(GuestMessage.Type.TDI_INFO, 0), false);
                }
                case MMIO_VALIDATE, MMIO_INVALIDATE -> {
                    sim.call("guest: tio_msg_mmio_validate(validated=" + (op == GuestOp.MMIO_VALIDATE ? 1 : 0) + ")");
                    yield platform == Platform.SEV_TIO ? TsmRequest.message(seal(GuestMessage.Type.MMIO_VALIDATE, op == GuestOp.MMIO_VALIDATE ? 1 : 0), true) : null;
                }
                case SDTE_WRITE, SDTE_CLEAR -> {
                    sim.call("guest: " + (platform == Platform.SEV_TIO ? "tio_msg_sdte_write(V=" + (op == GuestOp.SDTE_WRITE ? 1 : 0) + ")" : "TDG.DMAR.ACCEPT"));
                    yield platform == Platform.SEV_TIO ? TsmRequest.message(seal(GuestMessage.Type.SDTE_WRITE, op == GuestOp.SDTE_WRITE ? 1 : 0), true) : null;
                }
                case RUN -> {
                    if (platform == Platform.SEV_TIO) {
                        sim.call("guest: sev_guest_accept -> SEV_TIO_OP(RUN)");
                        yield TsmRequest.run();
                    }
                    sim.call("guest: TDG.DEVIF.REQUEST(START)");
                    yield TsmRequest.message(seal(GuestMessage.Type.TDISP_START, 0), true);
                }
                case STOP -> {
                    sim.call("guest: SEV_TIO_OP(STOP)");
                    yield TsmRequest.stop();
                }
                case BIND -> { sim.call("guest: sev_guest_lock -> request BIND"); yield null; }
                case UNBIND -> { sim.call("guest: sev_guest_unlock -> request UNBIND"); yield null; }
            };
        });
    }

    /** TDX: the TDCALLs that need no host (TDG.DMAR.ACCEPT, TDG.MMIO.ACCEPT). */
    public void tdcall(PathBuilder b, GuestOp op) {
        b.step("tdcall " + op, t -> {
            TdxModule m = (TdxModule) fw;
            String ret = switch (op) {
                case SDTE_WRITE -> m.tdgDmarAccept(t.dev, vm);
                case MMIO_VALIDATE -> m.tdgMmioAccept(t.dev, vm);
                default -> TdxModule.SUCCESS; // the TD has no call to undo these; the host does on unbind
            };
            boolean ok = TdxModule.SUCCESS.equals(ret);
            if (op == GuestOp.SDTE_WRITE) dmaEnabled = ok;
            if (op == GuestOp.SDTE_CLEAR) dmaEnabled = false;
            if (op == GuestOp.MMIO_VALIDATE) mmioValidated = ok;
            if (!ok) t.fail(Errno.EIO);
        });
    }

    /** The guest's last step: read the (authenticated) answer. */
    public void complete(PathBuilder b, GuestOp op) {
        b.cleanup("guest: " + op + " done", t -> {
            lastStatus = t.errno();
            if (!(t.msg instanceof TsmRequest r) || r.sealed() == null) {
                if (op == GuestOp.SDTE_CLEAR && !t.failed()) dmaEnabled = false;
                return;
            }
            TsmRequest.Response rsp = t.out instanceof TsmRequest.Response x ? x : null;
            if (rsp == null || rsp.sealed() == null) {
                sim.note("guest: no authenticated answer (" + Errno.name(t.errno()) + ")");
                return;
            }
            byte[] plain = keys.channel().open(r.sealed().seqno() + 1, r.sealed().msgType() + 1, rsp.sealed());
            if (plain == null) {
                sim.note("guest: response fails authentication, ignored");
                return;
            }
            GuestMessage m = GuestMessage.decode(plain);
            int status = m.guestDeviceId();
            lastStatus = status;
            if (op == GuestOp.TDI_INFO || (op == GuestOp.RUN && platform == Platform.TDX_CONNECT)) {
                believed = m.arg() < 0 ? TdiState.CONFIG_UNLOCKED : TdiState.values()[(int) m.arg()];
                sim.note("guest: TDI state (authenticated) = " + believed + ", status " + status);
            }
            if (status == 0) {
                if (op == GuestOp.SDTE_WRITE) dmaEnabled = true;
                if (op == GuestOp.SDTE_CLEAR) dmaEnabled = false;
                if (op == GuestOp.MMIO_VALIDATE) mmioValidated = true;
                if (op == GuestOp.MMIO_INVALIDATE) mmioValidated = false;
            }
        });
    }

    public TdiState believed() { return believed; }

    public boolean dmaEnabled() { return dmaEnabled; }

    public boolean mmioValidated() { return mmioValidated; }

    public int lastStatus() { return lastStatus; }

    public List<Sent> sent() { return sent; }

    public void setFaultSendPlaintext(boolean on) { faultSendPlaintext = on; }

}
