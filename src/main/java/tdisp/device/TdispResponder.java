package tdisp.device;

import tdisp.device.wire.Le;
import tdisp.device.wire.Report;
import tdisp.device.wire.Tdisp;
import tdisp.device.wire.Transport;

/**
 * The DSM's TDISP responder: parses the bytes it receives and writes the response bytes
 * (tdisp.md §2.4). Check order: secure session and framing (else no response, §11.2.2),
 * SPDM vendor-defined header (else SPDM ERROR), TDISPVersion (VERSION_MISMATCH), request code
 * supported (UNSUPPORTED_REQUEST, ERROR_DATA = the code), message length (INVALID_REQUEST),
 * INTERFACE_ID hosted here (INVALID_INTERFACE), then state, then the request's own fields.
 * A failed request never changes state (Intel tee-io-validator cases 3.2-3.4, 4.3-4.4, 6.2-6.4).
 */
final class TdispResponder {
    private static final int AT = Transport.TDISP_AT;
    private final Dsm dsm;
    /** Scratch for the whole report before a portion is cut from it. */
    private final byte[] report = new byte[Transport.BUFFER];

    TdispResponder(Dsm dsm) { this.dsm = dsm; }

    int doe(byte[] in, int len, byte[] out) {
        if (!dsm.session) return 0;   // §11.2.2: without a secure session, no response
        int n = Transport.open(in, len, Dsm.SESSION_ID, true);
        if (n == Transport.NOT_FOR_US) return 0;
        // A response carries the request's SPDMVersion (DSP0274; spdm-emu's vendor dispatch copies it,
        // spdm-emu@260d6c87 library/pci_doe_responder_lib/pci_doe_spdm_vendor_dispatch.c).
        int version = Transport.spdmVersion(in);
        if (n == Transport.SPDM_MALFORMED) return Transport.spdmError(out, version, Transport.SPDM_ERROR_INVALID_REQUEST, 0, Dsm.SESSION_ID);
        if (n == Transport.SPDM_UNSUPPORTED) return Transport.spdmError(out, version, Transport.SPDM_ERROR_UNSUPPORTED_REQUEST, Transport.spdmCode(in), Dsm.SESSION_ID);
        return Transport.seal(out, respond(in, n, out), Dsm.SESSION_ID, false, version);
    }

    /** Answers the TDISP message of {@code n} bytes at {@link #AT}; returns the response length. */
    private int respond(byte[] in, int n, byte[] out) {
        long fid = n >= Tdisp.OFF_FUNCTION_ID + 4 ? Tdisp.functionId(in, AT) : 0;
        if (n < Tdisp.HEADER) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        if (Tdisp.version(in, AT) != Tdisp.VERSION_10) return error(out, fid, TdispErrorCode.VERSION_MISMATCH, 0);
        int type = Tdisp.type(in, AT);
        TdispRequestCode code = TdispRequestCode.fromCode(type);
        if (code == null || (dsm.reqMsgsSupported & (1 << code.capabilityBit())) == 0)
            return error(out, fid, TdispErrorCode.UNSUPPORTED_REQUEST, type);
        if (!wellFormed(code, in, n)) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        PciFunction f = dsm.function(fid);
        if (f == null) return error(out, fid, TdispErrorCode.INVALID_INTERFACE, 0);
        TdiState st = f.tdiState();
        switch (code) {
            case GET_TDISP_VERSION:
                // TDISP_VERSION: VERSION_NUM_COUNT = 1, VERSION_NUM_ENTRY[0] = 10h (validator case 1.1).
                header(out, fid, Tdisp.TDISP_VERSION);
                Le.put8(out, AT + Tdisp.OFF_VERSION_NUM_COUNT, 1);
                Le.put8(out, AT + Tdisp.OFF_VERSION_NUM_ENTRY, Tdisp.VERSION_10);
                return Tdisp.OFF_VERSION_NUM_ENTRY + 1;
            case GET_TDISP_CAPABILITIES:
                return capabilities(out, fid);
            case LOCK_INTERFACE_REQUEST:
                return lock(f, st, in, out, fid);
            case GET_DEVICE_INTERFACE_REPORT:
                return report(f, st, in, out, fid);
            case GET_DEVICE_INTERFACE_STATE:
                header(out, fid, Tdisp.DEVICE_INTERFACE_STATE);
                Le.put8(out, AT + Tdisp.OFF_TDI_STATE, st.wireValue());
                return Tdisp.STATE_LEN;
            case START_INTERFACE_REQUEST:
                // State before nonce (Intel validator cases 6.2-6.4).
                if (st != TdiState.CONFIG_LOCKED) return error(out, fid, TdispErrorCode.INVALID_INTERFACE_STATE, 0);
                Nonce live = f.liveNonce();
                if (live == null || !live.matches(in, AT + Tdisp.OFF_NONCE)) return error(out, fid, TdispErrorCode.INVALID_NONCE, 0);
                f.started();
                return bare(out, fid, Tdisp.START_INTERFACE_RESPONSE);
            case STOP_INTERFACE_REQUEST:
                // Any state to CONFIG_UNLOCKED; a no-op success if already there (validator case 7.3).
                // Scrub: the nonce, the report and P2P bindings go; ERROR is left only here (§11.2).
                f.set(TdiState.CONFIG_UNLOCKED);
                f.scrub();
                return bare(out, fid, Tdisp.STOP_INTERFACE_RESPONSE);
            case BIND_P2P_STREAM_REQUEST:
            case UNBIND_P2P_STREAM_REQUEST:
                return p2p(f, st, code, in, out, fid);
            case SET_MMIO_ATTRIBUTE_REQUEST:
                return setMmioAttribute(f, st, in, out, fid);
            case VDM_REQUEST:
                return vdm(in, n, out, fid);
            default:
                throw new AssertionError(code);
        }
    }

    /** Exact lengths per message; VDM needs its registry and vendor id bytes. */
    private static boolean wellFormed(TdispRequestCode code, byte[] in, int n) {
        return switch (code) {
            case GET_TDISP_VERSION -> n == Tdisp.GET_VERSION_LEN;
            case GET_TDISP_CAPABILITIES -> n == Tdisp.GET_CAPABILITIES_LEN;
            // Reserved bytes are ignored here as in the header and INTERFACE_ID (Tdisp's one rule).
            case LOCK_INTERFACE_REQUEST -> n == Tdisp.LOCK_LEN;
            case GET_DEVICE_INTERFACE_REPORT -> n == Tdisp.GET_REPORT_LEN;
            case GET_DEVICE_INTERFACE_STATE -> n == Tdisp.GET_STATE_LEN;
            case START_INTERFACE_REQUEST -> n == Tdisp.START_LEN;
            case STOP_INTERFACE_REQUEST -> n == Tdisp.STOP_LEN;
            case BIND_P2P_STREAM_REQUEST -> n == Tdisp.BIND_P2P_LEN;
            case UNBIND_P2P_STREAM_REQUEST -> n == Tdisp.UNBIND_P2P_LEN;
            case SET_MMIO_ATTRIBUTE_REQUEST -> n == Tdisp.SET_MMIO_ATTRIBUTE_LEN;
            case VDM_REQUEST -> n >= Tdisp.OFF_VDM_VENDOR_ID && n >= Tdisp.OFF_VDM_VENDOR_ID + Le.u8(in, AT + Tdisp.OFF_VDM_VENDOR_ID_LEN);
        };
    }

    private int capabilities(byte[] out, long fid) {
        header(out, fid, Tdisp.TDISP_CAPABILITIES);
        Le.put32(out, AT + Tdisp.OFF_DSM_CAPS, 0);
        Le.zero(out, AT + Tdisp.OFF_REQ_MSGS_SUPPORTED, 16);
        Le.put32(out, AT + Tdisp.OFF_REQ_MSGS_SUPPORTED, dsm.reqMsgsSupported & 0xFFFF_FFFFL);
        Le.put16(out, AT + Tdisp.OFF_LOCK_FLAGS_SUPPORTED, lockFlagsSupported());
        Le.zero(out, AT + Tdisp.OFF_LOCK_FLAGS_SUPPORTED + 2, 3);
        Le.put8(out, AT + Tdisp.OFF_DEV_ADDR_WIDTH, Dsm.DEV_ADDR_WIDTH);
        Le.put8(out, AT + Tdisp.OFF_NUM_REQ_THIS, Dsm.NUM_REQ);
        Le.put8(out, AT + Tdisp.OFF_NUM_REQ_ALL, Dsm.NUM_REQ);
        return Tdisp.CAPABILITIES_LEN;
    }

    /** BIND_P2P is offered only when the DSM implements the P2P messages. */
    private int lockFlagsSupported() {
        boolean p2p = (dsm.reqMsgsSupported & (1 << TdispRequestCode.BIND_P2P_STREAM_REQUEST.capabilityBit())) != 0;
        return p2p ? Dsm.LOCK_FLAGS_SUPPORTED : Dsm.LOCK_FLAGS_SUPPORTED & ~Tdisp.FLAG_BIND_P2P;
    }

    /**
     * LOCK_INTERFACE_REQUEST (§11.3.8, Table 11-12). INVALID_REQUEST for FLAGS outside
     * LOCK_INTERFACE_FLAGS_SUPPORTED, for IDE keys not programmed or a StreamID other than the
     * keyed default stream, and for an MMIO_REPORTING_OFFSET that is not page aligned or moves
     * a range past 2^64 (the last two inferred: FIRST_PAGE must stay a page address);
     * INVALID_DEVICE_CONFIGURATION when the device rejects its configuration;
     * INSUFFICIENT_ENTROPY when no nonce can be drawn.
     */
    private int lock(PciFunction f, TdiState st, byte[] in, byte[] out, long fid) {
        if (st != TdiState.CONFIG_UNLOCKED) return error(out, fid, TdispErrorCode.INVALID_INTERFACE_STATE, 0);
        int flags = Le.u16(in, AT + Tdisp.OFF_LOCK_FLAGS);
        if ((flags & ~lockFlagsSupported()) != 0) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        if (!dsm.keys || Le.u8(in, AT + Tdisp.OFF_LOCK_STREAM_ID) != dsm.streamId) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        long offset = Le.u64(in, AT + Tdisp.OFF_LOCK_MMIO_REPORTING_OFFSET);
        if ((offset & (Report.PAGE - 1)) != 0 || !fitsAfterOffset(f, offset)) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        if (dsm.rejectLock) return error(out, fid, TdispErrorCode.INVALID_DEVICE_CONFIGURATION, 0);
        long index = dsm.nonces.next();
        if (index == 0) return error(out, fid, TdispErrorCode.INSUFFICIENT_ENTROPY, 0);
        f.locked(index, flags, offset);
        header(out, fid, Tdisp.LOCK_INTERFACE_RESPONSE);
        f.liveNonce().write(out, AT + Tdisp.OFF_NONCE);
        return Tdisp.LOCK_RESPONSE_LEN;
    }

    private static boolean fitsAfterOffset(PciFunction f, long offset) {
        for (MmioRange r : f.bars()) {
            long end = f.barAddress(r.bar()) + r.offset() + r.pages() * Report.PAGE;
            if (Long.compareUnsigned(end + offset, end) < 0) return false;
        }
        return true;
    }

    /**
     * GET_DEVICE_INTERFACE_REPORT (Table 11-16): a portion of at most LENGTH bytes from OFFSET,
     * and what remains after it. The spec disagrees with itself on RUN: Table 11-3 lists
     * CONFIG_LOCKED and RUN as legal, Table 11-16 says INVALID_INTERFACE_STATE "if not in
     * CONFIG_LOCKED". We follow Table 11-3 (RUN legal), as Intel's validator does (case 4.2).
     * OFFSET at or past the end, or LENGTH 0, is INVALID_REQUEST (validator case 4.3).
     */
    private int report(PciFunction f, TdiState st, byte[] in, byte[] out, long fid) {
        if (st != TdiState.CONFIG_LOCKED && st != TdiState.RUN) return error(out, fid, TdispErrorCode.INVALID_INTERFACE_STATE, 0);
        int offset = Le.u16(in, AT + Tdisp.OFF_REPORT_OFFSET);
        int length = Le.u16(in, AT + Tdisp.OFF_REPORT_LENGTH);
        int total = f.buildReport().encode(report, 0);
        if (offset >= total || length == 0) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        int portion = Math.min(Math.min(length, total - offset), dsm.maxPortion);
        header(out, fid, Tdisp.DEVICE_INTERFACE_REPORT);
        Le.put16(out, AT + Tdisp.OFF_PORTION_LENGTH, portion);
        Le.put16(out, AT + Tdisp.OFF_REMAINDER_LENGTH, total - offset - portion);
        System.arraycopy(report, offset, out, AT + Tdisp.OFF_REPORT_BYTES, portion);
        return Tdisp.OFF_REPORT_BYTES + portion;
    }

    /**
     * BIND/UNBIND_P2P_STREAM (Table 11-3: RUN only). BIND needs BIND_P2P among the FLAGS the TDI
     * was locked with, a stream id the device has and that is not bound yet; UNBIND needs it bound.
     * Otherwise INVALID_REQUEST, no state change.
     */
    private int p2p(PciFunction f, TdiState st, TdispRequestCode code, byte[] in, byte[] out, long fid) {
        if (st != TdiState.RUN) return error(out, fid, TdispErrorCode.INVALID_INTERFACE_STATE, 0);
        int id = Le.u8(in, AT + Tdisp.OFF_P2P_STREAM_ID);
        long bit = id < Dsm.P2P_STREAMS ? 1L << id : 0;
        boolean bound = (f.p2pStreams() & bit) != 0;
        if (code == TdispRequestCode.BIND_P2P_STREAM_REQUEST) {
            if ((f.lockFlags() & Tdisp.FLAG_BIND_P2P) == 0 || bit == 0 || bound) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
            f.setP2pStreams(f.p2pStreams() | bit);
            return bare(out, fid, Tdisp.BIND_P2P_STREAM_RESPONSE);
        }
        if (!bound) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        f.setP2pStreams(f.p2pStreams() & ~bit);
        return bare(out, fid, Tdisp.UNBIND_P2P_STREAM_RESPONSE);
    }

    /**
     * SET_MMIO_ATTRIBUTE_REQUEST (Table 11-3: RUN only; a failure is "not fatal"). The range
     * must be one the report lists (FIRST_PAGE, NUMBER_OF_PAGES, RANGE_ID) with
     * IS_MEM_ATTR_UPDATABLE, and the request may not change the MSI-X or updatable bits.
     * Success changes no TDISP state: the model does not track memory attributes.
     */
    private int setMmioAttribute(PciFunction f, TdiState st, byte[] in, byte[] out, long fid) {
        if (st != TdiState.RUN) return error(out, fid, TdispErrorCode.INVALID_INTERFACE_STATE, 0);
        int p = AT + Tdisp.OFF_SET_MMIO_RANGE;
        long first = Le.u64(in, p + Report.RANGE_OFF_FIRST_PAGE);
        long pages = Le.u32(in, p + Report.RANGE_OFF_PAGES);
        int attr = Le.u16(in, p + Report.RANGE_OFF_ATTRIBUTES);
        int id = Le.u16(in, p + Report.RANGE_OFF_ID);
        int fixed = Report.ATTR_MSIX_TABLE | Report.ATTR_MSIX_PBA | Report.ATTR_IS_MEM_ATTR_UPDATABLE;
        for (InterfaceReport.Range r : f.buildReport().ranges()) {
            if (r.firstPage() == first && r.pages() == pages && r.rangeId() == id && r.updatable()
                    && (r.attributes() & fixed) == (attr & fixed) && (attr & ~0xF) == 0) {
                return bare(out, fid, Tdisp.SET_MMIO_ATTRIBUTE_RESPONSE);
            }
        }
        return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
    }

    /**
     * VDM_REQUEST. The device defines no vendor messages: one addressed to its own PCI-SIG
     * vendor id gets VENDOR_SPECIFIC_ERROR with extended error data naming the vendor and a
     * one-byte vendor code 01h (ours, hypothetical); any other registry or vendor is INVALID_REQUEST.
     */
    private int vdm(byte[] in, int n, byte[] out, long fid) {
        int idLen = Le.u8(in, AT + Tdisp.OFF_VDM_VENDOR_ID_LEN);
        boolean ours = Le.u8(in, AT + Tdisp.OFF_VDM_REGISTRY_ID) == Tdisp.REGISTRY_PCISIG && idLen == 2
                && Le.u16(in, AT + Tdisp.OFF_VDM_VENDOR_ID) == Dsm.VENDOR_ID;
        if (!ours) return error(out, fid, TdispErrorCode.INVALID_REQUEST, 0);
        int ext = AT + Tdisp.OFF_EXTENDED_ERROR_DATA;
        Le.put8(out, ext, Tdisp.REGISTRY_PCISIG);
        Le.put8(out, ext + 1, 2);
        Le.put16(out, ext + 2, Dsm.VENDOR_ID);
        Le.put8(out, ext + 4, 0x01);
        return error(out, fid, TdispErrorCode.VENDOR_SPECIFIC_ERROR, 5) + 5;
    }

    private static void header(byte[] out, long fid, int type) { Tdisp.header(out, AT, Tdisp.VERSION_10, type, fid); }

    private static int bare(byte[] out, long fid, int type) {
        header(out, fid, type);
        return Tdisp.BARE_RESPONSE_LEN;
    }

    /** TDISP_ERROR: ERROR_CODE, ERROR_DATA; extended data, if any, is written by the caller after. */
    private static int error(byte[] out, long fid, TdispErrorCode e, long data) {
        header(out, fid, Tdisp.TDISP_ERROR);
        Le.put32(out, AT + Tdisp.OFF_ERROR_CODE, e.code());
        Le.put32(out, AT + Tdisp.OFF_ERROR_DATA, data);
        return Tdisp.ERROR_LEN;
    }
}
