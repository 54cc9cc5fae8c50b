package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** One DSM hosting PF0 and two VFs (§11.2; tdisp.md §3 rows 11 and 13). */
class MultiFunctionTest {
    private final PciFunction pf = new PciFunction(0x4100, 0x4100, Fixture.BARS, new SplittableRandom(9));
    private final PciFunction vf1 = PciFunction.vf(pf, 0x4101, 0x4101, Fixture.BARS);
    private final PciFunction vf2 = PciFunction.vf(pf, 0x4102, 0x4102, Fixture.BARS);

    MultiFunctionTest() {
        pf.secureLinkUp();
        for (PciFunction f : List.of(pf, vf1, vf2)) f.configWriteCommand(Fixture.ON, Origin.HOST);
    }

    private static Nonce run(PciFunction f) {
        TdispResponse l = f.tdisp(TdispRequest.lock(f.interfaceId()));
        assertTrue(l.ok(), l.toString());
        assertTrue(f.tdisp(TdispRequest.start(f.interfaceId(), l.nonce())).ok());
        return l.nonce();
    }

    @Test
    void theDsmAnswersEachInterfaceIdForItsOwnTdi() {
        run(vf1);
        assertEquals(TdiState.RUN, vf1.tdiState());
        assertEquals(TdiState.CONFIG_UNLOCKED, pf.tdiState());
        assertEquals(TdiState.CONFIG_UNLOCKED, vf2.tdiState());
        assertEquals(TdiState.RUN, pf.tdisp(TdispRequest.getState(0x4101)).state(), "any function's object reaches the DSM");
        assertEquals(TdispErrorCode.INVALID_INTERFACE, pf.tdisp(TdispRequest.getState(0x4103)).error());
        assertSame(pf.dsm(), vf2.dsm());
        assertThrows(IllegalArgumentException.class, () -> PciFunction.vf(pf, 0x4104, 0x4101, Fixture.BARS));
    }

    @Test
    void nonceGeneratorIsSharedAndNeverRepeatsAcrossTdis() {
        Nonce a = run(pf), b = run(vf1), c = run(vf2);
        assertNotEquals(a, b);
        assertNotEquals(b, c);
        assertNotEquals(a, c);
        assertFalse(vf1.isCurrentNonce(a), "another TDI's nonce is not this one's");
    }

    @Test
    void aPfFlrTakesEveryVfTdiToError() {
        run(pf);
        run(vf1);
        pf.flr(Origin.HOST);
        assertEquals(TdiState.ERROR, pf.tdiState());
        assertEquals(TdiState.ERROR, vf1.tdiState());
        assertEquals(List.of(new ErrorCause(ErrorTrigger.PF_FLR, Origin.HOST, TdiState.RUN)), vf1.errorCauses());
        assertEquals(TdiState.CONFIG_UNLOCKED, vf2.tdiState(), "an unlocked VF is not tracked");
        assertEquals(0, vf1.command(), "the VF is reset too");
        assertTrue(pf.secureLink(), "the session and stream survive an FLR (§11.4.9)");
    }

    @Test
    void aVfFlrHitsOnlyItsOwnTdi() {
        run(pf);
        run(vf1);
        run(vf2);
        vf1.flr(Origin.HOST);
        assertEquals(TdiState.ERROR, vf1.tdiState());
        assertEquals(TdiState.RUN, pf.tdiState());
        assertEquals(TdiState.RUN, vf2.tdiState());
    }

    @Test
    void theSessionEndingTakesEveryLockedTdiToErrorAndSilencesTheDsm() {
        run(pf);
        assertTrue(vf1.tdisp(TdispRequest.lock(0x4101)).ok());
        vf2.secureLinkDown(ErrorTrigger.SPDM_SESSION_END, Origin.FIRMWARE);
        assertEquals(TdiState.ERROR, pf.tdiState());
        assertEquals(TdiState.ERROR, vf1.tdiState());
        assertFalse(pf.tdisp(TdispRequest.getState(0x4100)).answered());
    }

    @Test
    void aConventionalResetOfAnyFunctionResetsTheWholeDevice() {
        run(pf);
        run(vf1);
        vf2.conventionalReset(Origin.HOST);
        for (PciFunction f : List.of(pf, vf1, vf2)) {
            assertEquals(TdiState.CONFIG_UNLOCKED, f.tdiState());
            assertNull(f.report());
        }
        assertFalse(pf.dsm().spdmSession());
    }

    @Test
    void onlyPf0CarriesTheDsmInItsSnapshot() {
        pf.dsm().setEntropyFailure(true);
        assertNotEquals(0, pf.snapshotWord(4, false));
        assertEquals(0, vf1.snapshotWord(4, false));
        assertEquals(0, vf1.snapshotWord(5, false));
        pf.dsm().setEntropyFailure(false);
        run(vf1);
        assertNotEquals(0, vf1.snapshotWord(1, false), "the VF's nonce generation");
        assertEquals(0, vf1.snapshotWord(1, true), "not canonically");
        assertEquals(0, pf.snapshotWord(5, true), "the DSM counter is not canonical either");
        assertNotEquals(0, pf.snapshotWord(5, false));
    }
}
