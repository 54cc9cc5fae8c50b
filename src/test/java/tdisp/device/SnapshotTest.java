package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tdisp.device.Fixture.Driven;
import tdisp.device.Fixture.Start;

/** snapshotWord()/restoreWord() must capture every bit of state that changes behaviour. */
class SnapshotTest {

    @ParameterizedTest
    @EnumSource(Start.class)
    void snapshotDistinguishesAndRestoresEveryStartState(Start start) {
        Driven a = Fixture.drive(start);
        long[] s = Fixture.snap(a.dev());
        PciFunction b = Fixture.device();   // same seed, different state
        Fixture.restore(b, s);
        assertArrayEquals(s, Fixture.snap(b));
        assertEquals(start.state, b.tdiState());
        assertEquals(a.dev().command(), b.command());
        assertEquals(a.dev().secureLink(), b.secureLink());
        assertEquals(a.dev().nonceLive(), b.nonceLive());
        assertEquals(a.dev().report(), b.report());
        if (start == Start.LOCKED) Fixture.start(b, a.lockNonce());   // the nonce survives restore
    }

    @Test
    void differentStatesHaveDifferentSnapshots() {
        Set<List<Long>> seen = new HashSet<>();
        for (Start s : List.of(Start.UNLOCKED_FRESH, Start.LOCKED, Start.RUN, Start.ERROR_FROM_RUN))
            assertTrue(seen.add(words(Fixture.drive(s).dev())), s.toString());
        PciFunction d = Fixture.device();
        List<Long> base = words(d);
        d.setPowerState(PowerState.D3HOT, Origin.HOST);
        assertNotEquals(base, words(d));
        d.setPowerState(PowerState.D0, Origin.HOST);
        d.configWriteCommand(Fixture.ON, Origin.HOST);
        assertEquals(base, words(d));
        assertNotEquals(base, words(Fixture.device(42, new PciFunctionConfig(false, true))), "the fault is in the snapshot");
        d.dsm().setEntropyFailure(true);
        assertNotEquals(base, words(d), "the entropy source's state is DSM state");
    }

    private static List<Long> words(PciFunction d) {
        List<Long> l = new java.util.ArrayList<>();
        for (long w : Fixture.snap(d)) l.add(w);
        return l;
    }

    /** The fault is configuration: a function built without it refuses a faulted function's snapshot, and the reverse. */
    @Test
    void aSnapshotIsRestoredOnlyIntoAFunctionBuiltAlike() {
        PciFunction faulty = Fixture.device(42, new PciFunctionConfig(false, true));
        PciFunction clean = Fixture.device(42);
        assertThrows(IllegalArgumentException.class, () -> Fixture.restore(clean, Fixture.snap(faulty)));
        assertThrows(IllegalArgumentException.class, () -> Fixture.restore(faulty, Fixture.snap(clean)));
        PciFunction twin = Fixture.device(7, new PciFunctionConfig(false, true));
        Fixture.restore(twin, Fixture.snap(faulty));
        assertArrayEquals(Fixture.snap(faulty), Fixture.snap(twin));
    }

    /** Random walk: at every step a device restored from the snapshot behaves identically. */
    @Test
    void restoredTwinBehavesIdentically() {
        SplittableRandom walk = new SplittableRandom(2024);
        PciFunction a = Fixture.device(5);
        Nonce lastNonce = null;
        for (int step = 0; step < 5000; step++) {
            PciFunction b = new PciFunction(Fixture.BDF, Fixture.IF_ID, Fixture.BARS, new SplittableRandom(5));
            Fixture.restore(b, Fixture.snap(a));
            assertArrayEquals(Fixture.snap(a), Fixture.snap(b));
            int op = walk.nextInt(16);
            long noise = walk.nextLong();
            Object ra = apply(a, op, lastNonce, noise);
            Object rb = apply(b, op, lastNonce, noise);
            assertEquals(ra, rb, "step " + step + " op " + op);
            assertArrayEquals(Fixture.snap(a), Fixture.snap(b), "step " + step + " op " + op);
            if (ra instanceof TdispResponse r && r.ok() && r.request() == TdispRequestCode.LOCK_INTERFACE_REQUEST) lastNonce = r.nonce();
        }
        assertTrue(a.errorCauses().size() > 10, "the walk visited ERROR");
    }

    private static Object apply(PciFunction d, int op, Nonce nonce, long noise) {
        int id = Fixture.IF_ID;
        return switch (op) {
            case 0 -> d.tdisp((noise & 1) == 0 ? TdispRequest.lock(id) : new TdispRequest.Lock(id, 8, 0, 0, 0));
            case 1 -> d.tdisp(TdispRequest.start(id, nonce));
            case 2 -> d.tdisp(TdispRequest.stop(id));
            case 3 -> d.tdisp(TdispRequest.getReport(id));
            case 4 -> d.tdisp(new TdispRequest.BindP2p(id, (int) (noise & 3)));
            case 5 -> { d.configWriteCommand(Fixture.ON, Origin.HOST); yield d.command(); }
            case 6 -> { d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST); yield d.tdiState(); }
            case 7 -> { d.flr(Origin.HOST); yield d.tdiState(); }
            case 8 -> { d.setPowerState((noise & 1) == 0 ? PowerState.D3HOT : PowerState.D0, Origin.HOST); yield d.powerState(); }
            case 9 -> { d.setPowerState(PowerState.D0, Origin.HOST); yield d.tdiState(); }
            case 10 -> { d.secureLinkUp(); yield d.secureLink(); }
            case 11 -> { if ((noise & 7) == 0) d.secureLinkDown(Origin.HOST); yield d.tdiState(); }
            case 12 -> { if ((noise & 7) == 0) d.conventionalReset(Origin.HOST); yield d.tdiState(); }
            case 13 -> d.mmioAccess(0, 0x20, (noise & 1) == 0, true, Origin.HOST);
            case 14 -> d.dmaWrite((rid, a, t) -> TlpResult.COMPLETED, 0x40, (noise & 1) == 0);
            default -> d.tdisp(TdispRequest.getState(id));
        };
    }

    @Test
    void restoreRejectsGarbage() {
        PciFunction d = Fixture.device();
        assertThrows(IllegalArgumentException.class, () -> d.restoreWord(0, 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> d.restoreWord(0, 1L << 22));
        assertThrows(IllegalArgumentException.class, () -> d.restoreWord(4, 1L << 4));
    }
}
