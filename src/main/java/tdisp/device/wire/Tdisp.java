package tdisp.device.wire;

/**
 * TDISP message layout (PCIe 6.x §11.3, Tables 11-4 to 11-27; cross-checked against
 * DMTF/libspdm {@code include/industry_standard/pci_tdisp.h}). Offsets are from the first
 * byte of the TDISP message, which is the payload after the PCI-SIG protocol id byte.
 *
 * <p>Header (Table 11-4): TDISPVersion (1), MessageType (1), reserved (2), INTERFACE_ID
 * (12: FUNCTION_ID u32, reserved u64). FUNCTION_ID bits 15:0 are the Requester ID, 23:16
 * the segment, bit 24 "segment valid".
 *
 * <p>Reserved bytes, one rule for every message: a sender writes zero, the responder ignores
 * what it finds (as DMTF spdm-emu's responder does: its LOCK handler checks only length and
 * version, spdm-emu@1a7ce3c3 library/pci_tdisp_responder_lib/pci_tdisp_rsp_lock_interface.c).
 */
public final class Tdisp {
    private Tdisp() {}

    /** TDISPVersion 1.0 (major in the high nibble). */
    public static final int VERSION_10 = 0x10;

    public static final int OFF_VERSION = 0;
    public static final int OFF_TYPE = 1;
    public static final int OFF_FUNCTION_ID = 4;
    public static final int HEADER = 16;

    // Response codes (Table 11-4 / libspdm PCI_TDISP_*); requests are these + 80h.
    public static final int TDISP_VERSION = 0x01;
    public static final int TDISP_CAPABILITIES = 0x02;
    public static final int LOCK_INTERFACE_RESPONSE = 0x03;
    public static final int DEVICE_INTERFACE_REPORT = 0x04;
    public static final int DEVICE_INTERFACE_STATE = 0x05;
    public static final int START_INTERFACE_RESPONSE = 0x06;
    public static final int STOP_INTERFACE_RESPONSE = 0x07;
    public static final int BIND_P2P_STREAM_RESPONSE = 0x08;
    public static final int UNBIND_P2P_STREAM_RESPONSE = 0x09;
    public static final int SET_MMIO_ATTRIBUTE_RESPONSE = 0x0A;
    public static final int VDM_RESPONSE = 0x0B;
    public static final int TDISP_ERROR = 0x7F;

    // GET_TDISP_VERSION / TDISP_VERSION
    public static final int GET_VERSION_LEN = HEADER;
    public static final int OFF_VERSION_NUM_COUNT = HEADER;
    public static final int OFF_VERSION_NUM_ENTRY = HEADER + 1;

    // GET_TDISP_CAPABILITIES: TSM_CAPS u32
    public static final int GET_CAPABILITIES_LEN = HEADER + 4;
    // TDISP_CAPABILITIES: DSM_CAPS u32, REQ_MSGS_SUPPORTED[16],
    // LOCK_INTERFACE_FLAGS_SUPPORTED u16, reserved[3], DEV_ADDR_WIDTH, NUM_REQ_THIS, NUM_REQ_ALL
    public static final int OFF_DSM_CAPS = HEADER;
    public static final int OFF_REQ_MSGS_SUPPORTED = HEADER + 4;
    public static final int OFF_LOCK_FLAGS_SUPPORTED = HEADER + 20;
    public static final int OFF_DEV_ADDR_WIDTH = HEADER + 25;
    public static final int OFF_NUM_REQ_THIS = HEADER + 26;
    public static final int OFF_NUM_REQ_ALL = HEADER + 27;
    public static final int CAPABILITIES_LEN = HEADER + 28;

    // LOCK_INTERFACE_REQUEST (§11.3.8): FLAGS u16, StreamID u8, reserved u8,
    // MMIO_REPORTING_OFFSET u64, BIND_P2P_ADDRESS_MASK u64
    public static final int OFF_LOCK_FLAGS = HEADER;
    public static final int OFF_LOCK_STREAM_ID = HEADER + 2;
    public static final int OFF_LOCK_MMIO_REPORTING_OFFSET = HEADER + 4;
    public static final int OFF_LOCK_P2P_ADDRESS_MASK = HEADER + 12;
    public static final int LOCK_LEN = HEADER + 20;
    // LOCK_INTERFACE_RESPONSE (§11.3.9): START_INTERFACE_NONCE[32]
    public static final int OFF_NONCE = HEADER;
    public static final int LOCK_RESPONSE_LEN = HEADER + 32;

    /** LOCK FLAGS bits (libspdm PCI_TDISP_LOCK_INTERFACE_FLAGS_*). */
    public static final int FLAG_NO_FW_UPDATE = 1 << 0;
    public static final int FLAG_SYSTEM_CACHE_LINE_SIZE = 1 << 1;
    public static final int FLAG_LOCK_MSIX = 1 << 2;
    public static final int FLAG_BIND_P2P = 1 << 3;
    public static final int FLAG_ALL_REQUEST_REDIRECT = 1 << 4;

    // GET_DEVICE_INTERFACE_REPORT (Table 11-16): OFFSET u16, LENGTH u16
    public static final int OFF_REPORT_OFFSET = HEADER;
    public static final int OFF_REPORT_LENGTH = HEADER + 2;
    public static final int GET_REPORT_LEN = HEADER + 4;
    // DEVICE_INTERFACE_REPORT (§11.3.11): PORTION_LENGTH u16, REMAINDER_LENGTH u16, REPORT[]
    public static final int OFF_PORTION_LENGTH = HEADER;
    public static final int OFF_REMAINDER_LENGTH = HEADER + 2;
    public static final int OFF_REPORT_BYTES = HEADER + 4;

    public static final int GET_STATE_LEN = HEADER;
    // DEVICE_INTERFACE_STATE: TDI_STATE u8
    public static final int OFF_TDI_STATE = HEADER;
    public static final int STATE_LEN = HEADER + 1;

    // START_INTERFACE_REQUEST (§11.3.14): START_INTERFACE_NONCE[32]
    public static final int START_LEN = HEADER + 32;
    public static final int STOP_LEN = HEADER;
    /** Every success response without fields (START, STOP, P2P, SET_MMIO_ATTRIBUTE). */
    public static final int BARE_RESPONSE_LEN = HEADER;

    // BIND_P2P_STREAM_REQUEST: P2P_STREAM_ID u8 (TDISP 1.0; libspdm main has no more).
    public static final int OFF_P2P_STREAM_ID = HEADER;
    public static final int BIND_P2P_LEN = HEADER + 1;
    public static final int UNBIND_P2P_LEN = HEADER + 1;

    // SET_MMIO_ATTRIBUTE_REQUEST: one MMIO_RANGE (Table 11-15)
    public static final int OFF_SET_MMIO_RANGE = HEADER;
    public static final int SET_MMIO_ATTRIBUTE_LEN = HEADER + Report.RANGE;

    // VDM_REQUEST/VDM_RESPONSE: REGISTRY_ID u8, VENDOR_ID_LEN u8, VENDOR_ID[], data
    public static final int OFF_VDM_REGISTRY_ID = HEADER;
    public static final int OFF_VDM_VENDOR_ID_LEN = HEADER + 1;
    public static final int OFF_VDM_VENDOR_ID = HEADER + 2;
    /** REGISTRY_ID values (libspdm PCI_TDISP_REGISTRY_ID_*). */
    public static final int REGISTRY_PCISIG = 0x00;

    // TDISP_ERROR (Table 11-27): ERROR_CODE u32, ERROR_DATA u32, EXTENDED_ERROR_DATA[]
    public static final int OFF_ERROR_CODE = HEADER;
    public static final int OFF_ERROR_DATA = HEADER + 4;
    public static final int OFF_EXTENDED_ERROR_DATA = HEADER + 8;
    public static final int ERROR_LEN = HEADER + 8;

    /** Writes the header: version, type, reserved zero, FUNCTION_ID, reserved zero. */
    public static void header(byte[] b, int at, int version, int type, long functionId) {
        Le.put8(b, at + OFF_VERSION, version);
        Le.put8(b, at + OFF_TYPE, type);
        Le.put16(b, at + 2, 0);
        Le.put32(b, at + OFF_FUNCTION_ID, functionId);
        Le.put64(b, at + 8, 0);
    }

    public static int version(byte[] b, int at) { return Le.u8(b, at + OFF_VERSION); }

    public static int type(byte[] b, int at) { return Le.u8(b, at + OFF_TYPE); }

    public static long functionId(byte[] b, int at) { return Le.u32(b, at + OFF_FUNCTION_ID); }
}
