package tdisp.device;

import java.util.Objects;

/**
 * The DSM's answer. {@code error == null} is the success response (Table 11-4); otherwise it is
 * TDISP_ERROR (7Fh) with that code. {@code state} is the TDI state after the request (on a
 * failure always the state before, since a failed request never changes state). {@code nonce} is
 * set only on LOCK success (§11.3.9), {@code report} only on GET_DEVICE_INTERFACE_REPORT success.
 */
public record TdispResponse(TdispRequestCode request, TdispErrorCode error, TdiState state, long nonce,
                            InterfaceReport report) {
    public TdispResponse {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
    }

    public boolean ok() { return error == null; }

    /** Plain success responses are immutable and carry nothing else: one instance each. */
    private static final TdispResponse[][] SUCCESS = new TdispResponse[TdispRequestCode.values().length][TdiState.values().length];

    static {
        for (TdispRequestCode c : TdispRequestCode.values()) {
            for (TdiState s : TdiState.values()) SUCCESS[c.ordinal()][s.ordinal()] = new TdispResponse(c, null, s, 0L, null);
        }
    }

    static TdispResponse success(TdispRequestCode request, TdiState state) {
        return SUCCESS[request.ordinal()][state.ordinal()];
    }

    static TdispResponse failure(TdispRequestCode request, TdispErrorCode error, TdiState state) {
        return new TdispResponse(request, Objects.requireNonNull(error), state, 0L, null);
    }
}
