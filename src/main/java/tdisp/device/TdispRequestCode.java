package tdisp.device;

/** TDISP request codes (TDISP §11.3.1 Table 11-3). */
public enum TdispRequestCode {
    GET_TDISP_VERSION(0x81),
    GET_TDISP_CAPABILITIES(0x82),
    LOCK_INTERFACE_REQUEST(0x83),
    GET_DEVICE_INTERFACE_REPORT(0x84),
    GET_DEVICE_INTERFACE_STATE(0x85),
    START_INTERFACE_REQUEST(0x86),
    STOP_INTERFACE_REQUEST(0x87),
    BIND_P2P_STREAM_REQUEST(0x88),
    UNBIND_P2P_STREAM_REQUEST(0x89),
    SET_MMIO_ATTRIBUTE_REQUEST(0x8A),
    VDM_REQUEST(0x8B);

    private final int code;

    TdispRequestCode(int code) { this.code = code; }

    /** The request code byte. */
    public int code() { return code; }

    /** The matching success response code (Table 11-4: request code - 80h). */
    public int responseCode() { return code - 0x80; }

    /** Bit index in REQ_MSGS_SUPPORTED of TDISP_CAPABILITIES (code - 80h, §11.3.6). */
    public int capabilityBit() { return code - 0x80; }

    /** Optional in Table 11-3 (P2P, SET_MMIO_ATTRIBUTE, VDM); all others are required. */
    public boolean optional() { return code >= 0x88; }

    /** @return the code, or null for a byte that is not a modelled request. */
    public static TdispRequestCode fromCode(int code) {
        return code >= 0x81 && code < 0x81 + BY_CODE.length ? BY_CODE[code - 0x81] : null;
    }

    private static final TdispRequestCode[] BY_CODE = values();
}
