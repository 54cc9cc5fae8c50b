package tdisp.device.wire;

/**
 * How a TDISP message travels between the TSM and the DSM: a PCI DOE data object of type
 * "secured SPDM", holding a DSP0277 secured message, holding an SPDM VENDOR_DEFINED_REQUEST
 * or VENDOR_DEFINED_RESPONSE (DSP0274) with the PCI-SIG vendor-defined header, whose
 * protocol id 01h says TDISP. Layouts from DMTF/libspdm {@code include/industry_standard/}
 * {@code pcidoe.h} (DOE header, {@code pci_doe_spdm_vendor_defined_header_t}),
 * {@code spdm_secured_message.h} and {@code spdm.h} (registry id 3 = PCI-SIG),
 * {@code pci_tdisp.h} ({@code PCI_PROTOCOL_ID_TDISP}).
 *
 * <pre>
 *  0  DOE: vendor id 0001h u16, type 02h u8, reserved u8, length in DW u32 (bits 17:0)
 *  8  secured message: session id u32, length u16 (of what follows, MAC included),
 *     application data length u16        (PCI DOE carries no sequence number field)
 * 16  SPDM: SPDMVersion u8, code FEh / 7Eh u8, param1 u8, param2 u8,
 *     standard id 0003h u16, vendor id len 2 u8, vendor id 0001h u16,
 *     payload length u16 (protocol id byte included), protocol id 01h u8
 * 28  TDISP message
 *  …  MAC[16], then zero padding to a DW boundary
 * </pre>
 *
 * Framing only: the MAC is carried as zeros and not checked, and the application data is
 * not encrypted; the model's confidentiality comes from who holds the buffers, not AES.
 */
public final class Transport {
    private Transport() {}

    public static final int DOE_VENDOR_PCISIG = 0x0001;
    public static final int DOE_TYPE_SPDM = 0x01;
    public static final int DOE_TYPE_SECURED_SPDM = 0x02;
    public static final int DOE_HEADER = 8;
    public static final int SECURED_HEADER = 8;
    public static final int MAC = 16;
    /** SPDM 1.2, the version the model's TSMs send; the DSM answers in whatever version it was asked. */
    public static final int SPDM_VERSION_12 = 0x12;
    public static final int SPDM_VENDOR_DEFINED_REQUEST = 0xFE;
    public static final int SPDM_VENDOR_DEFINED_RESPONSE = 0x7E;
    public static final int SPDM_ERROR = 0x7F;
    public static final int SPDM_ERROR_INVALID_REQUEST = 0x01;
    public static final int SPDM_ERROR_UNSUPPORTED_REQUEST = 0x07;
    public static final int REGISTRY_PCISIG = 3;
    public static final int VENDOR_ID_PCISIG = 0x0001;
    public static final int PROTOCOL_TDISP = 0x01;
    public static final int PROTOCOL_IDE_KM = 0x00;
    public static final int SPDM_VDM_HEADER = 12;
    /** Where the TDISP message starts in a transport buffer. */
    public static final int TDISP_AT = DOE_HEADER + SECURED_HEADER + SPDM_VDM_HEADER;
    /** A buffer that holds any message the model sends (the largest is a 1 KiB report portion). */
    public static final int BUFFER = 2048;

    /** What {@link #open} found. */
    public static final int NOT_FOR_US = -1;      // framing or session wrong: drop, no response
    public static final int SPDM_MALFORMED = -2;  // SPDM message we can parse but reject with an SPDM ERROR
    public static final int SPDM_UNSUPPORTED = -3;

    /**
     * Frames the {@code tdispLen} bytes at {@link #TDISP_AT} as a VENDOR_DEFINED request
     * ({@code request}) or response in a secured message of {@code sessionId}; returns the
     * DOE object length in bytes.
     */
    public static int seal(byte[] b, int tdispLen, long sessionId, boolean request) {
        return seal(b, tdispLen, sessionId, request, SPDM_VERSION_12);
    }

    /** As {@link #seal(byte[], int, long, boolean)} with SPDMVersion {@code version} (a response echoes its request's). */
    public static int seal(byte[] b, int tdispLen, long sessionId, boolean request, int version) {
        int spdm = DOE_HEADER + SECURED_HEADER;
        Le.put8(b, spdm, version);
        Le.put8(b, spdm + 1, request ? SPDM_VENDOR_DEFINED_REQUEST : SPDM_VENDOR_DEFINED_RESPONSE);
        Le.put16(b, spdm + 2, 0);
        Le.put16(b, spdm + 4, REGISTRY_PCISIG);
        Le.put8(b, spdm + 6, 2);
        Le.put16(b, spdm + 7, VENDOR_ID_PCISIG);
        Le.put16(b, spdm + 9, 1 + tdispLen);
        Le.put8(b, spdm + 11, PROTOCOL_TDISP);
        return secure(b, SPDM_VDM_HEADER + tdispLen, sessionId);
    }

    /** Wraps {@code appLen} bytes of SPDM at offset 16 into the secured message and DOE object. */
    public static int secure(byte[] b, int appLen, long sessionId) {
        int mac = DOE_HEADER + SECURED_HEADER + appLen;
        Le.zero(b, mac, MAC);
        int end = mac + MAC;
        int padded = (end + 3) & ~3;
        Le.zero(b, end, padded - end);
        Le.put16(b, 0, DOE_VENDOR_PCISIG);
        Le.put8(b, 2, DOE_TYPE_SECURED_SPDM);
        Le.put8(b, 3, 0);
        Le.put32(b, 4, padded / 4);
        Le.put32(b, DOE_HEADER, sessionId);
        Le.put16(b, DOE_HEADER + 4, 2 + appLen + MAC);
        Le.put16(b, DOE_HEADER + 6, appLen);
        return padded;
    }

    /**
     * Checks the DOE object and secured message for {@code sessionId}; returns the length of
     * the SPDM message at offset 16, or {@link #NOT_FOR_US}.
     */
    public static int unsecure(byte[] b, int len, long sessionId) {
        if (len < DOE_HEADER + SECURED_HEADER + MAC || (len & 3) != 0) return NOT_FOR_US;
        if (Le.u16(b, 0) != DOE_VENDOR_PCISIG || Le.u8(b, 2) != DOE_TYPE_SECURED_SPDM) return NOT_FOR_US;
        if ((Le.u32(b, 4) & 0x3FFFF) * 4 != len) return NOT_FOR_US;
        if (Le.u32(b, DOE_HEADER) != sessionId) return NOT_FOR_US;
        int rest = Le.u16(b, DOE_HEADER + 4);
        int app = Le.u16(b, DOE_HEADER + 6);
        if (rest != 2 + app + MAC || DOE_HEADER + 6 + rest > len) return NOT_FOR_US;
        return app;
    }

    /**
     * Opens a sealed TDISP message: returns the TDISP length at {@link #TDISP_AT}, or
     * {@link #NOT_FOR_US}, {@link #SPDM_MALFORMED}, {@link #SPDM_UNSUPPORTED}.
     */
    public static int open(byte[] b, int len, long sessionId, boolean request) {
        int app = unsecure(b, len, sessionId);
        if (app < 0) return app;
        int spdm = DOE_HEADER + SECURED_HEADER;
        if (app < 4) return SPDM_MALFORMED;
        int code = Le.u8(b, spdm + 1);
        if (code != (request ? SPDM_VENDOR_DEFINED_REQUEST : SPDM_VENDOR_DEFINED_RESPONSE)) return request ? SPDM_UNSUPPORTED : NOT_FOR_US;
        if (app < SPDM_VDM_HEADER) return SPDM_MALFORMED;
        if (Le.u16(b, spdm + 4) != REGISTRY_PCISIG || Le.u8(b, spdm + 6) != 2 || Le.u16(b, spdm + 7) != VENDOR_ID_PCISIG)
            return SPDM_MALFORMED;
        int payload = Le.u16(b, spdm + 9);
        if (payload != app - (SPDM_VDM_HEADER - 1)) return SPDM_MALFORMED;
        if (Le.u8(b, spdm + 11) != PROTOCOL_TDISP) return SPDM_UNSUPPORTED;
        return payload - 1;
    }

    /** An SPDM ERROR response (DSP0274: Param1 = ErrorCode, Param2 = ErrorData) in the session, SPDMVersion {@code version}. */
    public static int spdmError(byte[] b, int version, int errorCode, int errorData, long sessionId) {
        int spdm = DOE_HEADER + SECURED_HEADER;
        Le.put8(b, spdm, version);
        Le.put8(b, spdm + 1, SPDM_ERROR);
        Le.put8(b, spdm + 2, errorCode);
        Le.put8(b, spdm + 3, errorData);
        return secure(b, 4, sessionId);
    }

    /** The SPDMVersion byte of an opened secured message (a response echoes it). */
    public static int spdmVersion(byte[] b) { return Le.u8(b, DOE_HEADER + SECURED_HEADER); }

    /** The SPDM request code of an opened secured message (for SPDM ERROR's ErrorData). */
    public static int spdmCode(byte[] b) { return Le.u8(b, DOE_HEADER + SECURED_HEADER + 1); }
}
