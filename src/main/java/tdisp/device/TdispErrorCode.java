package tdisp.device;

/** TDISP_ERROR codes (TDISP §11.3.24 Table 11-27; libspdm PCI_TDISP_ERROR_CODE_*). */
public enum TdispErrorCode {
    INVALID_REQUEST(0x0001),
    BUSY(0x0003),
    INVALID_INTERFACE_STATE(0x0004),
    UNSPECIFIED(0x0005),
    UNSUPPORTED_REQUEST(0x0007),
    VERSION_MISMATCH(0x0041),
    /** ERROR_DATA = length of the extended error data (REGISTRY_ID, VENDOR_ID_LEN, VENDOR_ID, vendor data). */
    VENDOR_SPECIFIC_ERROR(0x00FF),
    INVALID_INTERFACE(0x0101),
    INVALID_NONCE(0x0102),
    INSUFFICIENT_ENTROPY(0x0103),
    INVALID_DEVICE_CONFIGURATION(0x0104);

    private final int code;

    TdispErrorCode(int code) { this.code = code; }

    /** The ERROR_CODE field value. */
    public int code() { return code; }

    /** @return the error, or null for a value that is not modelled. */
    public static TdispErrorCode fromCode(int code) {
        for (TdispErrorCode e : values()) if (e.code == code) return e;
        return null;
    }
}
