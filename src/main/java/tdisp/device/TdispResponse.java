package tdisp.device;

import java.util.Objects;

import tdisp.device.wire.Le;
import tdisp.device.wire.Tdisp;

/**
 * What the TSM learns from the DSM, decoded from the response bytes ({@link #decode}).
 * {@code answered == false}: no response came (no secure session, §11.2.2; framing not for
 * this session) or it could not be parsed. {@code error == null} is the success response
 * (Table 11-4); otherwise TDISP_ERROR with that code and ERROR_DATA. {@code state} is the
 * TDI state the response implies (LOCK: CONFIG_LOCKED, START: RUN, STOP: CONFIG_UNLOCKED,
 * DEVICE_INTERFACE_STATE: its TDI_STATE) and null when the wire says nothing about it.
 * {@code nonce} is set only on LOCK success (§11.3.9), {@code report} only on a
 * DEVICE_INTERFACE_REPORT whose portion completes the report.
 */
public record TdispResponse(TdispRequestCode request, boolean answered, TdispErrorCode error, long errorData,
                            TdiState state, Nonce nonce, InterfaceReport report) {
    public TdispResponse {
        Objects.requireNonNull(request, "request");
    }

    public boolean ok() { return answered && error == null; }

    private static final TdiState[] STATES = TdiState.values();
    /** Plain success responses are immutable: one instance per (request, implied state or none). */
    private static final TdispResponse[][] SUCCESS = new TdispResponse[TdispRequestCode.values().length][STATES.length + 1];
    private static final TdispResponse[] SILENT = new TdispResponse[TdispRequestCode.values().length];

    static {
        for (TdispRequestCode c : TdispRequestCode.values()) {
            SUCCESS[c.ordinal()][0] = new TdispResponse(c, true, null, 0, null, null, null);
            for (TdiState s : STATES) SUCCESS[c.ordinal()][s.ordinal() + 1] = new TdispResponse(c, true, null, 0, s, null, null);
            SILENT[c.ordinal()] = new TdispResponse(c, false, null, 0, null, null, null);
        }
    }

    static TdispResponse success(TdispRequestCode request, TdiState state) {
        return SUCCESS[request.ordinal()][state == null ? 0 : state.ordinal() + 1];
    }

    /** No response (or none that parses). */
    public static TdispResponse none(TdispRequestCode request) { return SILENT[request.ordinal()]; }

    /**
     * Decodes the TDISP message of {@code len} bytes at {@code at}, the answer to {@code req}.
     * Allocates only for errors, LOCK nonces and reports.
     */
    public static TdispResponse decode(TdispRequest req, byte[] b, int at, int len) {
        TdispRequestCode code = req.code();
        if (len < Tdisp.HEADER || Tdisp.version(b, at) != Tdisp.VERSION_10
                || Tdisp.functionId(b, at) != (req.interfaceId() & 0xFFFF_FFFFL)) return none(code);
        int type = Tdisp.type(b, at);
        if (type == Tdisp.TDISP_ERROR) {
            if (len < Tdisp.ERROR_LEN) return none(code);
            TdispErrorCode e = TdispErrorCode.fromCode((int) Le.u32(b, at + Tdisp.OFF_ERROR_CODE));
            if (e == null) e = TdispErrorCode.UNSPECIFIED;
            return new TdispResponse(code, true, e, Le.u32(b, at + Tdisp.OFF_ERROR_DATA), null, null, null);
        }
        if (type != code.responseCode()) return none(code);
        switch (code) {
            case LOCK_INTERFACE_REQUEST:
                if (len != Tdisp.LOCK_RESPONSE_LEN) return none(code);
                return new TdispResponse(code, true, null, 0, TdiState.CONFIG_LOCKED, Nonce.read(b, at + Tdisp.OFF_NONCE), null);
            case START_INTERFACE_REQUEST:
                return len == Tdisp.BARE_RESPONSE_LEN ? success(code, TdiState.RUN) : none(code);
            case STOP_INTERFACE_REQUEST:
                return len == Tdisp.BARE_RESPONSE_LEN ? success(code, TdiState.CONFIG_UNLOCKED) : none(code);
            case GET_DEVICE_INTERFACE_STATE:
                if (len != Tdisp.STATE_LEN || Le.u8(b, at + Tdisp.OFF_TDI_STATE) > 3) return none(code);
                return success(code, STATES[Le.u8(b, at + Tdisp.OFF_TDI_STATE)]);
            case GET_DEVICE_INTERFACE_REPORT: {
                if (len < Tdisp.OFF_REPORT_BYTES) return none(code);
                int portion = Le.u16(b, at + Tdisp.OFF_PORTION_LENGTH);
                int remainder = Le.u16(b, at + Tdisp.OFF_REMAINDER_LENGTH);
                if (Tdisp.OFF_REPORT_BYTES + portion != len) return none(code);
                int offset = req instanceof TdispRequest.GetReport g ? g.offset() : 0;
                InterfaceReport r = offset == 0 && remainder == 0 ? InterfaceReport.decode(b, at + Tdisp.OFF_REPORT_BYTES, portion) : null;
                return new TdispResponse(code, true, null, 0, null, null, r);
            }
            default:
                return success(code, null);
        }
    }

    /** For REPORT portions: PORTION_LENGTH and REMAINDER_LENGTH of a response at {@code at}. */
    public static int portionLength(byte[] b, int at) { return Le.u16(b, at + Tdisp.OFF_PORTION_LENGTH); }

    public static int remainderLength(byte[] b, int at) { return Le.u16(b, at + Tdisp.OFF_REMAINDER_LENGTH); }

}
