package tdisp.device;

import java.util.Objects;

/**
 * One TDISP request as the DSM receives it over DOE/SPDM. {@code nonce} is the
 * START_INTERFACE_NONCE and is only meaningful for START (TDISP §11.3.14); 0 otherwise.
 */
public record TdispRequest(TdispRequestCode code, int interfaceId, long nonce) {
    public TdispRequest {
        Objects.requireNonNull(code, "code");
    }

    public static TdispRequest of(TdispRequestCode code, int interfaceId) { return new TdispRequest(code, interfaceId, 0L); }
    public static TdispRequest version(int id) { return of(TdispRequestCode.GET_TDISP_VERSION, id); }
    public static TdispRequest capabilities(int id) { return of(TdispRequestCode.GET_TDISP_CAPABILITIES, id); }
    public static TdispRequest lock(int id) { return of(TdispRequestCode.LOCK_INTERFACE_REQUEST, id); }
    public static TdispRequest getReport(int id) { return of(TdispRequestCode.GET_DEVICE_INTERFACE_REPORT, id); }
    public static TdispRequest getState(int id) { return of(TdispRequestCode.GET_DEVICE_INTERFACE_STATE, id); }
    public static TdispRequest start(int id, long nonce) { return new TdispRequest(TdispRequestCode.START_INTERFACE_REQUEST, id, nonce); }
    public static TdispRequest stop(int id) { return of(TdispRequestCode.STOP_INTERFACE_REQUEST, id); }
    public static TdispRequest bindP2p(int id) { return of(TdispRequestCode.BIND_P2P_STREAM_REQUEST, id); }
    public static TdispRequest unbindP2p(int id) { return of(TdispRequestCode.UNBIND_P2P_STREAM_REQUEST, id); }
    public static TdispRequest setMmioAttribute(int id) { return of(TdispRequestCode.SET_MMIO_ATTRIBUTE_REQUEST, id); }
}
