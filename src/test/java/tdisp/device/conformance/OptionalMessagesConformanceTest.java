package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The optional 1.0 messages: BIND_P2P_STREAM_REQUEST (88h), UNBIND_P2P_STREAM_REQUEST (89h),
 * SET_MMIO_ATTRIBUTE_REQUEST (8Ah); Table 11-3 (RUN only, no state effect). BIND needs the
 * BIND_P2P flag at LOCK, UNBIND a bound stream, SET_MMIO_ATTRIBUTE a reported range with
 * IS_MEM_ATTR_UPDATABLE (Table 11-15).
 */
class OptionalMessagesConformanceTest {
    private final Requester req = Requester.connected();

    private void runWithFlags(int flags) {
        byte[] n = Arrays.copyOfRange(req.expect(Requester.lock(flags, 0, 0, 0), 0x03).tdisp(), 16, 48);
        req.expect(Requester.start(n), 0x06);
    }

    private static byte[] bind(int id) { return Requester.msg(0x88, new byte[] {(byte) id}); }

    private static byte[] unbind(int id) { return Requester.msg(0x89, new byte[] {(byte) id}); }

    @Test
    void bindAndUnbindAStreamWhenLockedWithBindP2p() {
        runWithFlags(0x8);
        assertEquals(16, req.expect(bind(5), 0x08).len());
        req.expectError(bind(5), 0x0001);         // already bound
        req.expect(bind(6), 0x08);
        assertEquals(16, req.expect(unbind(5), 0x09).len());
        req.expectError(unbind(5), 0x0001);       // no longer bound
        req.expect(unbind(6), 0x09);
        assertEquals(2, req.state(), "no state effect");
    }

    @Test
    void bindWithoutTheBindP2pFlagAtLockIsInvalidRequest() {
        runWithFlags(0);
        req.expectError(bind(5), 0x0001);
        assertEquals(2, req.state());
    }

    @Test
    void unbindWithNothingBoundIsInvalidRequest() {
        runWithFlags(0x8);
        req.expectError(unbind(5), 0x0001);
    }

    @Test
    void aStreamIdTheDeviceDoesNotHaveIsInvalidRequest() {
        runWithFlags(0x8);
        req.expectError(bind(64), 0x0001);
        req.expectError(bind(255), 0x0001);
    }

    @Test
    void aBindP2pLongerThanTdisp10sOneByteIsInvalidRequestWhateverTheExtraByte() {
        // No STREAM_CONFIG byte: libspdm main's pci_tdisp.h has none (7199f344).
        runWithFlags(0x8);
        req.expectError(Requester.msg(0x88, new byte[] {5, 1}), 0x0001);
        req.expectError(Requester.msg(0x88, new byte[] {5, 0}), 0x0001);
        req.expect(Requester.msg(0x88, new byte[] {5}), 0x08);
    }

    @Test
    void p2pOutsideRunIsInvalidInterfaceState() {
        req.expect(Requester.lock(0x8, 0, 0, 0), 0x03);
        req.expectError(bind(5), 0x0004);
        req.expectError(unbind(5), 0x0004);
        assertEquals(1, req.state());
    }

    private byte[] setMmio(long firstPage, long pages, int attr, int id) {
        return Requester.msg(0x8A, Requester.fields(firstPage, 8, pages, 4, attr, 2, id, 2));
    }

    @Test
    void setMmioAttributeOnAnUpdatableReportedRangeSucceeds() {
        req.run();
        long page = req.dev.barAddress(4) >>> 12;
        assertEquals(16, req.expect(setMmio(page, 1, 0x8, 4), 0x0A).len());
        req.expect(setMmio(page, 1, 0x8 | 0x4, 4), 0x0A);
        assertEquals(2, req.state());
    }

    @Test
    void setMmioAttributeOnARangeThatIsNotUpdatableOrNotReportedIsInvalidRequest() {
        req.run();
        req.expectError(setMmio(req.dev.barAddress(0) >>> 12, 2, 0x0, 0), 0x0001);        // reported, not updatable
        req.expectError(setMmio((req.dev.barAddress(4) >>> 12) + 1, 1, 0x8, 4), 0x0001); // not reported
        req.expectError(setMmio(req.dev.barAddress(4) >>> 12, 1, 0x0, 4), 0x0001);        // clears IS_MEM_ATTR_UPDATABLE
        req.expectError(setMmio(req.dev.barAddress(4) >>> 12, 1, 0x8 | 0x1, 4), 0x0001);  // claims MSI-X table
        assertEquals(2, req.state(), "a failure is not fatal");
    }

    @Test
    void setMmioAttributeOutsideRunIsInvalidInterfaceState() {
        req.lockOk();
        req.expectError(setMmio(req.dev.barAddress(4) >>> 12, 1, 0x8, 4), 0x0004);
    }
}
