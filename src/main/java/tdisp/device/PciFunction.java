package tdisp.device;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One PCIe function hosting one TDI, with its DSM (the TDISP responder).
 *
 * <p>Mutable state is kept in register-shaped primitives: {@code tdiState} (TDI_STATE wire
 * value), {@code command} (PCI_COMMAND), the PM state, the secure-link flag, the nonce
 * validity bit and an 8-bit nonce index. {@link #snapshot()} packs all of it into 32 bits.
 *
 * <p>The TDI state machine is TDISP §11.3 Tables 11-3/11-4 as resolved in tdisp.md §2.4; the
 * transitions to ERROR are the §11.2 / Table 11-2 rows listed in {@link ErrorTrigger}.
 */
public final class PciFunction {
    // PCI_COMMAND bits (include/uapi/linux/pci_regs.h).
    public static final int PCI_COMMAND_IO = 0x1;
    public static final int PCI_COMMAND_MEMORY = 0x2;   // MSE
    public static final int PCI_COMMAND_MASTER = 0x4;   // BME
    public static final int PCI_COMMAND_SPECIAL = 0x8;
    public static final int PCI_COMMAND_INVALIDATE = 0x10;
    public static final int PCI_COMMAND_VGA_PALETTE = 0x20;
    public static final int PCI_COMMAND_PARITY = 0x40;
    public static final int PCI_COMMAND_WAIT = 0x80;
    public static final int PCI_COMMAND_SERR = 0x100;
    public static final int PCI_COMMAND_FAST_BACK = 0x200;
    public static final int PCI_COMMAND_INTX_DISABLE = 0x400;

    /** Nonces come from a pool drawn from the rng at construction, indexed by an 8-bit counter. */
    public static final int NONCE_INDEX_BITS = 8;
    private static final int NONCE_POOL_SIZE = 1 << NONCE_INDEX_BITS;

    // Snapshot layout (bit positions).
    private static final int SNAP_STATE = 0;        // 2 bits, TDI_STATE wire value
    private static final int SNAP_COMMAND = 2;      // 16 bits, PCI_COMMAND
    private static final int SNAP_D3HOT = 18;       // 1 bit
    private static final int SNAP_LINK = 19;        // 1 bit
    private static final int SNAP_NONCE_LIVE = 20;  // 1 bit
    private static final int SNAP_FAULT_TEE = 21;   // 1 bit
    private static final int SNAP_NONCE_IDX = 24;   // 8 bits
    private static final long SNAP_MASK = (1L << 32) - 1;

    // ---- configuration (immutable) ----
    private final int bdf;
    private final int interfaceId;
    private final List<MmioRange> bars;
    private final List<MmioRange> teeRanges;
    private final int reqMsgsSupported;   // REQ_MSGS_SUPPORTED, bit (code - 80h)
    private final long[] noncePool;

    // ---- mutable, register-shaped state (all of it in snapshot()) ----
    private int tdiState;          // TdiState.wireValue()
    private int command;           // PCI_COMMAND, 16 bits
    private boolean d3hot;
    private boolean secureLink;    // SPDM session up and IDE stream keyed and Secure
    private boolean nonceLive;     // a LOCK nonce exists and has not been used or destroyed
    private int nonceIndex;        // index into noncePool of the last LOCK nonce
    private boolean faultIgnoreTeeBit;

    // ---- history and statistics (NOT in snapshot()) ----
    private final List<ErrorCause> errorCauses = new ArrayList<>();
    private long hostTeeMmioDelivered;

    /** A function whose DSM supports every request code of {@link TdispRequestCode}. */
    public PciFunction(int bdf, int interfaceId, List<MmioRange> bars, SplittableRandom rng) {
        this(bdf, interfaceId, bars, rng, EnumSet.allOf(TdispRequestCode.class));
    }

    /**
     * @param supported request codes the DSM implements; others get UNSUPPORTED_REQUEST.
     *                  Table 11-3 makes 81h-87h required, so they must all be present.
     */
    public PciFunction(int bdf, int interfaceId, List<MmioRange> bars, SplittableRandom rng,
                       Set<TdispRequestCode> supported) {
        if (bdf < 0 || bdf > 0xFFFF) throw new IllegalArgumentException("bdf " + bdf);
        Objects.requireNonNull(rng, "rng");
        this.bdf = bdf;
        this.interfaceId = interfaceId;
        this.bars = List.copyOf(bars);
        List<MmioRange> tee = new ArrayList<>();
        for (MmioRange r : this.bars) if (r.tee()) tee.add(r);
        this.teeRanges = List.copyOf(tee);
        int mask = 0;
        for (TdispRequestCode c : supported) mask |= 1 << c.capabilityBit();
        for (TdispRequestCode c : TdispRequestCode.values()) {
            if (!c.optional() && (mask & (1 << c.capabilityBit())) == 0)
                throw new IllegalArgumentException(c + " is required (TDISP Table 11-3)");
        }
        this.reqMsgsSupported = mask;
        // Draw every nonce up front so that an 8-bit index names it exactly (snapshot/restore)
        // and LOCK does not consume the shared rng at run time. Non-zero and pairwise distinct.
        this.noncePool = new long[NONCE_POOL_SIZE];
        for (int i = 0; i < NONCE_POOL_SIZE; i++) {
            long n;
            do { n = rng.nextLong(); } while (n == 0 || contains(noncePool, i, n));
            noncePool[i] = n;
        }
        this.tdiState = TdiState.CONFIG_UNLOCKED.wireValue();
    }

    private static boolean contains(long[] a, int len, long v) {
        for (int i = 0; i < len; i++) if (a[i] == v) return true;
        return false;
    }

    public int bdf() { return bdf; }
    public int interfaceId() { return interfaceId; }
    public List<MmioRange> bars() { return bars; }
    /** REQ_MSGS_SUPPORTED (low 32 bits of the 128-bit mask), bit index = code - 80h (§11.3.6). */
    public int reqMsgsSupported() { return reqMsgsSupported; }

    public TdiState tdiState() { return TdiState.fromWire(tdiState); }

    // ------------------------------------------------------------------ config space

    public int command() { return command; }

    /**
     * Config write to PCI_COMMAND. The write always completes (§11.2: completion status of config
     * writes is not affected). Clearing MSE or BME in LOCKED/RUN moves the TDI to ERROR
     * (TDISP §11.2.6 Table 11-2); setting them, or any other bit (INTx Disable, SERR, ...), is
     * allowed. If both are cleared at once a single ERROR transition is recorded, as MSE.
     */
    public void configWriteCommand(int value, Origin origin) {
        int old = command;
        command = value & 0xFFFF;
        boolean mseCleared = (old & PCI_COMMAND_MEMORY) != 0 && (command & PCI_COMMAND_MEMORY) == 0;
        boolean bmeCleared = (old & PCI_COMMAND_MASTER) != 0 && (command & PCI_COMMAND_MASTER) == 0;
        if (mseCleared) toError(ErrorTrigger.COMMAND_MSE_CLEAR, origin);
        else if (bmeCleared) toError(ErrorTrigger.COMMAND_BME_CLEAR, origin);
    }

    /**
     * Config write to BAR {@code bar}. In LOCKED/RUN any BAR write is a tracked change
     * (Table 11-2, §11.4.5) and moves the TDI to ERROR. The base address itself is not kept:
     * the model addresses MMIO by (BAR, offset), so the value has no other effect.
     */
    public void configWriteBar(int bar, long value, Origin origin) {
        if (bar < 0 || bar > 5) throw new IllegalArgumentException("BAR index " + bar);
        toError(ErrorTrigger.BAR_WRITE, origin);
    }

    /**
     * Function Level Reset. LOCKED/RUN go to ERROR (§11.2, §11.4.9) and only STOP leaves it.
     * The reset clears Command (MSE = BME = 0) as for any function reset; that clearing is part
     * of the FLR and is not recorded as a separate MSE/BME cause. The SPDM session and IDE stream
     * survive (§11.4.9: an FLR does not tear down the link's security).
     */
    public void flr(Origin origin) {
        toError(ErrorTrigger.FLR, origin);
        command = 0;
    }

    /**
     * Hot reset / secondary bus reset: not an ERROR trigger. Every TDI goes to CONFIG_UNLOCKED,
     * and device secrets, IDE keys and SPDM keys are cleared (§11.4.8), so the secure link is
     * lost. Command is cleared and the function is back in D0 (uninitialised).
     */
    public void conventionalReset(Origin origin) {
        Objects.requireNonNull(origin, "origin");
        tdiState = TdiState.CONFIG_UNLOCKED.wireValue();
        destroyNonce();
        secureLink = false;
        command = 0;
        d3hot = false;
    }

    /**
     * PM state change. This function does not set No_Soft_Reset, so D3hot to D0 performs an
     * internal reset and loses function state: a LOCKED/RUN TDI goes to ERROR at the return to
     * D0, the transition Table 11-2 names, and Command is cleared then. Entering D3hot alone
     * changes nothing TDISP tracks. D0 to D0 and D3hot to D3hot are no-ops.
     */
    public void setPowerState(PowerState s, Origin origin) {
        Objects.requireNonNull(s, "power state");
        if (s == PowerState.D3HOT) {
            d3hot = true;
        } else if (d3hot) {
            d3hot = false;
            toError(ErrorTrigger.POWER_STATE_LOSS, origin);
            command = 0;
        }
    }

    public PowerState powerState() { return d3hot ? PowerState.D3HOT : PowerState.D0; }

    // ------------------------------------------------------------------ link and session

    /** TSM connect finished: SPDM session up, IDE stream keyed and Secure. */
    public void secureLinkUp() { secureLink = true; }

    /**
     * TSM disconnect or link loss, seen by the device as its bound IDE stream going Insecure
     * (§3 row 12; the session end of row 13 makes the streams Insecure first).
     */
    public void secureLinkDown(Origin origin) { secureLinkDown(ErrorTrigger.IDE_STREAM_INSECURE, origin); }

    /** As {@link #secureLinkDown(Origin)}, naming the row: IDE_STREAM_INSECURE or SPDM_SESSION_END. */
    public void secureLinkDown(ErrorTrigger trigger, Origin origin) {
        if (trigger != ErrorTrigger.IDE_STREAM_INSECURE && trigger != ErrorTrigger.SPDM_SESSION_END)
            throw new IllegalArgumentException("link trigger " + trigger);
        secureLink = false;
        toError(trigger, origin);
    }

    public boolean secureLink() { return secureLink; }

    /** Device-internal fault (§3 rows 14/20): LOCKED/RUN to ERROR. */
    public void injectError() { toError(ErrorTrigger.INJECTED, Origin.INJECTED_FAULT); }

    /**
     * LOCKED/RUN to ERROR, recording the cause. No effect in CONFIG_UNLOCKED (nothing is
     * tracked, §11.2) or in ERROR (already there; not a new transition). The nonce is destroyed
     * on LOCKED to ERROR (§11.3.9); the report is kept but no longer served (GET_REPORT is
     * INVALID_INTERFACE_STATE in ERROR) and is scrubbed by STOP or a conventional reset.
     */
    private void toError(ErrorTrigger trigger, Origin origin) {
        Objects.requireNonNull(origin, "origin");
        TdiState from = tdiState();
        if (!from.locked()) return;
        errorCauses.add(new ErrorCause(trigger, origin, from));
        tdiState = TdiState.ERROR.wireValue();
        destroyNonce();
    }

    private void destroyNonce() { nonceLive = false; }

    /** Every transition into ERROR since construction, in order. Not part of {@link #snapshot()}. */
    public List<ErrorCause> errorCauses() { return List.copyOf(errorCauses); }

    /** Without a copy, for the per-step invariant check. */
    public int errorCauseCount() { return errorCauses.size(); }

    public ErrorCause errorCause(int i) { return errorCauses.get(i); }

    /** True between a successful LOCK and the START, STOP, ERROR or reset that ends it (§11.3.9). */
    public boolean nonceLive() { return nonceLive; }

    /**
     * The frozen report: it exists from LOCK until STOP or reset, so also in ERROR (where
     * GET_REPORT does not serve it); null in CONFIG_UNLOCKED.
     */
    public InterfaceReport report() { return tdiState == TdiState.CONFIG_UNLOCKED.wireValue() ? null : frozenReport(); }

    private InterfaceReport frozenReport() {
        // The report is derived from immutable configuration, so "frozen at LOCK" needs no storage.
        return new InterfaceReport(interfaceId, teeRanges, 0);
    }

    // ------------------------------------------------------------------ TDISP responder

    /**
     * Handle one TDISP request (tdisp.md §2.4). Check order: request code supported, then
     * INTERFACE_ID, then state, then request-specific checks (START: nonce). A failure never
     * changes state.
     */
    public TdispResponse tdisp(TdispRequest request) {
        TdispRequestCode code = request.code();
        TdiState st = tdiState();
        if ((reqMsgsSupported & (1 << code.capabilityBit())) == 0)
            return TdispResponse.failure(code, TdispErrorCode.UNSUPPORTED_REQUEST, st);
        if (request.interfaceId() != interfaceId)
            return TdispResponse.failure(code, TdispErrorCode.INVALID_INTERFACE, st);
        switch (code) {
            case GET_TDISP_VERSION:
            case GET_TDISP_CAPABILITIES:
            case GET_DEVICE_INTERFACE_STATE:
                return TdispResponse.success(code, st);
            case LOCK_INTERFACE_REQUEST:
                return lock(st);
            case GET_DEVICE_INTERFACE_REPORT:
                // Legal in LOCKED and RUN (Table 11-3; tdisp.md §2.4 note on Table 11-16).
                if (!st.locked()) return TdispResponse.failure(code, TdispErrorCode.INVALID_INTERFACE_STATE, st);
                return new TdispResponse(code, null, st, 0L, frozenReport());
            case START_INTERFACE_REQUEST:
                return start(st, request.nonce());
            case STOP_INTERFACE_REQUEST:
                // Any state to CONFIG_UNLOCKED; a no-op success if already there (§11.3.16).
                // Scrub: the nonce and the report go; ERROR is left only here (§11.2).
                tdiState = TdiState.CONFIG_UNLOCKED.wireValue();
                destroyNonce();
                return TdispResponse.success(code, TdiState.CONFIG_UNLOCKED);
            case BIND_P2P_STREAM_REQUEST:
            case UNBIND_P2P_STREAM_REQUEST:
            case SET_MMIO_ATTRIBUTE_REQUEST:
                // Legal only in RUN (Table 11-3); no state effect.
                if (st != TdiState.RUN) return TdispResponse.failure(code, TdispErrorCode.INVALID_INTERFACE_STATE, st);
                return TdispResponse.success(code, st);
            default:
                return TdispResponse.failure(code, TdispErrorCode.UNSUPPORTED_REQUEST, st);
        }
    }

    private TdispResponse lock(TdiState st) {
        TdispRequestCode code = TdispRequestCode.LOCK_INTERFACE_REQUEST;
        if (st != TdiState.CONFIG_UNLOCKED) return TdispResponse.failure(code, TdispErrorCode.INVALID_INTERFACE_STATE, st);
        // IDE keys not programmed for the default stream: INVALID_REQUEST (§11.3.8, Table 11-27).
        if (!secureLink) return TdispResponse.failure(code, TdispErrorCode.INVALID_REQUEST, st);
        nonceIndex = (nonceIndex + 1) & (NONCE_POOL_SIZE - 1);
        nonceLive = true;
        tdiState = TdiState.CONFIG_LOCKED.wireValue();
        return new TdispResponse(code, null, TdiState.CONFIG_LOCKED, noncePool[nonceIndex], null);
    }

    private TdispResponse start(TdiState st, long nonce) {
        TdispRequestCode code = TdispRequestCode.START_INTERFACE_REQUEST;
        // State before nonce (Intel validator cases 6.2-6.4).
        if (st != TdiState.CONFIG_LOCKED) return TdispResponse.failure(code, TdispErrorCode.INVALID_INTERFACE_STATE, st);
        if (!nonceLive || nonce != noncePool[nonceIndex]) return TdispResponse.failure(code, TdispErrorCode.INVALID_NONCE, st);
        nonceLive = false;   // invalidated on START (§11.3.14)
        tdiState = TdiState.RUN.wireValue();
        return TdispResponse.success(code, TdiState.RUN);
    }

    // ------------------------------------------------------------------ data path

    /**
     * Device-initiated memory write. BME = 0, or a function in D3hot, cannot issue it. T=1 may
     * be issued only in RUN (§11.2.1); T=0 is left to the upstream port and IOMMU.
     */
    public TlpResult dmaWrite(Upstream up, long address, boolean teeBit) {
        if (d3hot || (command & PCI_COMMAND_MASTER) == 0) return TlpResult.NOT_ISSUED;
        if (teeBit && tdiState != TdiState.RUN.wireValue()) return TlpResult.NOT_ISSUED;
        return up.memoryWrite(bdf, address, teeBit);
    }

    /**
     * Memory request completed by this function (§11.2.1 completer rules). In D3hot the
     * function answers only config requests, so memory requests get UR (PCI PM). MSE = 0, or an
     * address no BAR range decodes, is a master abort. A TEE range (per the frozen report) while
     * LOCKED/RUN needs T=1 and RUN; T=1 outside RUN is rejected everywhere; non-TEE ranges are
     * otherwise unaffected by the TDISP state. ERROR is treated like LOCKED: the report and any
     * TVM data survive until STOP scrubs them (tdisp.md §2.4, ERROR row), so TEE MMIO stays
     * closed to T=0. A rejected access does not itself move the TDI to ERROR (it is not a
     * Table 11-2 cause).
     */
    public TlpResult mmioAccess(int bar, long offset, boolean teeBit, boolean write, Origin origin) {
        Objects.requireNonNull(origin, "origin");
        if (d3hot) return TlpResult.UNSUPPORTED_REQUEST;
        if ((command & PCI_COMMAND_MEMORY) == 0) return TlpResult.MASTER_ABORT;
        MmioRange range = null;
        for (MmioRange r : bars) if (r.contains(bar, offset)) { range = r; break; }
        if (range == null) return TlpResult.MASTER_ABORT;
        TdiState st = tdiState();
        boolean run = st == TdiState.RUN;
        if (teeBit && !run) return TlpResult.UNSUPPORTED_REQUEST;
        if (range.tee() && st != TdiState.CONFIG_UNLOCKED && !teeBit) {
            if (!faultIgnoreTeeBit) return TlpResult.UNSUPPORTED_REQUEST;
            hostTeeMmioDelivered++;   // the fault: a T=0 access reached TEE MMIO
            return TlpResult.COMPLETED;
        }
        return TlpResult.COMPLETED;
    }

    /** T=0 accesses that reached a TEE range while LOCKED/RUN/ERROR; non-zero only with the fault on. */
    public long hostTeeMmioDelivered() { return hostTeeMmioDelivered; }

    /** Fault injection (invariant non-vacuity only): complete T=0 accesses to TEE MMIO when locked. */
    public void setFaultIgnoreTeeBit(boolean on) { faultIgnoreTeeBit = on; }

    public boolean faultIgnoreTeeBit() { return faultIgnoreTeeBit; }

    // ------------------------------------------------------------------ explorer support

    /**
     * 32 bits: TDI_STATE [1:0], PCI_COMMAND [17:2], D3hot [18], secure link [19], nonce live [20],
     * fault-ignore-T [21], nonce index [31:24]. The report is a function of the state and the
     * immutable BAR list, so it needs no bits. Excluded: {@link #errorCauses()} and
     * {@link #hostTeeMmioDelivered()} (history and statistics, not behaviour).
     */
    public long snapshot() {
        return ((long) tdiState << SNAP_STATE)
                | ((long) command << SNAP_COMMAND)
                | (d3hot ? 1L << SNAP_D3HOT : 0)
                | (secureLink ? 1L << SNAP_LINK : 0)
                | (nonceLive ? 1L << SNAP_NONCE_LIVE : 0)
                | (faultIgnoreTeeBit ? 1L << SNAP_FAULT_TEE : 0)
                | ((long) nonceIndex << SNAP_NONCE_IDX);
    }

    /** Inverse of {@link #snapshot()}; leaves errorCauses and hostTeeMmioDelivered as they are. */
    public void restore(long s) {
        if ((s & ~SNAP_MASK) != 0 || (s & (0b11L << 22)) != 0) throw new IllegalArgumentException("snapshot " + Long.toHexString(s));
        tdiState = (int) (s >>> SNAP_STATE) & 0b11;
        command = (int) (s >>> SNAP_COMMAND) & 0xFFFF;
        d3hot = (s & (1L << SNAP_D3HOT)) != 0;
        secureLink = (s & (1L << SNAP_LINK)) != 0;
        nonceLive = (s & (1L << SNAP_NONCE_LIVE)) != 0;
        faultIgnoreTeeBit = (s & (1L << SNAP_FAULT_TEE)) != 0;
        nonceIndex = (int) (s >>> SNAP_NONCE_IDX) & (NONCE_POOL_SIZE - 1);
    }

    /**
     * The snapshot without the nonce index: which pool entry the next LOCK draws does not
     * change behaviour, only whether a nonce someone holds is the live one does (see
     * {@link #isCurrentNonce}). Lets the explorer merge states that differ by LOCK count.
     */
    public long canonicalSnapshot() { return snapshot() & ~(0xFFL << SNAP_NONCE_IDX); }

    /** True if {@code nonce} is the one the last LOCK handed out (live or not). */
    public boolean isCurrentNonce(long nonce) { return nonce != 0 && nonce == noncePool[nonceIndex]; }

    /** Drops history (error causes, host TEE MMIO count) after the explorer has checked it. */
    public void clearHistory() {
        errorCauses.clear();
        hostTeeMmioDelivered = 0;
    }

    @Override
    public String toString() {
        return String.format("PciFunction[%02x:%02x.%x if=%d %s cmd=%04x %s%s]", (bdf >> 8) & 0xff, (bdf >> 3) & 0x1f,
                bdf & 7, interfaceId, tdiState(), command, powerState(), secureLink ? " link" : "");
    }
}
