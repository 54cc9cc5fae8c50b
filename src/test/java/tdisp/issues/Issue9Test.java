package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tdisp.device.MmioRange;
import tdisp.device.Nonce;
import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispErrorCode;
import tdisp.device.TdispRequest;
import tdisp.device.TdispResponse;

/**
 * Issue 9, "The TDISP device at the wire level": "Nonces repeat. They are drawn up front
 * into a 256-entry pool indexed by an 8-bit counter that nothing resets: LOCK #257 returns
 * LOCK #1's nonce, and a START with that stale nonce takes the TDI to RUN, even across a
 * conventional reset and a new session." And: "With no secure SPDM session the responder
 * still answers"; "BIND_P2P_STREAM succeeds with no P2P flag at LOCK, UNBIND_P2P with
 * nothing bound, SET_MMIO_ATTRIBUTE with no updatable range".
 */
class Issue9Test {
    private static final int ID = 0x4100;

    private static PciFunction device() {
        PciFunction d = new PciFunction(ID, ID, List.of(new MmioRange(0, 0, 0x10000, true)), new SplittableRandom(1));
        d.secureLinkUp();
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_MASTER, Origin.HOST);
        return d;
    }

    @Test
    void lock257DoesNotReturnLock1sNonceAndItsNonceNeverStartsAgain() {
        PciFunction d = device();
        Nonce first = d.tdisp(TdispRequest.lock(ID)).nonce();
        Set<Nonce> seen = new HashSet<>(List.of(first));
        d.conventionalReset(Origin.HOST);
        d.secureLinkUp();
        for (int i = 2; i <= 257; i++) {
            Nonce n = d.tdisp(TdispRequest.lock(ID)).nonce();
            assertTrue(seen.add(n), "LOCK #" + i + " repeated a nonce");
            if (i < 257) d.tdisp(TdispRequest.stop(ID));
        }
        TdispResponse r = d.tdisp(TdispRequest.start(ID, first));
        assertEquals(TdispErrorCode.INVALID_NONCE, r.error());
        assertEquals(TdiState.CONFIG_LOCKED, d.tdiState());
    }

    @Test
    void withoutASessionTheResponderIsSilent() {
        PciFunction d = new PciFunction(ID, ID, List.of(new MmioRange(0, 0, 0x10000, true)), new SplittableRandom(1));
        assertFalse(d.tdisp(TdispRequest.version(ID)).answered());
        assertFalse(d.tdisp(TdispRequest.stop(ID)).answered());
    }

    @Test
    void optionalMessagesCheckTheirPreconditions() {
        PciFunction d = device();
        Nonce n = d.tdisp(TdispRequest.lock(ID)).nonce();
        d.tdisp(TdispRequest.start(ID, n));
        assertEquals(TdispErrorCode.INVALID_REQUEST, d.tdisp(new TdispRequest.BindP2p(ID, 1)).error());
        assertEquals(TdispErrorCode.INVALID_REQUEST, d.tdisp(new TdispRequest.UnbindP2p(ID, 1)).error());
        assertEquals(TdispErrorCode.INVALID_REQUEST,
                d.tdisp(new TdispRequest.SetMmioAttribute(ID, d.barAddress(0), 16, 0x8, 0)).error());
    }
}
