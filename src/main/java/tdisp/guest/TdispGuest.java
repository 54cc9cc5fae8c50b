package tdisp.guest;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tdisp.device.TdiState;
import tdisp.firmware.GuestKeys;
import tdisp.firmware.GuestMessage;
import tdisp.firmware.MsgBuf;
import tdisp.firmware.TsmFirmware;
import tdisp.kernel.TsmRequest;
import tdisp.sim.Errno;
import tdisp.sim.PathBuilder;
import tdisp.sim.Retained;
import tdisp.sim.Sim;

/**
 * A confidential guest's TDISP driver (AMD: drivers/virt/coco/sev-guest/sev_guest_tio.c,
 * phase2; TDX: the TD side of TDX Connect). It seals every message with its own key and
 * sequence number into its shared request page, believes a TDI state only from an
 * authenticated answer, and talks to the TDX module directly for MMIO and DMA acceptance
 * (TDCALLs, no host involved). The request and response pages are shared with the host,
 * which may read or overwrite them at any time.
 */
public final class TdispGuest {
    private static final TdiState[] STATES = TdiState.values();
    private final Sim sim;
    private final int vm;
    private final int guestBdf;
    private final GuestAbi abi;
    private final TsmFirmware fw;
    private final GuestKeys keys;
    private final MsgBuf requestPage = new MsgBuf();
    private final MsgBuf responsePage = new MsgBuf();
    private final byte[] plain = new byte[MsgBuf.PAGE];
    private final Map<GuestOp, TsmRequest> requests = new EnumMap<>(GuestOp.class);
    private long nextSeq = 1;
    private TdiState believed;
    private boolean dmaEnabled;
    private boolean mmioValidated;
    private int lastStatus;
    private boolean audit = true;
    private final List<Sent> sent = new ArrayList<>();
    /** The sent log as last saved exactly, shared by every snapshot until the log changes. */
    private SentLog savedSent = SentLog.EMPTY;
    private final boolean faultSendPlaintext;
    private final boolean faultTdcmTimeout;

    /**
     * Deliberate defects of the guest driver, fixed when it is built.
     *
     * @param sendPlaintext the guest sends its message in clear (with the firmware's acceptPlaintext, breaks I4)
     * @param tdcmTimeout   the VMM never completes a TD's TDCM request; read_poll_timeout() gives up after 10 s
     */
    public record Faults(boolean sendPlaintext, boolean tdcmTimeout) {
        /** No defect. */
        public static final Faults NONE = new Faults(false, false);
    }

    /** A request as sent; {@code plaintextHash} once, since the invariants and the explorer's encoding read it after every step. */
    public record Sent(long seqno, int ciphertextHash, byte[] plaintext, int plaintextHash) {
        public Sent(long seqno, int ciphertextHash, byte[] plaintext) {
            this(seqno, ciphertextHash, plaintext, java.util.Arrays.hashCode(plaintext));
        }
    }

    /** The sent log as an exact snapshot keeps it: an immutable copy. */
    public record SentLog(List<Sent> sent) implements Retained {
        static final SentLog EMPTY = new SentLog(List.of());

        public SentLog {
            sent = List.copyOf(sent);
        }
    }

    public TdispGuest(Sim sim, int vm, int guestBdf, GuestAbi abi, TsmFirmware fw, GuestKeys keys, Faults faults) {
        this.sim = sim;
        this.faultSendPlaintext = faults.sendPlaintext();
        this.faultTdcmTimeout = faults.tdcmTimeout();
        this.vm = vm;
        this.guestBdf = guestBdf;
        this.abi = abi;
        this.fw = fw;
        this.keys = keys;
        for (GuestOp op : GuestOp.values()) {
            TsmRequest r = abi.request(op, requestPage, responsePage);
            if (r != null) requests.put(op, r);
        }
    }

    public int vm() { return vm; }

    public int guestBdf() { return guestBdf; }

    /** The shared request page (the host can read and write it). */
    public MsgBuf requestPage() { return requestPage; }

    /** Keep the I4 log of sent messages. Off in benchmarks. */
    public void setAudit(boolean on) { audit = on; }

    /** The platform's TDISP ABI this guest driver speaks. */
    public GuestAbi abi() { return abi; }

    /** What this guest hands the host for a carried op (built once), or null. */
    public TsmRequest request(GuestOp op) { return requests.get(op); }

    private void seal(GuestMessage.Type type, long arg) {
        int n = GuestMessage.encode(type, guestBdf, arg, plain);
        long seq = nextSeq;
        nextSeq += 2;
        requestPage.msgType = type.wire();
        requestPage.seqno = seq;
        requestPage.guestDeviceId = guestBdf;
        if (faultSendPlaintext) {
            System.arraycopy(plain, 0, requestPage.data, 0, n);
            requestPage.len = n;
        } else {
            requestPage.len = keys.channel().seal(seq, type.wire(), plain, n, requestPage.data);
        }
        requestPage.sealedBy(vm, plain, n);
        if (faultSendPlaintext) requestPage.ghostTag = ~requestPage.ghostTag;
        if (audit) {
            sent.add(new Sent(seq, TsmFirmware.hash(requestPage.data, requestPage.len), java.util.Arrays.copyOf(plain, n)));
        }
    }

    /** The guest's first step for an op: fill the request page; ThreadRegisters.REQUEST is what it hands the host. */
    public void prepare(PathBuilder b, GuestOp op) {
        String name = abi.traceName(op);
        TsmRequest request = requests.get(op);
        GuestMessage.Type type = switch (op) {
            case TDI_INFO -> GuestMessage.Type.TDI_INFO;
            case MMIO_VALIDATE, MMIO_INVALIDATE -> GuestMessage.Type.MMIO_VALIDATE;
            case SDTE_WRITE, SDTE_CLEAR -> GuestMessage.Type.SDTE_WRITE;
            case RUN -> GuestMessage.Type.TDISP_START;
            default -> null;
        };
        long arg = op == GuestOp.MMIO_VALIDATE || op == GuestOp.SDTE_WRITE ? 1 : 0;
        b.step(name, t -> {
            sim.call(name);
            t.set(REQUEST, request);
            t.ret = 0;
            if (request != null && request.hasPages()) seal(type, arg);
        });
    }

    /**
     * A guest-to-firmware call (TDX: TDG.DMAR.ACCEPT, TDG.MMIO.ACCEPT; Arm: the RSI VDEV
     * calls). The call after the host's part decides what the guest believes; a refused
     * call before it ends the op there, so the host never sees the request.
     */
    public void firmwareCall(PathBuilder b, GuestOp op, GuestAbi.Call when) {
        boolean after = when == GuestAbi.Call.AFTER_HOST;
        b.step(abi.firmwareCallName(op, when), t -> {
            boolean ok = abi.firmwareCall(op, when, t.dev, vm);
            if (after) {
                if (op == GuestOp.SDTE_WRITE) dmaEnabled = ok;
                if (op == GuestOp.SDTE_CLEAR) dmaEnabled = false;
                if (op == GuestOp.MMIO_VALIDATE) mmioValidated = ok;
                if (ok && op == GuestOp.MMIO_INVALIDATE) mmioValidated = false;
                if (ok && abi.answerCarriesState(op)) {
                    believed = abi.answeredState(t.dev);
                    if (sim.tracing()) sim.note("guest: TDI state (from firmware) = " + believed);
                }
            }
            if (!ok) t.fail(Errno.EIO);
        });
    }

    /** TDCM_POLL_TIMEOUT_US / TDCM_POLL_DELAY_US: the polls after which tdx_tdcm_run() gives up. */
    public static final int TDCM_TIMEOUT_POLLS = 1000;

    /** With the fault, the VMM never completes the TD's TDCM request. */
    public boolean faultTdcmTimeout() { return faultTdcmTimeout; }

    /**
     * The wait for an asynchronous answer as one action (tdx_tdcm_run(): read_poll_timeout on
     * buf->status every TDCM_POLL_DELAY_US, up to TDCM_POLL_TIMEOUT_US): its polls are charged
     * as modeled time, not explored step by step. The timeout is a fault (-ETIMEDOUT).
     */
    public void awaitCompletion(PathBuilder b, int requests) {
        b.step("guest: tdx_tdcm_run poll", t -> {
            if (faultTdcmTimeout) {
                sim.fw("TDCM_STATUS_WAIT(polls=" + TDCM_TIMEOUT_POLLS + ")", "still TDCM_STATUS_WAIT after TDCM_POLL_TIMEOUT_US: -ETIMEDOUT");
                t.fail(Errno.ETIMEDOUT);
                return;
            }
            if (t.failed()) return;
            // At least one poll a request: read_poll_timeout() reads first, but the VMM answers
            // after the TDVMCALL returned, so the first read sees TDCM_STATUS_WAIT.
            sim.fw("TDCM_STATUS_WAIT(polls=" + requests + ")", "TDCM_STATUS_COMPLETED after TDCM_POLL_DELAY_US");
        });
    }

    /** The guest's last step: read the (authenticated) answer from the response page. */
    public void complete(PathBuilder b, GuestOp op) {
        String name = "guest: " + op + " done";
        b.cleanup(name, t -> {
            lastStatus = t.errno();
            TsmRequest r = t.get(REQUEST);
            if (r == null || !r.hasPages()) {
                if (op == GuestOp.SDTE_CLEAR && !t.failed()) dmaEnabled = false;
                return;
            }
            if (t.failed() || t.ret < 0) {
                if (sim.tracing()) sim.note("guest: no authenticated answer (" + Errno.name(t.errno()) + ")");
                return;
            }
            MsgBuf rsp = r.rsp();
            int n = keys.channel().open(requestPage.seqno + 1, requestPage.msgType + 1, rsp.data, rsp.len, plain);
            if (n != GuestMessage.BYTES) {
                sim.note("guest: response fails authentication, ignored");
                return;
            }
            int status = GuestMessage.guestDeviceIdOf(plain);
            long state = GuestMessage.argOf(plain);
            lastStatus = status;
            if (abi.answerCarriesState(op)) {
                believed = state < 0 ? TdiState.CONFIG_UNLOCKED : STATES[(int) state];
                if (sim.tracing()) sim.note("guest: TDI state (authenticated) = " + believed + ", status " + status);
            }
            if (status == 0) {
                if (op == GuestOp.SDTE_WRITE) dmaEnabled = true;
                if (op == GuestOp.SDTE_CLEAR) dmaEnabled = false;
                if (op == GuestOp.MMIO_VALIDATE) mmioValidated = true;
                if (op == GuestOp.MMIO_INVALIDATE) mmioValidated = false;
            }
        });
    }

    // ---- the guest kernel's accept (pci_tsm_accept(), drivers/pci/tsm/core.c in intel-staging/tdx@36ae7ba2d3e2) ----

    /** A guest driver is bound to the device (accept refuses with -EBUSY while so). */
    private boolean driverBound;
    /** PCI_TSM_F_ACCEPT: accept ran ->run once; there is no unaccept. */
    private boolean accepted;

    public boolean driverBound() { return driverBound; }

    public boolean accepted() { return accepted; }

    /** The guest's driver core binds or unbinds a driver to the device (probe / remove). */
    public void setDriverBound(boolean on) { driverBound = on; }

    /**
     * The guest kernel's own locks, one set per VM and named as such so that they never
     * merge with the host's pci_tsm_rwsem and device lock in a trace, in lockdep or in the
     * explorer's footprints: the guest is another kernel.
     */
    public String guestLockName(String lock) { return lock + " [guest vm" + vm + "]"; }

    /**
     * pci_tsm_accept() up to ->run: pci_tsm_rwsem for read (interruptible), then the device
     * lock; -EBUSY while a driver is bound; idempotent once accepted. Returns true when the
     * caller must go on to ->run (the platform's RUN op). Locks held are the guest's: they
     * are noted, not taken in the host's lockdep.
     */
    public void acceptPrologue(PathBuilder b) {
        b.step("guest: pci_tsm_accept", t -> {
            sim.call("guest: pci_tsm_accept(dev) -> down_read_interruptible(" + guestLockName("pci_tsm_rwsem") + "), device_lock("
                    + guestLockName("dev->mutex") + ")");
            if (driverBound) {
                sim.ret("pci_tsm_accept", Errno.EBUSY);
                t.fail(Errno.EBUSY);
                return;
            }
            t.ret = accepted ? 0 : 1;
        });
    }

    /** After ->run: PCI_TSM_F_ACCEPT set on success; the guest's locks dropped. */
    public void acceptEpilogue(PathBuilder b) {
        b.cleanup("guest: pci_tsm_accept done", t -> {
            if (!t.failed()) accepted = true;
            sim.call("guest: pci_tsm_accept -> device_unlock, up_read(" + guestLockName("pci_tsm_rwsem") + ")");
        });
    }

    public TdiState believed() { return believed; }

    public boolean dmaEnabled() { return dmaEnabled; }

    public boolean mmioValidated() { return mmioValidated; }

    public int lastStatus() { return lastStatus; }

    public List<Sent> sent() { return sent; }

    // ---- explorer support ----

    /**
     * Forgets sent requests below the firmware's next expected sequence number (the
     * explorer's compaction): the firmware accepts only that number, so they can never be
     * matched by an accepted message again.
     */
    public void dropSentBefore(long expected) {
        // Far ahead (after refused requests the guest runs ahead of the firmware) they are
        // forgotten too: reaching them would take a chain of delayed deliveries the
        // explorer's one captured page cannot make.
        sent.removeIf(s -> s.seqno() < expected || s.seqno() - expected > tdisp.sim.StateWriter.SEQ_WINDOW);
    }

    public long nextSeq() { return nextSeq; }

    public MsgBuf responsePage() { return responsePage; }

    public void save(tdisp.sim.StateWriter w) {
        if (w.isCanonical()) {
            w.putSeq(vm, nextSeq);
            // Requests still acceptable (within the window ahead of the firmware), by sequence and content.
            for (Sent s : sent) {
                w.putSeq(vm, s.seqno());
                w.put(s.plaintextHash());
            }
            w.put(-1000);
        } else {
            w.putLong(nextSeq);
            if (!savedSent.sent().equals(sent)) savedSent = new SentLog(sent);
            w.putRef(savedSent);
        }
        w.put(believed == null ? -1 : believed.ordinal());
        w.putBool(dmaEnabled);
        w.putBool(mmioValidated);
        w.putBool(driverBound);
        w.putBool(accepted);
        w.put(lastStatus);
        requestPage.save(w);
        responsePage.save(w);
    }

    public void load(tdisp.sim.StateReader r) {
        nextSeq = r.getLong();
        savedSent = r.getRef(SentLog.class);
        sent.clear();
        sent.addAll(savedSent.sent());
        int b = r.get();
        believed = b < 0 ? null : STATES[b];
        dmaEnabled = r.getBool();
        mmioValidated = r.getBool();
        driverBound = r.getBool();
        accepted = r.getBool();
        lastStatus = r.get();
        requestPage.load(r);
        responsePage.load(r);
    }
}
