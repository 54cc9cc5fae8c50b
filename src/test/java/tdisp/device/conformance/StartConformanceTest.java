package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import tdisp.device.Origin;

/**
 * START_INTERFACE_REQUEST (Table 11-3 row 86h; §11.3.14: the nonce is invalidated by START;
 * §11.3.9: destroyed on LOCKED to UNLOCKED or ERROR; validator cases 6.1-6.4: state before nonce).
 */
class StartConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void startWithTheLockNonceGoesToRun() {
        Requester.Rsp r = req.expect(Requester.start(req.lockOk()), 0x06);
        assertEquals(16, r.len(), "START_INTERFACE_RESPONSE is the header alone");
        assertEquals(2, req.state());
    }

    @Test
    void aNonceDifferingInAnyByteIsInvalidNonce() {
        byte[] n = req.lockOk();
        for (int i : new int[] {0, 15, 31}) {
            byte[] bad = n.clone();
            bad[i] ^= 1;
            req.expectError(Requester.start(bad), 0x0102);   // case 6.4 shape
            assertEquals(1, req.state(), "a failed START stays CONFIG_LOCKED");
        }
        req.expect(Requester.start(n), 0x06);
    }

    @Test
    void theNonceIsInvalidatedByStart() {
        byte[] n = req.lockOk();
        req.expect(Requester.start(n), 0x06);
        req.expect(Requester.msg(0x87), 0x07);
        req.lockOk();
        req.expectError(Requester.start(n), 0x0102);
    }

    @Test
    void theNonceIsDestroyedByLockedToError() {
        byte[] n = req.lockOk();
        req.dev.injectError();
        req.expect(Requester.msg(0x87), 0x07);
        req.lockOk();
        req.expectError(Requester.start(n), 0x0102);
    }

    @Test
    void startOutsideLockedIsInvalidInterfaceStateEvenWithTheRightNonce() {
        req.expectError(Requester.start(new byte[32]), 0x0004);   // case 6.2: UNLOCKED
        byte[] n = req.lockOk();
        req.expect(Requester.start(n), 0x06);
        req.expectError(Requester.start(n), 0x0004);              // case 6.3: RUN
        req.dev.flr(Origin.HOST);
        req.expectError(Requester.start(n), 0x0004);              // ERROR
    }

    @Test
    void aTruncatedNonceIsInvalidRequest() {
        byte[] n = req.lockOk();
        req.expectError(Requester.msg(0x86, java.util.Arrays.copyOf(n, 31)), 0x0001);
        assertEquals(1, req.state());
        req.expect(Requester.start(n), 0x06);
    }
}
