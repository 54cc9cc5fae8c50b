package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tdisp.device.Dsm;
import tdisp.device.PciFunction;

/**
 * Error behaviour: no response without a secure session (§11.2.2); framing that is not for
 * this session is dropped (DSP0277); a malformed SPDM vendor-defined message gets an SPDM
 * ERROR (DSP0274); a malformed or unsupported TDISP message gets TDISP_ERROR (Table 11-27)
 * with the header echoed, ERROR_DATA and, for VENDOR_SPECIFIC_ERROR, extended error data.
 */
class ErrorConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void withoutASecureSessionNothingIsAnswered() {
        PciFunction d = new PciFunction(Requester.BDF, Requester.FID, Requester.BARS, new SplittableRandom(4));
        Requester r = new Requester(d);
        for (int code = 0x81; code <= 0x8B; code++) assertTrue(r.send(Requester.msg(code)).none(), Integer.toHexString(code));
        assertTrue(r.send(Requester.msg(0x87)).none(), "not even STOP");
    }

    @Test
    void aMessageForAnotherSessionOrMisframedIsDropped() {
        assertTrue(req.send(Requester.msg(0x85), Dsm.SESSION_ID + 1).none());
        byte[] ok = new byte[req.tx.length];
        Requester.Rsp good = req.send(Requester.msg(0x85));
        assertTrue(!good.none());
        System.arraycopy(req.tx, 0, ok, 0, ok.length);
        int len = (int) ((ok[4] & 0xFF) | (ok[5] & 0xFF) << 8) * 4;
        byte[] bad = ok.clone();
        bad[2] = 0x01;                                  // DOE type plain SPDM, not secured
        assertEquals(0, req.dev.dsm().doe(bad, len, req.rx));
        assertEquals(0, req.dev.dsm().doe(ok, len - 4, req.rx), "DOE length disagrees with the object");
        bad = ok.clone();
        bad[12]++;                                      // secured message length
        assertEquals(0, req.dev.dsm().doe(bad, len, req.rx));
    }

    @Test
    void anSpdmRequestOtherThanVendorDefinedGetsSpdmErrorUnsupportedRequest() {
        Requester.Rsp r = req.sendSpdm(new byte[] {0x12, (byte) 0x84, 0, 0}, Dsm.SESSION_ID);   // SPDM GET_VERSION
        assertEquals(0x7F, r.spdmCode(), "SPDM ERROR");
        assertEquals(0x07, r.raw()[18], "ErrorCode UnsupportedRequest");
        assertEquals((byte) 0x84, r.raw()[19], "ErrorData = the request code");
    }

    @Test
    void aVendorHeaderNotNamingPciSigGetsSpdmErrorInvalidRequest() {
        byte[] spdm = {0x12, (byte) 0xFE, 0, 0, 2, 0, 2, 1, 0, 17, 0, 1};   // standard id 2 (USB)
        byte[] full = new byte[spdm.length + 16];
        System.arraycopy(spdm, 0, full, 0, spdm.length);
        System.arraycopy(Requester.msg(0x85), 0, full, spdm.length, 16);
        Requester.Rsp r = req.sendSpdm(full, Dsm.SESSION_ID);
        assertEquals(0x7F, r.spdmCode());
        assertEquals(0x01, r.raw()[18], "ErrorCode InvalidRequest");
    }

    @Test
    void aTruncatedTdispHeaderIsInvalidRequest() {
        Requester.Rsp r = req.send(new byte[] {0x10, (byte) 0x85, 0, 0, 0x10, 0x03, 0, 0});
        assertEquals(0x7F, r.type());
        assertEquals(1, r.u32(16));
        assertEquals(Requester.FID, r.u32(4), "what could be read of INTERFACE_ID is echoed");
    }

    @Test
    void tdispErrorLayoutAndUnsupportedRequestCarriesTheCode() {
        Requester.Rsp r = req.expectError(Requester.msg(0x8C), 0x0007);
        assertEquals(24, r.len(), "header, ERROR_CODE u32, ERROR_DATA u32");
        assertEquals(0x8C, r.u32(20), "ERROR_DATA = the request code");
        assertEquals(0x10, r.version());
        assertEquals(Requester.FID, r.u32(4));
        assertEquals(0x90, req.expectError(Requester.msg(0x90), 0x0007).u32(20));
    }

    @Test
    void aFunctionTheDsmDoesNotHostIsInvalidInterface() {
        Requester.Rsp r = req.expectError(Requester.msg(0x10, 0x85, Requester.FID + 1, new byte[0]), 0x0101);
        assertEquals(Requester.FID + 1, r.u32(4));
        req.expectError(Requester.msg(0x10, 0x83, Requester.FID | 1 << 24, Requester.fields(0, 2, 0, 1, 0, 1, 0, 8, 0, 8)), 0x0101);
        assertEquals(0, req.state());
    }

    @Test
    void aVdmForTheDevicesVendorGetsVendorSpecificErrorWithExtendedData() {
        Requester.Rsp r = req.expectError(Requester.msg(0x8B, Requester.fields(0, 1, 2, 1, Dsm.VENDOR_ID, 2, 0, 4)), 0x00FF);
        assertEquals(5, r.u32(20), "ERROR_DATA = extended data length");
        assertEquals(24 + 5, r.len());
        assertEquals(0, r.u8(24), "REGISTRY_ID PCI-SIG");
        assertEquals(2, r.u8(25), "VENDOR_ID_LEN");
        assertEquals(Dsm.VENDOR_ID, r.u16(26), "VENDOR_ID");
        assertEquals(1, r.u8(28), "vendor error data");
        req.expectError(Requester.msg(0x8B, Requester.fields(0, 1, 2, 1, 0x8086, 2)), 0x0001);
        req.expectError(Requester.msg(0x8B, Requester.fields(0, 1, 4, 1, 0, 2)), 0x0001);   // VENDOR_ID_LEN past the end
    }

    @Test
    void unsupportedOptionalMessagesAreUnsupportedRequestOnTheWire() {
        java.util.EnumSet<tdisp.device.TdispRequestCode> s = java.util.EnumSet.allOf(tdisp.device.TdispRequestCode.class);
        s.remove(tdisp.device.TdispRequestCode.SET_MMIO_ATTRIBUTE_REQUEST);
        PciFunction d = new PciFunction(Requester.BDF, Requester.FID, Requester.BARS, new SplittableRandom(4), s);
        d.secureLinkUp();
        Requester r = new Requester(d);
        r.run();
        assertEquals(0x8A, r.expectError(Requester.msg(0x8A, new byte[16]), 0x0007).u32(20));
    }
}
