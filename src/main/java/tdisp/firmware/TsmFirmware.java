package tdisp.firmware;

import java.util.ArrayList;
import java.util.List;

import tdisp.device.Nonce;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispExchange;
import tdisp.device.TdispRequest;
import tdisp.device.TdispResponse;
import tdisp.device.wire.Transport;
import tdisp.iommu.Iommu;
import tdisp.sim.Sim;

/**
 * What every platform's TSM firmware shares: guest contexts with their message keys and
 * sequence numbers, the DOE transport to devices, and the records the invariants read.
 * The host kernel reaches it only through the platform's command methods.
 */
public abstract class TsmFirmware {
    protected final Sim sim;
    protected final List<PciFunction> devices;
    protected final Iommu.SecureTable secureTable;
    /** Read-only view of the IOMMU (secure entries, fences). */
    protected final Iommu iommu;
    private final SecureChannel[] channels;
    private final long[] nextSeq;
    private final List<Accepted> accepted = new ArrayList<>();
    private final List<String> orderingRefusals = new ArrayList<>();
    private final List<StateReport> stateReports = new ArrayList<>();
    private long doeExchanges;
    /** The deliberate defects this firmware was built with (fixed for its life). */
    protected final Faults faults;

    /** A TDI state the firmware told a guest, next to the device's real state at that moment. */
    public record StateReport(int vm, int dev, TdiState reported, TdiState actual) {}

    /** A guest message the firmware authenticated and acted on. */
    public record Accepted(int vm, long seqno, int ciphertextHash) {}

    /**
     * Deliberate defects of the firmware, for invariant non-vacuity only (world.Fault maps
     * onto them). A platform's firmware honours those it can have and ignores the rest.
     *
     * @param skipReplayCheck           accept a guest message whose sequence number is not the next one (breaks I4)
     * @param acceptPlaintext           accept a guest message sent in clear (breaks I4)
     * @param staleTdiInfo              answer state queries from a stale cache (breaks I10); only firmware with
     *                                  such a cache (AMD's TDI_INFO) has it
     * @param acceptIgnoresDmaFailure   Arm CCA: RSI_VDEV_DMA_ENABLE fails and the realm's accept still reports
     *                                  success, as the CCA v7 guest's cca_device_accept did on OpenVMM/FVP
     * @param commitBeforeExchange      Arm CCA: VDEV_LOCK commits LOCKED before its device exchange, which then fails
     * @param commitStartedBeforeExchange Arm CCA: the same for VDEV_START, which commits STARTED before its exchange
     */
    public record Faults(boolean skipReplayCheck, boolean acceptPlaintext, boolean staleTdiInfo,
            boolean acceptIgnoresDmaFailure, boolean commitBeforeExchange, boolean commitStartedBeforeExchange) {
        /** No defect: the firmware as specified. */
        public static final Faults NONE = new Faults(false, false, false, false, false, false);
    }

    protected TsmFirmware(Sim sim, List<PciFunction> devices, Iommu iommu, int vms, Faults faults) {
        this.faults = java.util.Objects.requireNonNull(faults, "faults");
        this.sim = sim;
        this.devices = devices;
        this.iommu = iommu;
        this.secureTable = iommu.claimSecureTable();
        this.channels = new SecureChannel[vms];
        this.nextSeq = new long[vms];
    }

    /**
     * The firmware work of the host-carried request on the secure-DMA path for the TDI of
     * {@code dev}, without any routing (AMD: TIO_GUEST_REQUEST; TDX: TDH.DEVIF.REQUEST with
     * td_flag=1; Arm: VDEV_GET_INTERFACE_REPORT); the return value as the host driver sees
     * it. Benchmarks call it directly as the baseline.
     */
    public abstract int carryGuestMessage(int dev, int vm, MsgBuf req, MsgBuf rsp);

    /** Guest launch (SNP_LAUNCH_* secrets page / TD build): the key goes to the guest only. */
    public GuestKeys launch(int vm) {
        byte[] key = SecureChannel.newKey(sim.split());
        channels[vm] = new SecureChannel(key);
        nextSeq[vm] = 1;
        return new GuestKeys(key);
    }

    /** Firmware-private scratch for the plaintext of the message in hand. */
    protected final byte[] plain = new byte[MsgBuf.PAGE];
    private boolean audit = true;

    /** Keep the logs the invariants read (accepted messages, state reports). Off in benchmarks. */
    public void setAudit(boolean on) { audit = on; }

    /**
     * Authenticates a guest request: the sequence number must be the next expected one and
     * the GCM tag must verify. On success the plaintext is in {@link #plain}; on failure
     * nothing changed and the result is false.
     */
    protected boolean openRequest(int vm, MsgBuf r, String cmd) {
        if (vm < 0 || vm >= channels.length || channels[vm] == null) return false;
        if (r.seqno != nextSeq[vm] && !faults.skipReplayCheck()) {
            sim.fw(cmd, sim.tracing() ? "refused: msg_seqno " + r.seqno + " != expected " + nextSeq[vm] : null);
            return false;
        }
        int n = channels[vm].open(r.seqno, r.msgType, r.data, r.len, plain);
        if (n < 0 && faults.acceptPlaintext() && r.len == GuestMessage.BYTES) {
            System.arraycopy(r.data, 0, plain, 0, r.len);
            n = r.len;
        }
        if (n < 0) {
            sim.fw(cmd, "refused: authentication tag mismatch");
            return false;
        }
        if (n != GuestMessage.BYTES || GuestMessage.typeOf(plain) == null) {
            sim.fw(cmd, "refused: malformed message");
            return false;
        }
        nextSeq[vm] = Math.max(nextSeq[vm], r.seqno + 2);
        if (audit) accepted.add(new Accepted(vm, r.seqno, hash(r.data, r.len)));
        return true;
    }

    /** Arrays.hashCode over a prefix, without copying. */
    public static int hash(byte[] b, int len) {
        int h = 1;
        for (int i = 0; i < len; i++) h = 31 * h + b[i];
        return h;
    }

    /** Seals the response (status, TDI state) into rsp under the sequence number after the request's. */
    protected void sealResponse(int vm, MsgBuf req, MsgBuf rsp, int status, TdiState state) {
        int n = GuestMessage.encode(GuestMessage.Type.TDI_INFO, status, state == null ? -1 : state.ordinal(), plain);
        rsp.msgType = req.msgType + 1;
        rsp.seqno = req.seqno + 1;
        rsp.guestDeviceId = req.guestDeviceId;
        rsp.len = channels[vm].seal(rsp.seqno, rsp.msgType, plain, n, rsp.data);
        rsp.sealedBy(vm, plain, n);
    }

    /** The firmware's DOE mailbox buffers: the request it builds and the response it reads. */
    private final byte[] doeTx = new byte[Transport.BUFFER];
    private final byte[] doeRx = new byte[Transport.BUFFER];

    /**
     * One TDISP request/response over DOE (pci_doe()): encoded, carried as an SPDM
     * VENDOR_DEFINED_REQUEST in the secured session, parsed by the device's DSM, decoded.
     */
    /**
     * One exchange whose response the firmware only caches (a report): whether the device
     * answered as asked, without decoding it. Traced exactly like {@link #doe}.
     */
    protected boolean doeOk(int dev, TdispRequest req) {
        if (sim.tracing()) return doe(dev, req).ok();
        doeExchanges++;
        boolean ok = tdisp.device.TdispExchange.exchangeOk(devices.get(dev).dsm(), req, doeTx, doeRx);
        sim.doe(req.code().name(), null);
        return ok;
    }

    protected TdispResponse doe(int dev, TdispRequest req) {
        doeExchanges++;
        TdispResponse rsp = TdispExchange.exchange(devices.get(dev).dsm(), req, doeTx, doeRx);
        sim.doe(req.code().name(), sim.tracing() ? outcome(rsp) : null);
        return rsp;
    }

    private static String outcome(TdispResponse rsp) {
        if (!rsp.answered()) return "no response";
        return (rsp.ok() ? "ok" : String.valueOf(rsp.error())) + (rsp.state() != null ? ", TDI " + rsp.state() : "");
    }

    /** The INTERFACE_ID (FUNCTION_ID) of a device's TDI. */
    protected int fid(int dev) { return devices.get(dev).interfaceId(); }

    private final TdispRequest[] getState = new TdispRequest[64];

    /** GET_DEVICE_INTERFACE_STATE for a device, built once (it carries no nonce). */
    protected TdispRequest getStateRequest(int dev) {
        if (getState[dev] == null) getState[dev] = TdispRequest.getState(fid(dev));
        return getState[dev];
    }

    /** A refusal the kernel caused by breaking a firmware ordering rule (I2). */
    protected void orderingRefusal(String what) {
        orderingRefusals.add(what);
    }

    /** Records an authenticated state answer (what I10 compares). */
    protected void reportState(int vm, int dev, TdiState reported) {
        // No state on the wire (TDISP_ERROR, or no response): the firmware vouches for nothing.
        if (audit && reported != null) stateReports.add(new StateReport(vm, dev, reported, devices.get(dev).tdiState()));
    }

    public List<StateReport> stateReports() { return stateReports; }

    // ---- explorer support ----

    /** The sequence number the firmware accepts next from this VM. */
    public long expectedSeq(int vm) { return nextSeq[vm]; }

    /** Guest channel sequence numbers, then the platform's per-device state. Logs are history. */
    public final void save(tdisp.sim.StateWriter w) {
        // Canonically the base of every other sequence number: nothing to write.
        if (!w.isCanonical()) for (long s : nextSeq) w.putLong(s);
        savePlatform(w);
    }

    public final void load(tdisp.sim.StateReader r) {
        for (int v = 0; v < nextSeq.length; v++) nextSeq[v] = r.getLong();
        loadPlatform(r);
        clearHistory();
    }

    protected abstract void savePlatform(tdisp.sim.StateWriter w);

    protected abstract void loadPlatform(tdisp.sim.StateReader r);

    /** Drops the logs after the invariants read them. */
    public void clearHistory() {
        accepted.clear();
        orderingRefusals.clear();
        stateReports.clear();
    }

    /**
     * A TDISP nonce the firmware keeps: canonically only whether it holds none, the device's
     * current one, or a stale one (the 32 bytes themselves would make every LOCK a new state).
     */
    protected static void putNonce(tdisp.sim.StateWriter w, Nonce nonce, PciFunction dev) {
        if (w.isCanonical()) {
            w.put(nonce == null ? 0 : dev.isCurrentNonce(nonce) ? 1 : 2);
            return;
        }
        w.putBool(nonce != null);
        if (nonce != null) for (int i = 0; i < 4; i++) w.putLong(nonce.word(i));
    }

    protected static Nonce getNonce(tdisp.sim.StateReader r) {
        if (!r.getBool()) return null;
        return new Nonce(r.getLong(), r.getLong(), r.getLong(), r.getLong());
    }

    public List<Accepted> accepted() { return accepted; }

    public List<String> orderingRefusals() { return orderingRefusals; }

    public long doeExchanges() { return doeExchanges; }

    // ---- what the invariants may ask (I5, I6) ----

    /** The VM a TDI is bound to in firmware, or -1. */
    public abstract int boundVm(int dev);

    /** True while firmware still holds a TDI object (context, DEVIF) for the device. */
    public abstract boolean tdiObjectExists(int dev);

    /** True while any of the device's MMIO is private to a guest (RMP assigned, S-EPT mapped). */
    public abstract boolean privateMmio(int dev);

    /** The TDI state the firmware would report to the guest (for I10 with a stale cache fault). */
    public abstract TdiState reportedState(int dev);
}
