package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

/** Shared device setup for the tdisp.device tests. */
final class Fixture {
    static final int BDF = 0x0310;          // 03:02.0
    static final int IF_ID = 7;
    static final int ON = PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_MASTER;
    static final MmioRange TEE = new MmioRange(0, 0x0000, 0x1000, true);
    static final MmioRange SHARED = new MmioRange(0, 0x1000, 0x1000, false);
    static final MmioRange BAR2 = new MmioRange(2, 0x0000, 0x4000, false);
    static final List<MmioRange> BARS = List.of(TEE, SHARED, BAR2);

    /** The start states a test can drive a device into; several per TDI state where history matters. */
    enum Start {
        UNLOCKED_FRESH(TdiState.CONFIG_UNLOCKED),
        UNLOCKED_AFTER_STOP(TdiState.CONFIG_UNLOCKED),   // a stale LOCK nonce exists
        LOCKED(TdiState.CONFIG_LOCKED),
        RUN(TdiState.RUN),
        ERROR_FROM_LOCKED(TdiState.ERROR),
        ERROR_FROM_RUN(TdiState.ERROR);

        final TdiState state;
        Start(TdiState s) { state = s; }
    }

    /** A driven device and the last LOCK nonce it handed out (null if none). */
    record Driven(PciFunction dev, Nonce lockNonce) {}

    private Fixture() {}

    static PciFunction device() { return device(42); }

    static PciFunction device(long seed) { return device(seed, PciFunctionConfig.DEFAULT); }

    static PciFunction device(long seed, PciFunctionConfig config) {
        PciFunction d = new PciFunction(BDF, IF_ID, BARS, new SplittableRandom(seed), config);
        d.secureLinkUp();
        d.configWriteCommand(ON, Origin.HOST);
        return d;
    }

    static Nonce lock(PciFunction d) {
        TdispResponse r = d.tdisp(TdispRequest.lock(IF_ID));
        assertTrue(r.ok(), "LOCK failed: " + r);
        assertEquals(TdiState.CONFIG_LOCKED, d.tdiState());
        return r.nonce();
    }

    static void start(PciFunction d, Nonce nonce) {
        TdispResponse r = d.tdisp(TdispRequest.start(IF_ID, nonce));
        assertTrue(r.ok(), "START failed: " + r);
        assertEquals(TdiState.RUN, d.tdiState());
    }

    static void stop(PciFunction d) {
        TdispResponse r = d.tdisp(TdispRequest.stop(IF_ID));
        assertTrue(r.ok(), "STOP failed: " + r);
        assertEquals(TdiState.CONFIG_UNLOCKED, d.tdiState());
    }

    static Driven drive(Start s) { return drive(device(), s); }

    /** A request of any code with default fields (stream 1 for P2P, a range no report lists). */
    static TdispRequest request(TdispRequestCode code, int id, Nonce nonce) {
        return switch (code) {
            case START_INTERFACE_REQUEST -> TdispRequest.start(id, nonce);
            case BIND_P2P_STREAM_REQUEST -> new TdispRequest.BindP2p(id, 1);
            case UNBIND_P2P_STREAM_REQUEST -> new TdispRequest.UnbindP2p(id, 1);
            case SET_MMIO_ATTRIBUTE_REQUEST -> new TdispRequest.SetMmioAttribute(id, 0, 1, 0, 0);
            case VDM_REQUEST -> new TdispRequest.Vdm(id, 0, Dsm.VENDOR_ID, 2, 0);
            default -> TdispRequest.of(code, id);
        };
    }

    /** Every snapshot word, not canonical. */
    static long[] snap(PciFunction d) {
        long[] s = new long[PciFunction.SNAPSHOT_WORDS];
        for (int i = 0; i < s.length; i++) s[i] = d.snapshotWord(i, false);
        return s;
    }

    static void restore(PciFunction d, long[] s) {
        for (int i = 0; i < s.length; i++) d.restoreWord(i, s[i]);
    }

    static Driven drive(PciFunction d, Start s) {
        Nonce n = null;
        switch (s) {
            case UNLOCKED_FRESH -> { }
            case UNLOCKED_AFTER_STOP -> { n = lock(d); stop(d); }
            case LOCKED -> n = lock(d);
            case RUN -> { n = lock(d); start(d, n); }
            case ERROR_FROM_LOCKED -> { n = lock(d); d.injectError(); }
            case ERROR_FROM_RUN -> { n = lock(d); start(d, n); d.injectError(); }
        }
        assertEquals(s.state, d.tdiState(), "drive to " + s);
        return new Driven(d, n);
    }
}
