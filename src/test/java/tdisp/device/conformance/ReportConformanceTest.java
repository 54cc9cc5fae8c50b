package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import tdisp.device.InterfaceReport;
import tdisp.device.Origin;
import tdisp.device.PciFunction;

/**
 * GET_DEVICE_INTERFACE_REPORT / DEVICE_INTERFACE_REPORT (Table 11-3 row 84h, Table 11-15 for
 * the report structure, Table 11-16 for OFFSET/LENGTH; validator cases 4.1-4.5).
 */
class ReportConformanceTest {
    private final Requester req = Requester.connected();

    /** The report Table 11-15 lays out for {@link Requester#BARS}: 16 + 16·4 + 4 + 0 bytes. */
    private static byte[] expectedReport(PciFunction d, long reportingOffset) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Requester.le(o, 0x2, 2);          // INTERFACE_INFO: DMA_WITHOUT_PASID
        Requester.le(o, 0, 2);            // reserved
        Requester.le(o, 0, 2);            // MSI_X_MESSAGE_CONTROL
        Requester.le(o, 0, 2);            // LNR_CONTROL
        Requester.le(o, 0, 4);            // TPH_CONTROL
        Requester.le(o, 4, 4);            // MMIO_RANGE_COUNT
        // FIRST_PAGE is a 4K page number (Table 11-15, "first 4K page with offset added").
        range(o, d.barAddress(0) + reportingOffset >>> 12, 2, 0x0, 0);        // TEE
        range(o, d.barAddress(0) + 0x2000 + reportingOffset >>> 12, 1, 0x4, 0);   // IS_NON_TEE_MEM
        range(o, d.barAddress(4) + reportingOffset >>> 12, 1, 0x8, 4);        // IS_MEM_ATTR_UPDATABLE
        range(o, d.barAddress(2) + reportingOffset >>> 12, 4, 0x4, 2);        // IS_NON_TEE_MEM
        Requester.le(o, 0, 4);            // DEVICE_SPECIFIC_INFO_LEN
        return o.toByteArray();
    }

    private static void range(ByteArrayOutputStream o, long firstPage, long pages, int attr, int id) {
        Requester.le(o, firstPage, 8);
        Requester.le(o, pages, 4);
        Requester.le(o, attr, 2);
        Requester.le(o, id, 2);
    }

    private static byte[] bytes(Requester.Rsp r) { return Arrays.copyOfRange(r.tdisp(), 20, r.len()); }

    @Test
    void reportListsEveryRangeTeeAndNonTeeByteExact() {
        req.lockOk();
        Requester.Rsp r = req.expect(Requester.getReport(0, 0x400), 0x04);   // case 4.1
        byte[] expected = expectedReport(req.dev, 0);
        assertEquals(16 + 16 * 4 + 4, expected.length);
        assertEquals(expected.length, r.u16(16), "PORTION_LENGTH");
        assertEquals(0, r.u16(18), "REMAINDER_LENGTH");
        assertArrayEquals(expected, bytes(r));
        assertEquals(1, req.state(), "case 4.1.6");
        // The model's decoder reads the same bytes back.
        InterfaceReport rep = InterfaceReport.decode(r.tdisp(), 20, r.u16(16));
        assertEquals(req.dev.report(), rep);
        assertEquals(0xFFE0 & rep.interfaceInfo(), 0, "case 4.5.2");
        rep.ranges().forEach(x -> assertEquals(0, x.attributes() & 0xFFF0, "case 4.5.3"));
    }

    @Test
    void firstPageIsAPageNumberNotAByteAddress() {
        req.lockOk();
        InterfaceReport rep = req.dev.report();
        assertEquals(req.dev.barAddress(0) >>> 12, rep.ranges().get(0).firstPage());
    }

    @Test
    void aLockAskingForNoFirmwareUpdateIsReportedInInterfaceInfoBitZero() {
        req.expect(Requester.lock(0x1, 0, 0, 0), 0x03);
        Requester.Rsp r = req.expect(Requester.getReport(0, 0x400), 0x04);
        assertEquals(0x3, r.u16(20), "INTERFACE_INFO: NO_UPDATE_AFTER_LOCK | DMA_WITHOUT_PASID");
    }

    @Test
    void aLockWithoutNoFirmwareUpdateLeavesInterfaceInfoBitZeroClear() {
        req.lockOk();
        assertEquals(0x2, req.expect(Requester.getReport(0, 0x400), 0x04).u16(20));
    }

    @Test
    void mmioReportingOffsetIsAddedToEveryFirstPage() {
        req.expect(Requester.lock(0, 0, 0x10_0000_0000L, 0), 0x03);
        assertArrayEquals(expectedReport(req.dev, 0x10_0000_0000L), bytes(req.expect(Requester.getReport(0, 0x400), 0x04)));
    }

    @Test
    void portionsUnderOffsetAndLengthReassembleTheReport() {
        req.lockOk();
        byte[] expected = expectedReport(req.dev, 0);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int offset = 0;
        int remainder;
        do {
            Requester.Rsp r = req.expect(Requester.getReport(offset, 30), 0x04);
            int portion = r.u16(16);
            remainder = r.u16(18);
            assertEquals(Math.min(30, expected.length - offset), portion);
            assertEquals(expected.length - offset - portion, remainder);
            got.writeBytes(bytes(r));
            offset += portion;
        } while (remainder != 0);
        assertArrayEquals(expected, got.toByteArray());
    }

    @Test
    void theDeviceMayServeLessThanLength() {
        PciFunction d = PciFunction.withPortion(Requester.BDF, Requester.FID, Requester.BARS, 3, 32);
        d.secureLinkUp();
        Requester r = new Requester(d);
        r.lockOk();
        Requester.Rsp p = r.expect(Requester.getReport(0, 0x400), 0x04);
        assertEquals(32, p.u16(16));
        assertEquals(84 - 32, p.u16(18));
    }

    @Test
    void offsetAtOrPastTheEndOrLengthZeroIsInvalidRequest() {
        req.lockOk();
        req.expectError(Requester.getReport(0xFFFF, 1), 0x0001);   // case 4.3
        req.expectError(Requester.getReport(84, 1), 0x0001);
        req.expectError(Requester.getReport(0, 0), 0x0001);
        assertEquals(1, req.state(), "case 4.3.6");
    }

    @Test
    void reportInUnlockedOrErrorIsInvalidInterfaceState() {
        req.expectError(Requester.getReport(0, 0x400), 0x0004);    // case 4.4
        req.lockOk();
        req.dev.flr(Origin.HOST);
        req.expectError(Requester.getReport(0, 0x400), 0x0004);
    }

    /**
     * Table 11-3 lists CONFIG_LOCKED and RUN for 84h; Table 11-16 says INVALID_INTERFACE_STATE
     * "if not in CONFIG_LOCKED". The model follows Table 11-3 (and validator case 4.2): RUN is legal.
     */
    @Test
    void reportInRunIsServedFollowingTable11_3OverTable11_16() {
        req.run();
        req.expect(Requester.getReport(0, 0x400), 0x04);
        assertEquals(2, req.state(), "case 4.2.6");
    }
}
