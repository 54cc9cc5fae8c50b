package tdisp.device;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One PCIe function hosting one TDI. Several functions can share one {@link Dsm} (PF0 and
 * its VFs); the DSM owns the SPDM session, IDE keys and nonce generator, the function owns
 * its config space, its TDI state and what LOCK fixed.
 *
 * <p>Mutable state is kept in register-shaped primitives, packed by {@link #snapshotWord}.
 * The TDI state machine is TDISP §11.3 Tables 11-3/11-4 as resolved in tdisp.md §2.4 (the
 * responder is {@link TdispResponder}); the transitions to ERROR are the §11.2 / Table 11-2
 * rows listed in {@link ErrorTrigger}.
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

    /** Where the model places BARs in host physical space (ours: 64-bit BARs above 4 GiB, as TDX requires). */
    private static final long MMIO_WINDOW = 0x40_0000_0000L;
    /** The default report portion a DSM serves (device-specific; Intel's validator asks for 400h). */
    public static final int DEFAULT_MAX_PORTION = 0x400;

    // Register word layout (bit positions).
    private static final int SNAP_STATE = 0;        // 2 bits, TDI_STATE wire value
    private static final int SNAP_COMMAND = 2;      // 16 bits, PCI_COMMAND
    private static final int SNAP_D3HOT = 18;
    private static final int SNAP_NONCE_LIVE = 20;
    private static final int SNAP_FAULT_TEE = 21;
    private static final int SNAP_LOCK_FLAGS = 24;  // 16 bits, LOCK FLAGS
    private static final long SNAP_VALID = ((1L << 19) - 1) | 1L << SNAP_NONCE_LIVE | 1L << SNAP_FAULT_TEE | 0xFFFFL << SNAP_LOCK_FLAGS;

    // ---- configuration (immutable) ----
    private final int bdf;
    private final int interfaceId;
    private final List<MmioRange> bars;
    private final Dsm dsm;
    private final PciFunction pf;
    private final List<PciFunction> vfs = new ArrayList<>();

    // ---- mutable, register-shaped state (all of it in the snapshot words) ----
    private int tdiState;          // TdiState.wireValue()
    private int command;           // PCI_COMMAND, 16 bits
    private boolean d3hot;
    private boolean nonceLive;     // the LOCK nonce exists and has not been used or destroyed
    private long nonceIndex;       // generation of the last LOCK nonce; 0 = none ever
    private Nonce nonce;           // cache of nonces.nonce(nonceIndex)
    private int lockFlags;
    private long mmioReportingOffset;
    private long p2pStreams;       // bound P2P stream ids, bit per id
    private final boolean faultIgnoreTeeBit;   // configuration; in word 0 so faulted and clean states never compare equal
    private final boolean noSoftReset;         // PMCSR No_Soft_Reset: configuration, fixed per run

    // ---- history and statistics (NOT in the snapshot) ----
    private final List<ErrorCause> errorCauses = new ArrayList<>();
    private long hostTeeMmioDelivered;

    /** A single-function device whose DSM supports every request code of {@link TdispRequestCode}. */
    public PciFunction(int bdf, int interfaceId, List<MmioRange> bars, SplittableRandom rng) {
        this(bdf, interfaceId, bars, rng, PciFunctionConfig.DEFAULT);
    }

    /** A single-function device whose DSM supports every request code, built as {@code config} says. */
    public PciFunction(int bdf, int interfaceId, List<MmioRange> bars, SplittableRandom rng, PciFunctionConfig config) {
        this(bdf, interfaceId, bars, new Dsm(Objects.requireNonNull(rng, "rng").nextLong(), mask(EnumSet.allOf(TdispRequestCode.class)),
                DEFAULT_MAX_PORTION), null, config);
    }

    /**
     * A single-function device (PF0 with its own DSM).
     *
     * @param interfaceId INTERFACE_ID.FUNCTION_ID the DSM answers to
     * @param supported   request codes the DSM implements; others get UNSUPPORTED_REQUEST.
     *                    Table 11-3 makes 81h-87h required, so they must all be present.
     */
    public PciFunction(int bdf, int interfaceId, List<MmioRange> bars, SplittableRandom rng, Set<TdispRequestCode> supported) {
        this(bdf, interfaceId, bars, new Dsm(Objects.requireNonNull(rng, "rng").nextLong(), mask(supported), DEFAULT_MAX_PORTION), null,
                PciFunctionConfig.DEFAULT);
    }

    private PciFunction(int bdf, int interfaceId, List<MmioRange> bars, Dsm dsm, PciFunction pf, PciFunctionConfig config) {
        if (bdf < 0 || bdf > 0xFFFF) throw new IllegalArgumentException("bdf " + bdf);
        this.noSoftReset = config.noSoftReset();
        this.faultIgnoreTeeBit = config.faultIgnoreTeeBit();
        this.bdf = bdf;
        this.interfaceId = interfaceId;
        this.bars = List.copyOf(bars);
        this.dsm = dsm;
        this.pf = pf;
        if (dsm.function(interfaceId & 0xFFFF_FFFFL) != null) throw new IllegalArgumentException("INTERFACE_ID " + interfaceId + " twice in one DSM");
        dsm.functions.add(this);
        this.tdiState = TdiState.CONFIG_UNLOCKED.wireValue();
    }

    /** PF0 with a DSM that serves report portions of at most {@code maxPortion} bytes. */
    public static PciFunction withPortion(int bdf, int interfaceId, List<MmioRange> bars, long seed, int maxPortion) {
        return new PciFunction(bdf, interfaceId, bars, new Dsm(seed, mask(EnumSet.allOf(TdispRequestCode.class)), maxPortion), null,
                PciFunctionConfig.DEFAULT);
    }

    /**
     * A VF of {@code pf}: it shares the PF's DSM (and so its session, keys and nonce generator),
     * and is built with the PF's configuration (one physical device).
     */
    public static PciFunction vf(PciFunction pf, int bdf, int interfaceId, List<MmioRange> bars) {
        if (pf.pf != null) throw new IllegalArgumentException("a VF has no VFs");
        PciFunction vf = new PciFunction(bdf, interfaceId, bars, pf.dsm, pf, new PciFunctionConfig(pf.noSoftReset, pf.faultIgnoreTeeBit));
        pf.vfs.add(vf);
        return vf;
    }

    private static int mask(Set<TdispRequestCode> supported) {
        int mask = 0;
        for (TdispRequestCode c : supported) mask |= 1 << c.capabilityBit();
        for (TdispRequestCode c : TdispRequestCode.values()) {
            if (!c.optional() && (mask & (1 << c.capabilityBit())) == 0)
                throw new IllegalArgumentException(c + " is required (TDISP Table 11-3)");
        }
        return mask;
    }

    public int bdf() { return bdf; }
    public int interfaceId() { return interfaceId; }
    public List<MmioRange> bars() { return bars; }
    public Dsm dsm() { return dsm; }
    /** The PF this VF belongs to, or null for a PF. */
    public PciFunction pf() { return pf; }
    /** REQ_MSGS_SUPPORTED (low 32 bits of the 128-bit mask), bit index = code - 80h. */
    public int reqMsgsSupported() { return dsm.reqMsgsSupported; }

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
     * A PF's FLR also hits every VF's TDI (§11.2; tdisp.md §3 row 11), recorded as
     * {@link ErrorTrigger#PF_FLR}. The reset clears Command as for any function reset; that
     * clearing is part of the FLR and is not recorded as a separate MSE/BME cause. The SPDM
     * session and IDE stream survive (§11.4.9).
     */
    public void flr(Origin origin) {
        toError(ErrorTrigger.FLR, origin);
        command = 0;
        for (PciFunction vf : vfs) {
            vf.toError(ErrorTrigger.PF_FLR, origin);
            vf.command = 0;
        }
    }

    private ResetMethod resetMethod = ResetMethod.FLR;

    /** The method __pci_reset_function_locked() uses on this function (default FLR). */
    public ResetMethod resetMethod() { return resetMethod; }

    public void setResetMethod(ResetMethod m) { resetMethod = java.util.Objects.requireNonNull(m, "reset method"); }

    /**
     * The function reset by this device's method: FLR; PM (D3hot and back, losing state, as
     * {@link #setPowerState} models a function without No_Soft_Reset); or a secondary bus
     * reset, a conventional reset of the whole DSM.
     */
    public void functionReset(Origin origin) {
        switch (resetMethod) {
            case FLR -> flr(origin);
            case PM -> {
                setPowerState(PowerState.D3HOT, origin);
                setPowerState(PowerState.D0, origin);
            }
            case BUS -> conventionalReset(origin);
        }
    }

    /**
     * Hot reset / secondary bus reset: not an ERROR trigger. The whole device resets: every
     * TDI of the DSM goes to CONFIG_UNLOCKED, and device secrets, IDE keys and SPDM keys are
     * cleared (§11.4.8), so the session is lost. Command is cleared, the functions are in D0.
     */
    public void conventionalReset(Origin origin) {
        Objects.requireNonNull(origin, "origin");
        dsm.conventionalReset();
    }

    void resetToUnlocked() {
        tdiState = TdiState.CONFIG_UNLOCKED.wireValue();
        scrub();
        command = 0;
        d3hot = false;
    }

    /** The PMCSR No_Soft_Reset bit ({@link PciFunctionConfig#noSoftReset}). */
    public boolean noSoftReset() { return noSoftReset; }

    /**
     * PM state change. Without No_Soft_Reset (the default reading) D3hot to D0 performs an
     * internal reset and loses function state: a LOCKED/RUN TDI goes to ERROR at the return to
     * D0, the transition Table 11-2 names, and Command is cleared then. With No_Soft_Reset the
     * function keeps its state and the TDI its own. Entering D3hot alone changes nothing TDISP
     * tracks. D0 to D0 and D3hot to D3hot are no-ops.
     */
    public void setPowerState(PowerState s, Origin origin) {
        Objects.requireNonNull(s, "power state");
        if (s == PowerState.D3HOT) {
            d3hot = true;
        } else if (d3hot) {
            d3hot = false;
            if (noSoftReset) return;
            toError(ErrorTrigger.POWER_STATE_LOSS, origin);
            command = 0;
        }
    }

    public PowerState powerState() { return d3hot ? PowerState.D3HOT : PowerState.D0; }

    // ------------------------------------------------------------------ link and session (the DSM's)

    /** TSM connect finished: SPDM session up and IDE keys programmed for the default stream. */
    public void secureLinkUp() {
        dsm.spdmSessionUp();
        dsm.ideKeysProgrammed(TdispRequest.DEFAULT_STREAM_ID);
    }

    /** The bound IDE stream went Insecure (§3 row 12); the SPDM session stays up. */
    public void secureLinkDown(Origin origin) { secureLinkDown(ErrorTrigger.IDE_STREAM_INSECURE, origin); }

    /**
     * As {@link #secureLinkDown(Origin)}, naming the row: IDE_STREAM_INSECURE keeps the
     * session, SPDM_SESSION_END ends it (its streams go Insecure first).
     */
    public void secureLinkDown(ErrorTrigger trigger, Origin origin) {
        Objects.requireNonNull(origin, "origin");
        if (trigger == ErrorTrigger.IDE_STREAM_INSECURE) dsm.streamInsecure(trigger, origin);
        else if (trigger == ErrorTrigger.SPDM_SESSION_END) dsm.sessionEnd(origin);
        else throw new IllegalArgumentException("link trigger " + trigger);
    }

    /**
     * Surprise removal: the link is down for good (pciehp sees presence or link lost). The
     * SPDM session is gone with it, so its TDIs go to ERROR (§3 row 13) and nothing the
     * host sends over DOE is answered after.
     */
    public void linkDown() { dsm.sessionEnd(Origin.LINK); }

    /** SPDM session up and IDE keys programmed. */
    public boolean secureLink() { return dsm.session && dsm.keys; }

    /** Device-internal fault (§3 rows 14/20): LOCKED/RUN to ERROR. */
    public void injectError() { toError(ErrorTrigger.INJECTED, Origin.INJECTED_FAULT); }

    /**
     * LOCKED/RUN to ERROR, recording the cause. No effect in CONFIG_UNLOCKED (nothing is
     * tracked, §11.2) or in ERROR (already there; not a new transition). The nonce is destroyed
     * on LOCKED to ERROR (§11.3.9); the report is kept but no longer served (GET_REPORT is
     * INVALID_INTERFACE_STATE in ERROR) and is scrubbed by STOP or a conventional reset.
     */
    void toError(ErrorTrigger trigger, Origin origin) {
        Objects.requireNonNull(origin, "origin");
        TdiState from = tdiState();
        if (!from.locked()) return;
        errorCauses.add(new ErrorCause(trigger, origin, from));
        tdiState = TdiState.ERROR.wireValue();
        nonceLive = false;
    }

    /** STOP or reset: nonce destroyed, what LOCK fixed forgotten, P2P streams unbound. */
    void scrub() {
        nonceLive = false;
        lockFlags = 0;
        mmioReportingOffset = 0;
        p2pStreams = 0;
    }

    /** Every transition into ERROR since construction, in order. Not part of the snapshot. */
    public List<ErrorCause> errorCauses() { return List.copyOf(errorCauses); }

    /** Without a copy, for the per-step invariant check. */
    public int errorCauseCount() { return errorCauses.size(); }

    public ErrorCause errorCause(int i) { return errorCauses.get(i); }

    /** True between a successful LOCK and the START, STOP, ERROR or reset that ends it (§11.3.9). */
    public boolean nonceLive() { return nonceLive; }

    // ---- what the responder changes ----

    void set(TdiState s) { tdiState = s.wireValue(); }

    /** LOCK succeeded with nonce generation {@code index}. */
    void locked(long index, int flags, long reportingOffset) {
        nonceIndex = index;
        nonce = dsm.nonces.nonce(index);
        nonceLive = true;
        lockFlags = flags;
        mmioReportingOffset = reportingOffset;
        tdiState = TdiState.CONFIG_LOCKED.wireValue();
    }

    /** The live LOCK nonce, or null. */
    Nonce liveNonce() { return nonceLive ? nonce : null; }

    void started() {
        nonceLive = false;   // invalidated on START (§11.3.14)
        tdiState = TdiState.RUN.wireValue();
    }

    int lockFlags() { return lockFlags; }

    long p2pStreams() { return p2pStreams; }

    void setP2pStreams(long m) { p2pStreams = m; }

    /**
     * The frozen report: it exists from LOCK until STOP or reset, so also in ERROR (where
     * GET_REPORT does not serve it); null in CONFIG_UNLOCKED.
     */
    public InterfaceReport report() { return tdiState == TdiState.CONFIG_UNLOCKED.wireValue() ? null : buildReport(); }

    /** The report for what LOCK fixed ({@link FrozenReport}). */
    InterfaceReport buildReport() { return frozenReport.build(mmioReportingOffset, lockFlags); }

    private final FrozenReport frozenReport = new FrozenReport(this);

    /** The host physical address of BAR {@code bar} (model-chosen, see {@link #MMIO_WINDOW}). */
    public long barAddress(int bar) { return MMIO_WINDOW + ((long) bdf << 20) + ((long) bar << 17); }

    // ------------------------------------------------------------------ TDISP, object API

    /**
     * One request through the bytes: encode, frame as SPDM VENDOR_DEFINED_REQUEST in the
     * secured message, let the DSM parse and answer, decode. A convenience over
     * {@link TdispExchange} with buffers the DSM keeps for it.
     */
    public TdispResponse tdisp(TdispRequest request) { return TdispExchange.exchange(dsm, request, dsm.tx, dsm.rx); }

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

    /** Fault injection (invariant non-vacuity only): complete T=0 accesses to TEE MMIO when locked ({@link PciFunctionConfig}). */
    public boolean faultIgnoreTeeBit() { return faultIgnoreTeeBit; }

    // ------------------------------------------------------------------ explorer support

    /**
     * Words of {@link #snapshotWord}: 0 registers (TDI_STATE [1:0], PCI_COMMAND [17:2], D3hot
     * [18], nonce live [20], fault-ignore-T [21], LOCK FLAGS [39:24]); 1 nonce generation;
     * 2 MMIO_REPORTING_OFFSET; 3 bound P2P streams; 4-5 the DSM's words, written by PF0 only
     * (zero for a VF). Excluded: {@link #errorCauses()} and {@link #hostTeeMmioDelivered()}
     * (history and statistics, not behaviour).
     */
    public static final int SNAPSHOT_WORDS = 4 + Dsm.WORDS;

    /**
     * One snapshot word. Canonically the nonce generation (and the DSM's counter) is left
     * out: which fresh value a LOCK drew does not change behaviour, only whether a nonce a
     * TSM holds is the current one does ({@link #isCurrentNonce}), and the TSMs encode that.
     */
    public long snapshotWord(int i, boolean canonical) {
        return switch (i) {
            case 0 -> (long) tdiState << SNAP_STATE | (long) command << SNAP_COMMAND | (d3hot ? 1L << SNAP_D3HOT : 0)
                    | (nonceLive ? 1L << SNAP_NONCE_LIVE : 0) | (faultIgnoreTeeBit ? 1L << SNAP_FAULT_TEE : 0)
                    | (long) lockFlags << SNAP_LOCK_FLAGS;
            case 1 -> canonical ? 0 : nonceIndex;
            case 2 -> mmioReportingOffset;
            case 3 -> p2pStreams;
            case 4, 5 -> dsm.pf0() == this ? dsm.word(i - 4, canonical) : 0;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    /** Inverse of {@link #snapshotWord}(i, false); leaves errorCauses and hostTeeMmioDelivered as they are. */
    public void restoreWord(int i, long s) {
        switch (i) {
            case 0 -> {
                if ((s & ~SNAP_VALID) != 0)
                    throw new IllegalArgumentException("snapshot " + Long.toHexString(s));
                tdiState = (int) (s >>> SNAP_STATE) & 0b11;
                command = (int) (s >>> SNAP_COMMAND) & 0xFFFF;
                d3hot = (s & (1L << SNAP_D3HOT)) != 0;
                nonceLive = (s & (1L << SNAP_NONCE_LIVE)) != 0;
                // Configuration, not state: a snapshot of a function built otherwise is not this function's.
                if (((s & (1L << SNAP_FAULT_TEE)) != 0) != faultIgnoreTeeBit)
                    throw new IllegalArgumentException("snapshot of a function built with faultIgnoreTeeBit=" + !faultIgnoreTeeBit);
                lockFlags = (int) (s >>> SNAP_LOCK_FLAGS) & 0xFFFF;
            }
            case 1 -> {
                if (s != nonceIndex) nonce = s == 0 ? null : dsm.nonces.nonce(s);
                nonceIndex = s;
            }
            case 2 -> mmioReportingOffset = s;
            case 3 -> p2pStreams = s;
            case 4, 5 -> { if (dsm.pf0() == this) dsm.restoreWord(i - 4, s); }
            default -> throw new IndexOutOfBoundsException(i);
        }
    }

    /** True if {@code n} is the nonce the last LOCK handed out (live or not). */
    public boolean isCurrentNonce(Nonce n) { return n != null && nonceIndex != 0 && n.equals(nonce); }

    /** Drops history (error causes, host TEE MMIO count) after the explorer has checked it. */
    public void clearHistory() {
        errorCauses.clear();
        hostTeeMmioDelivered = 0;
    }

    @Override
    public String toString() {
        return String.format("PciFunction[%02x:%02x.%x if=%d %s cmd=%04x %s%s%s]", (bdf >> 8) & 0xff, (bdf >> 3) & 0x1f,
                bdf & 7, interfaceId, tdiState(), command, powerState(), dsm.session ? " session" : "", dsm.keys ? " keys" : "");
    }

}
