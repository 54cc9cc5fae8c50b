package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GET_TDISP_VERSION / TDISP_VERSION (Table 11-3 row 81h; Intel tee-io-validator case 1.1). */
class VersionConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void tdispVersionListsOneEntry10hAndEchoesTheInterfaceId() {
        Requester.Rsp r = req.expect(Requester.msg(0x81), 0x01);
        assertEquals(0x10, r.version(), "TDISPVersion (Table 11-4)");
        assertEquals(Requester.FID, r.u32(4), "INTERFACE_ID echoed");
        assertEquals(0, r.u16(2) | r.u32(8) | r.u32(12), "reserved header bytes are zero");
        assertEquals(1, r.u8(16), "VERSION_NUM_COUNT (case 1.1.5)");
        assertEquals(0x10, r.u8(17), "VERSION_NUM_ENTRY[0] (case 1.1.6)");
        assertEquals(18, r.len(), "header + count + one entry");
    }

    @Test
    void theResponseCarriesTheRequestsSpdmVersionSoAnSpdm13RequesterAcceptsIt() {
        Requester.Rsp r = req.send(Requester.msg(0x81), tdisp.device.Dsm.SESSION_ID, 0x13);
        assertEquals(0x13, r.spdmVersion(), "SPDMVersion echoed (DSP0274; spdm-emu's vendor dispatch)");
        assertEquals(0x01, r.type());
        assertEquals(0x12, req.send(Requester.msg(0x81), tdisp.device.Dsm.SESSION_ID, 0x12).spdmVersion());
        // An SPDM ERROR (here: a vendor header naming another registry) is in the request's version too.
        Requester.Rsp e = req.sendSpdm(new byte[] {0x13, (byte) 0xFE, 0, 0, 9, 0, 2, 1, 0, 1, 0, 1}, tdisp.device.Dsm.SESSION_ID);
        assertEquals(0x7F, e.spdmCode());
        assertEquals(0x13, e.spdmVersion());
    }

    @Test
    void getVersionIsLegalInEveryState() {
        req.run();
        req.expect(Requester.msg(0x81), 0x01);
        req.dev.injectError();
        req.expect(Requester.msg(0x81), 0x01);
    }

    @Test
    void anyOtherTdispVersionIsVersionMismatch() {
        // Table 11-27 VERSION_MISMATCH (0041h): the header names a version the responder does not speak.
        for (int v : new int[] {0x00, 0x11, 0x20}) {
            Requester.Rsp r = req.expectError(Requester.msg(v, 0x83, Requester.FID, Requester.fields(0, 2, 0, 1, 0, 1, 0, 8, 0, 8)), 0x0041);
            assertEquals(0x10, r.version(), "the error itself is in 1.0");
        }
        assertEquals(0, req.state(), "a rejected LOCK changes nothing");
    }

    @Test
    void getVersionWithTrailingBytesIsInvalidRequest() {
        req.expectError(Requester.msg(0x81, new byte[] {1}), 0x0001);
    }
}
