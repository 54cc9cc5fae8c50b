package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Nonce rules, tdisp.md §2.7 (TDISP §11.3.9, §11.3.14). */
class NonceTest {

    private static TdispResponse startWith(PciFunction d, Nonce n) {
        return d.tdisp(TdispRequest.start(Fixture.IF_ID, n));
    }

    @Test
    void staleNonceAfterStopAndRelockIsInvalidNonce() {
        PciFunction d = Fixture.device();
        Nonce n1 = Fixture.lock(d);
        Fixture.stop(d);
        assertFalse(d.nonceLive(), "STOP destroys the nonce");
        Nonce n2 = Fixture.lock(d);
        assertNotEquals(n1, n2);
        TdispResponse r = startWith(d, n1);
        assertEquals(TdispErrorCode.INVALID_NONCE, r.error());
        assertEquals(TdiState.CONFIG_LOCKED, d.tdiState());
        assertTrue(d.nonceLive(), "a failed START does not consume the nonce");
        Fixture.start(d, n2);
    }

    @Test
    void nonceInvalidatedByStart() {
        PciFunction d = Fixture.device();
        Nonce n1 = Fixture.lock(d);
        Fixture.start(d, n1);
        assertFalse(d.nonceLive());
        Fixture.stop(d);
        Fixture.lock(d);
        assertEquals(TdispErrorCode.INVALID_NONCE, startWith(d, n1).error(), "replay of a used nonce");
    }

    @Test
    void nonceDestroyedOnLockedToError() {
        PciFunction d = Fixture.device();
        Nonce n1 = Fixture.lock(d);
        assertTrue(d.nonceLive());
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST);   // clear BME
        assertEquals(TdiState.ERROR, d.tdiState());
        assertFalse(d.nonceLive(), "LOCKED -> ERROR must destroy the nonce");
        Fixture.stop(d);
        Nonce n2 = Fixture.lock(d);
        assertNotEquals(n1, n2);
        assertEquals(TdispErrorCode.INVALID_NONCE, startWith(d, n1).error());
        Fixture.start(d, n2);
    }

    @Test
    void nonceDestroyedByConventionalReset() {
        PciFunction d = Fixture.device();
        Nonce n1 = Fixture.lock(d);
        d.conventionalReset(Origin.HOST);
        assertFalse(d.nonceLive());
        d.secureLinkUp();
        Fixture.lock(d);
        assertEquals(TdispErrorCode.INVALID_NONCE, startWith(d, n1).error());
    }

    @Test
    void zeroNonceNeverStarts() {
        PciFunction d = Fixture.device();
        Fixture.lock(d);
        assertEquals(TdispErrorCode.INVALID_NONCE, startWith(d, new Nonce(0, 0, 0, 0)).error());
    }

    @Test
    void noncesAreNonZeroDistinctAndSeeded() {
        PciFunction a = Fixture.device(7), b = Fixture.device(7), c = Fixture.device(8);
        Set<Nonce> seen = new HashSet<>();
        // More LOCKs than the old 256-entry pool had: LOCK #257 used to return LOCK #1's nonce.
        for (int i = 0; i < 300; i++) {
            Nonce na = Fixture.lock(a);
            assertNotEquals(new Nonce(0, 0, 0, 0), na);
            assertTrue(seen.add(na), "nonce repeated at LOCK #" + (i + 1));
            assertEquals(na, Fixture.lock(b), "same seed, same nonce");
            assertNotEquals(na, Fixture.lock(c), "different seed, different nonce");
            Fixture.stop(a); Fixture.stop(b); Fixture.stop(c);
        }
    }
}
