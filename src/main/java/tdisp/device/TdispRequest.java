package tdisp.device;

import java.util.Objects;

import tdisp.device.wire.Le;
import tdisp.device.wire.Report;
import tdisp.device.wire.Tdisp;

/**
 * One TDISP request as the TSM builds it, one record per message of §11.3 with every
 * field the message has. {@link #encode} writes the bytes the DSM parses; the records are
 * the model's convenient view, the bytes are what the device sees.
 */
public sealed interface TdispRequest {
    TdispRequestCode code();

    /** INTERFACE_ID.FUNCTION_ID (bits 15:0 the Requester ID). */
    int interfaceId();

    /** Writes the message at {@code at}; returns its length. */
    default int encode(byte[] b, int at) {
        Tdisp.header(b, at, Tdisp.VERSION_10, code().code(), interfaceId() & 0xFFFF_FFFFL);
        return Tdisp.HEADER + body(b, at);
    }

    /** Writes the fields after the header; returns their length. */
    int body(byte[] b, int at);

    record GetVersion(int interfaceId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.GET_TDISP_VERSION; }
        public int body(byte[] b, int at) { return 0; }
    }

    /** TSM_CAPS is reserved (zero) in TDISP 1.0. */
    record GetCapabilities(int interfaceId, int tsmCaps) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.GET_TDISP_CAPABILITIES; }
        public int body(byte[] b, int at) { Le.put32(b, at + Tdisp.HEADER, tsmCaps); return 4; }
    }

    record Lock(int interfaceId, int flags, int streamId, long mmioReportingOffset, long bindP2pAddressMask) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.LOCK_INTERFACE_REQUEST; }
        public int body(byte[] b, int at) {
            Le.put16(b, at + Tdisp.OFF_LOCK_FLAGS, flags);
            Le.put8(b, at + Tdisp.OFF_LOCK_STREAM_ID, streamId);
            Le.put8(b, at + Tdisp.OFF_LOCK_STREAM_ID + 1, 0);
            Le.put64(b, at + Tdisp.OFF_LOCK_MMIO_REPORTING_OFFSET, mmioReportingOffset);
            Le.put64(b, at + Tdisp.OFF_LOCK_P2P_ADDRESS_MASK, bindP2pAddressMask);
            return Tdisp.LOCK_LEN - Tdisp.HEADER;
        }
    }

    record GetReport(int interfaceId, int offset, int length) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.GET_DEVICE_INTERFACE_REPORT; }
        public int body(byte[] b, int at) {
            Le.put16(b, at + Tdisp.OFF_REPORT_OFFSET, offset);
            Le.put16(b, at + Tdisp.OFF_REPORT_LENGTH, length);
            return 4;
        }
    }

    record GetState(int interfaceId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.GET_DEVICE_INTERFACE_STATE; }
        public int body(byte[] b, int at) { return 0; }
    }

    /** A null nonce is sent as 32 zero bytes (what a TSM that holds none would send). */
    record Start(int interfaceId, Nonce nonce) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.START_INTERFACE_REQUEST; }
        public int body(byte[] b, int at) {
            if (nonce == null) Le.zero(b, at + Tdisp.OFF_NONCE, Nonce.BYTES);
            else nonce.write(b, at + Tdisp.OFF_NONCE);
            return Nonce.BYTES;
        }
    }

    record Stop(int interfaceId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.STOP_INTERFACE_REQUEST; }
        public int body(byte[] b, int at) { return 0; }
    }

    record BindP2p(int interfaceId, int streamId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.BIND_P2P_STREAM_REQUEST; }
        public int body(byte[] b, int at) { Le.put8(b, at + Tdisp.OFF_P2P_STREAM_ID, streamId); return 1; }
    }

    record UnbindP2p(int interfaceId, int streamId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.UNBIND_P2P_STREAM_REQUEST; }
        public int body(byte[] b, int at) { Le.put8(b, at + Tdisp.OFF_P2P_STREAM_ID, streamId); return 1; }
    }

    /** The MMIO_RANGE as reported, with the attributes the TSM asks for. */
    record SetMmioAttribute(int interfaceId, long firstPage, long pages, int attributes, int rangeId) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.SET_MMIO_ATTRIBUTE_REQUEST; }
        public int body(byte[] b, int at) {
            Report.putRange(b, at + Tdisp.OFF_SET_MMIO_RANGE, firstPage, pages, attributes, rangeId);
            return Report.RANGE;
        }
    }

    /** VDM_REQUEST: REGISTRY_ID, VENDOR_ID_LEN, VENDOR_ID, then vendor data. */
    record Vdm(int interfaceId, int registryId, int vendorId, int vendorIdLen, int data) implements TdispRequest {
        public TdispRequestCode code() { return TdispRequestCode.VDM_REQUEST; }
        public int body(byte[] b, int at) {
            Le.put8(b, at + Tdisp.OFF_VDM_REGISTRY_ID, registryId);
            Le.put8(b, at + Tdisp.OFF_VDM_VENDOR_ID_LEN, vendorIdLen);
            for (int i = 0; i < vendorIdLen; i++) Le.put8(b, at + Tdisp.OFF_VDM_VENDOR_ID + i, vendorId >>> (8 * i));
            Le.put32(b, at + Tdisp.OFF_VDM_VENDOR_ID + vendorIdLen, data);
            return 2 + vendorIdLen + 4;
        }
    }

    /** A request that needs no fields beyond the header, or the model's defaults for them (see {@link #lock}). */
    static TdispRequest of(TdispRequestCode code, int id) {
        Objects.requireNonNull(code, "code");
        return switch (code) {
            case GET_TDISP_VERSION -> new GetVersion(id);
            case GET_TDISP_CAPABILITIES -> new GetCapabilities(id, 0);
            case LOCK_INTERFACE_REQUEST -> lock(id);
            case GET_DEVICE_INTERFACE_REPORT -> getReport(id);
            case GET_DEVICE_INTERFACE_STATE -> new GetState(id);
            case STOP_INTERFACE_REQUEST -> new Stop(id);
            default -> throw new IllegalArgumentException(code + " needs its fields");
        };
    }

    /** The default selective IDE stream id the model's TSMs key and name in LOCK. */
    int DEFAULT_STREAM_ID = 0;
    /** LENGTH the model's TSMs ask for per portion (Intel's validator uses the same, cases 4.1/4.2). */
    int REPORT_PORTION = 0x400;

    static TdispRequest version(int id) { return new GetVersion(id); }
    static TdispRequest capabilities(int id) { return new GetCapabilities(id, 0); }
    /** The LOCK every platform in the model sends: no flags, the TSM's default stream, no reporting offset or P2P mask. */
    static TdispRequest lock(int id) { return new Lock(id, 0, DEFAULT_STREAM_ID, 0, 0); }
    static TdispRequest getReport(int id) { return new GetReport(id, 0, REPORT_PORTION); }
    static TdispRequest getState(int id) { return new GetState(id); }
    static TdispRequest start(int id, Nonce nonce) { return new Start(id, nonce); }
    static TdispRequest stop(int id) { return new Stop(id); }
}
