package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tdisp.device.PciFunction;
import tdisp.device.TdispRequestCode;

/** GET_TDISP_CAPABILITIES / TDISP_CAPABILITIES (Table 11-3 row 82h; libspdm pci_tdisp_responder_capabilities_t). */
class CapabilitiesConformanceTest {

    @Test
    void capabilitiesCarryEveryFieldAtItsOffset() {
        Requester req = Requester.connected();
        // Request: header + TSM_CAPS u32.
        Requester.Rsp r = req.expect(Requester.msg(0x82, Requester.fields(0, 4)), 0x02);
        assertEquals(16 + 4 + 16 + 2 + 3 + 3, r.len(), "DSM_CAPS, REQ_MSGS_SUPPORTED[16], flags, reserved[3], 3 bytes");
        assertEquals(0, r.u32(16), "DSM_CAPS");
        // REQ_MSGS_SUPPORTED bit (code - 80h): 81h..8Bh all implemented.
        assertEquals(0b1111_1111_1110, r.u32(20));
        assertEquals(0, r.u32(24) | r.u32(28) | r.u32(32));
        assertEquals(0x1 | 0x2 | 0x8 | 0x10, r.u16(36), "LOCK_INTERFACE_FLAGS_SUPPORTED: no LOCK_MSIX without MSI-X");
        assertEquals(0, r.u8(38) | r.u8(39) | r.u8(40), "reserved");
        assertEquals(52, r.u8(41), "DEV_ADDR_WIDTH");
        assertEquals(1, r.u8(42), "NUM_REQ_THIS");
        assertEquals(1, r.u8(43), "NUM_REQ_ALL");
    }

    @Test
    void withoutP2pMessagesBindP2pIsNotAnOfferedLockFlag() {
        EnumSet<TdispRequestCode> s = EnumSet.allOf(TdispRequestCode.class);
        s.remove(TdispRequestCode.BIND_P2P_STREAM_REQUEST);
        s.remove(TdispRequestCode.UNBIND_P2P_STREAM_REQUEST);
        PciFunction d = new PciFunction(Requester.BDF, Requester.FID, Requester.BARS, new SplittableRandom(1), s);
        d.secureLinkUp();
        Requester req = new Requester(d);
        Requester.Rsp r = req.expect(Requester.msg(0x82, Requester.fields(0, 4)), 0x02);
        assertEquals(0, r.u32(20) & (0b11 << 8), "REQ_MSGS_SUPPORTED has no 88h/89h");
        assertEquals(0, r.u16(36) & 0x8, "BIND_P2P not offered");
        // ... and a LOCK asking for it is refused as an unsupported flag.
        req.expectError(Requester.lock(0x8, 0, 0, 0), 0x0001);
    }

    @Test
    void capabilitiesWithoutTsmCapsIsInvalidRequest() {
        Requester req = Requester.connected();
        req.expectError(Requester.msg(0x82), 0x0001);
        assertTrue(req.send(Requester.msg(0x82, Requester.fields(0, 4))).tdisp() != null);
    }
}
