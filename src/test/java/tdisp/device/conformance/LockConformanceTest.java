package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tdisp.device.PciFunction;

/** LOCK_INTERFACE_REQUEST / LOCK_INTERFACE_RESPONSE (Table 11-3 row 83h, Table 11-12; validator cases 3.1-3.4). */
class LockConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void lockInUnlockedReturnsA32ByteNonceAndLocks() {
        Requester.Rsp r = req.expect(Requester.lock(), 0x03);
        assertEquals(16 + 32, r.len(), "case 3.1.1: header + START_INTERFACE_NONCE[32]");
        assertEquals(Requester.FID, r.u32(4), "case 3.1.4");
        byte[] nonce = Arrays.copyOfRange(r.tdisp(), 16, 48);
        assertFalse(Arrays.equals(new byte[32], nonce), "a nonce of zeros");
        assertEquals(1, req.state(), "case 3.1.5: CONFIG_LOCKED");
    }

    @Test
    void lockWithSessionButNoIdeKeysIsInvalidRequest() {
        // Table 11-12 / case 3.2: IDE keys not programmed for the default stream.
        PciFunction d = new PciFunction(Requester.BDF, Requester.FID, Requester.BARS, new SplittableRandom(2));
        d.dsm().spdmSessionUp();
        Requester r = new Requester(d);
        r.expectError(Requester.lock(), 0x0001);
        assertEquals(0, r.state(), "case 3.2.6: still CONFIG_UNLOCKED");
        d.dsm().ideKeysProgrammed(0);
        r.expect(Requester.lock(), 0x03);
    }

    @Test
    void lockNamingAStreamOtherThanTheKeyedOneIsInvalidRequest() {
        req.expectError(Requester.lock(0, 1, 0, 0), 0x0001);
        assertEquals(0, req.state());
    }

    @Test
    void lockWithFlagsOutsideLockInterfaceFlagsSupportedIsInvalidRequest() {
        req.expectError(Requester.lock(0x4, 0, 0, 0), 0x0001);   // LOCK_MSIX: no MSI-X capability
        req.expectError(Requester.lock(0x20, 0, 0, 0), 0x0001);  // reserved bit
        assertEquals(0, req.state());
        req.expect(Requester.lock(0x1 | 0x2 | 0x8 | 0x10, 0, 0, 0), 0x03);
    }

    @Test
    void lockInLockedOrRunIsInvalidInterfaceState() {
        req.lockOk();
        req.expectError(Requester.lock(), 0x0004);   // case 3.3
        assertEquals(1, req.state());
        Requester r2 = Requester.connected();
        r2.run();
        r2.expectError(Requester.lock(), 0x0004);     // case 3.4
        assertEquals(2, r2.state());
    }

    @Test
    void unalignedMmioReportingOffsetIsInvalidRequest() {
        req.expectError(Requester.lock(0, 0, 0x800, 0), 0x0001);
        req.expectError(Requester.lock(0, 0, -4096L, 0), 0x0001);   // moves ranges past 2^64
        req.expect(Requester.lock(0, 0, 0x1_0000_0000L, 0), 0x03);
    }

    @Test
    void deviceRejectingItsConfigurationIsInvalidDeviceConfiguration() {
        req.dev.dsm().setRejectLockConfiguration(true);
        req.expectError(Requester.lock(), 0x0104);
        assertEquals(0, req.state());
    }

    @Test
    void noEntropyIsInsufficientEntropy() {
        req.dev.dsm().setEntropyFailure(true);
        req.expectError(Requester.lock(), 0x0103);
        assertEquals(0, req.state());
        req.dev.dsm().setEntropyFailure(false);
        req.lockOk();
    }

    @Test
    void lockWithAWrongLengthIsInvalidRequest() {
        req.expectError(Requester.msg(0x83, Requester.fields(0, 2, 0, 1, 0, 1, 0, 8)), 0x0001);
        assertEquals(0, req.state());
    }

    @Test
    void aNonZeroReservedByteInLockIsIgnoredAsInterfaceIdsReservedBytesAre() {
        req.expect(Requester.msg(0x83, Requester.fields(0, 2, 0, 1, 1, 1, 0, 8, 0, 8)), 0x03);
        assertEquals(1, req.state());
    }

    @Test
    void everyLockDrawsAFreshNonceAcrossStopAndReset() {
        byte[] a = req.lockOk();
        req.expect(Requester.msg(0x87), 0x07);
        byte[] b = req.lockOk();
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
        req.dev.conventionalReset(tdisp.device.Origin.HOST);
        req.dev.secureLinkUp();
        byte[] c = req.lockOk();
        assertFalse(Arrays.equals(a, c) || Arrays.equals(b, c), "a reset does not rewind the generator");
        // Same seed, same sequence: the run is reproducible.
        Requester twin = Requester.connected();
        assertArrayEquals(a, twin.lockOk());
    }
}
