package tdisp.device;

import tdisp.device.wire.Tdisp;
import tdisp.device.wire.Transport;

/**
 * The requester side of one TDISP exchange over DOE, as a TSM runs it: encode the request at
 * {@link Transport#TDISP_AT}, seal it into the session, hand the DOE object to the DSM, open
 * and decode what comes back. The buffers belong to the caller so that a hot path can reuse
 * them; nothing is allocated unless the response carries a nonce, a report or an error.
 */
public final class TdispExchange {
    private TdispExchange() {}

    public static TdispResponse exchange(Dsm dsm, TdispRequest req, byte[] tx, byte[] rx) {
        int n = req.encode(tx, Transport.TDISP_AT);
        int len = Transport.seal(tx, n, Dsm.SESSION_ID, true);
        int rl = dsm.doe(tx, len, rx);
        if (rl == 0) return TdispResponse.none(req.code());
        int m = Transport.open(rx, rl, Dsm.SESSION_ID, false);
        if (m < 0) return TdispResponse.none(req.code());
        return TdispResponse.decode(req, rx, Transport.TDISP_AT, m);
    }

    /**
     * The same exchange for a requester that keeps the response bytes and needs only to
     * know the device answered with the response it asked for (the RMM caching a report):
     * nothing is decoded, so nothing is allocated.
     */
    public static boolean exchangeOk(Dsm dsm, TdispRequest req, byte[] tx, byte[] rx) {
        int n = req.encode(tx, Transport.TDISP_AT);
        int len = Transport.seal(tx, n, Dsm.SESSION_ID, true);
        int rl = dsm.doe(tx, len, rx);
        if (rl == 0) return false;
        int m = Transport.open(rx, rl, Dsm.SESSION_ID, false);
        return m >= Tdisp.HEADER && Tdisp.type(rx, Transport.TDISP_AT) == req.code().responseCode();
    }
}
