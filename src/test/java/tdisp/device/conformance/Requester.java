package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import tdisp.device.Dsm;
import tdisp.device.MmioRange;
import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.wire.Transport;

/**
 * A test TSM that speaks raw bytes: each conformance case writes the request field by field
 * at the byte offsets the spec tables give (not through the model's encoder), sends it to
 * the DSM in a secured SPDM VENDOR_DEFINED_REQUEST over DOE, and reads the response bytes.
 */
final class Requester {
    static final int BDF = 0x0310;
    /** INTERFACE_ID.FUNCTION_ID: Requester ID in bits 15:0, no segment. */
    static final int FID = BDF;
    static final MmioRange TEE = new MmioRange(0, 0x0000, 0x2000, true);
    static final MmioRange SHARED = new MmioRange(0, 0x2000, 0x1000, false);
    static final MmioRange UPDATABLE = new MmioRange(4, 0x0000, 0x1000, true, true);
    static final MmioRange BAR2 = new MmioRange(2, 0x0000, 0x4000, false);
    static final List<MmioRange> BARS = List.of(TEE, SHARED, UPDATABLE, BAR2);

    final PciFunction dev;
    final byte[] tx = new byte[Transport.BUFFER];
    final byte[] rx = new byte[Transport.BUFFER];

    Requester(PciFunction dev) { this.dev = dev; }

    /** A device with the session up, keys programmed for stream 0, MSE and BME set. */
    static Requester connected() {
        PciFunction d = new PciFunction(BDF, FID, BARS, new SplittableRandom(11));
        d.secureLinkUp();
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_MASTER, Origin.HOST);
        return new Requester(d);
    }

    // ---- building messages byte by byte ----

    /** Header (Table 11-4): TDISPVersion, MessageType, 2 reserved, FUNCTION_ID u32, 8 reserved; then the body. */
    static byte[] msg(int version, int type, long fid, byte[] body) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(version);
        o.write(type);
        o.write(0);
        o.write(0);
        le(o, fid, 4);
        le(o, 0, 8);
        o.writeBytes(body);
        return o.toByteArray();
    }

    static byte[] msg(int type, byte[] body) { return msg(0x10, type, FID, body); }

    static byte[] msg(int type) { return msg(type, new byte[0]); }

    /** Little-endian fields: pairs of (value, width in bytes). */
    static byte[] fields(long... valueWidth) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < valueWidth.length; i += 2) le(o, valueWidth[i], (int) valueWidth[i + 1]);
        return o.toByteArray();
    }

    static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) o.write((int) (v >>> (8 * i)) & 0xFF);
    }

    static byte[] lock(int flags, int stream, long reportingOffset, long p2pMask) {
        return msg(0x83, fields(flags, 2, stream, 1, 0, 1, reportingOffset, 8, p2pMask, 8));
    }

    static byte[] lock() { return lock(0, 0, 0, 0); }

    static byte[] start(byte[] nonce) { return msg(0x86, nonce); }

    static byte[] getReport(int offset, int length) { return msg(0x84, fields(offset, 2, length, 2)); }

    // ---- sending ----

    /**
     * Sends {@code tdisp} in SPDM VENDOR_DEFINED_REQUEST (SPDM 1.2, code FEh, standard id 3
     * PCI-SIG, vendor id 0001h, protocol 01h TDISP) in a secured message of {@code session}.
     */
    Rsp send(byte[] tdisp, long session) { return send(tdisp, session, 0x12); }

    /** As {@link #send(byte[], long)} in SPDM version {@code spdmVersion} (0x12 = 1.2, 0x13 = 1.3). */
    Rsp send(byte[] tdisp, long session, int spdmVersion) {
        ByteArrayOutputStream spdm = new ByteArrayOutputStream();
        spdm.writeBytes(new byte[] {(byte) spdmVersion, (byte) 0xFE, 0, 0});
        le(spdm, 3, 2);
        spdm.write(2);
        le(spdm, 0x0001, 2);
        le(spdm, 1 + tdisp.length, 2);
        spdm.write(0x01);
        spdm.writeBytes(tdisp);
        return sendSpdm(spdm.toByteArray(), session);
    }

    Rsp send(byte[] tdisp) { return send(tdisp, Dsm.SESSION_ID); }

    /** Sends an SPDM message as the application data of a secured message in a DOE object. */
    Rsp sendSpdm(byte[] spdm, long session) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int len = 8 + 8 + spdm.length + 16;
        int padded = (len + 3) & ~3;
        le(o, 0x0001, 2);             // DOE vendor id PCI-SIG
        o.write(0x02);                // secured SPDM
        o.write(0);
        le(o, padded / 4, 4);         // length in DW
        le(o, session, 4);            // DSP0277 session id
        le(o, 2 + spdm.length + 16, 2);
        le(o, spdm.length, 2);        // application data length
        o.writeBytes(spdm);
        o.writeBytes(new byte[16]);   // MAC (framing only)
        o.writeBytes(new byte[padded - len]);
        byte[] b = o.toByteArray();
        System.arraycopy(b, 0, tx, 0, b.length);
        int rl = dev.dsm().doe(tx, b.length, rx);
        return new Rsp(Arrays.copyOf(rx, rl));
    }

    /** Sends and asserts a TDISP response of {@code type} came back; returns it. */
    Rsp expect(byte[] tdisp, int type) {
        Rsp r = send(tdisp);
        assertNotNull(r.tdisp(), "no TDISP response");
        assertEquals(type, r.type(), "MessageType; error " + (r.type() == 0x7F ? Integer.toHexString((int) r.u32(16)) : "-"));
        return r;
    }

    /** Sends and asserts TDISP_ERROR with {@code code}; returns the response. */
    Rsp expectError(byte[] tdisp, int code) {
        Rsp r = expect(tdisp, 0x7F);
        assertEquals(code, r.u32(16), "ERROR_CODE");
        return r;
    }

    int state() { return expect(msg(0x85), 0x05).u8(16); }

    /** LOCK with defaults; returns the 32 nonce bytes. */
    byte[] lockOk() { return Arrays.copyOfRange(expect(lock(), 0x03).tdisp(), 16, 48); }

    void run() { expect(start(lockOk()), 0x06); }

    /** A response: the raw DOE object, and the TDISP message in it if it is one. */
    record Rsp(byte[] raw) {
        boolean none() { return raw.length == 0; }

        int spdmCode() { return raw[17] & 0xFF; }

        /** The SPDMVersion byte of the response. */
        int spdmVersion() { return raw[16] & 0xFF; }

        /** The TDISP message after the 28 bytes of DOE, secured message and SPDM vendor header, or null. */
        byte[] tdisp() {
            if (raw.length < 28 || spdmCode() != 0x7E) return null;
            int payload = (raw[25] & 0xFF) | (raw[26] & 0xFF) << 8;
            return Arrays.copyOfRange(raw, 28, 28 + payload - 1);
        }

        int type() { return tdisp()[1] & 0xFF; }

        int version() { return tdisp()[0] & 0xFF; }

        int len() { return tdisp().length; }

        int u8(int off) { return tdisp()[off] & 0xFF; }

        int u16(int off) { return u8(off) | u8(off + 1) << 8; }

        long u32(int off) { return (u16(off) | (long) u16(off + 2) << 16) & 0xFFFF_FFFFL; }

        long u64(int off) { return u32(off) | u32(off + 4) << 32; }
    }
}
