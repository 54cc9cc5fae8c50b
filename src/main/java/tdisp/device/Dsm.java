package tdisp.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tdisp.device.wire.Tdisp;
import tdisp.device.wire.Transport;

/**
 * The Device Security Manager of one physical device: the TDISP responder for every TDI
 * the device hosts (PF0 and its VFs), the SPDM session the TSM set up with it, the IDE
 * keys programmed over that session, and the nonce generator. On the host side one DSM is
 * one {@code pci_tsm_pf0} with its {@code lock}.
 *
 * <p>Session and keys are separate state: the responder answers nothing without a secure
 * session (§11.2.2), and LOCK with a session but no keys for the named default stream is
 * INVALID_REQUEST (Table 11-12; Intel tee-io-validator case 3.2).
 */
public final class Dsm {
    /** The SPDM session id of the model's one session per DSM (ReqSessionID | RspSessionID << 16; values ours). */
    public static final long SESSION_ID = 0xFFFE_0001L;
    /** The device's PCI-SIG vendor id for VDM_REQUEST and VENDOR_SPECIFIC_ERROR (FFFFh: hypothetical, no real vendor). */
    public static final int VENDOR_ID = 0xFFFF;
    /** LOCK_INTERFACE_FLAGS_SUPPORTED: no MSI-X capability, so no LOCK_MSIX (libspdm flag bits). */
    public static final int LOCK_FLAGS_SUPPORTED = Tdisp.FLAG_NO_FW_UPDATE | Tdisp.FLAG_SYSTEM_CACHE_LINE_SIZE
            | Tdisp.FLAG_BIND_P2P | Tdisp.FLAG_ALL_REQUEST_REDIRECT;
    /** DEV_ADDR_WIDTH: 52 bits, the least TDX Connect accepts (tdisp.md §5.2). */
    public static final int DEV_ADDR_WIDTH = 52;
    /** NUM_REQ_THIS and NUM_REQ_ALL: one outstanding request, as TDX enforces per TDI (§11.2.3). */
    public static final int NUM_REQ = 1;
    /** P2P stream ids the device can bind (device-specific; 64 fits one mask word). */
    public static final int P2P_STREAMS = 64;

    final List<PciFunction> functions = new ArrayList<>();
    final NonceSource nonces;
    final int reqMsgsSupported;   // REQ_MSGS_SUPPORTED bits 31:0, bit (code - 80h)
    final int maxPortion;

    // ---- state (all of it in the owning function's snapshot) ----
    boolean session;
    boolean keys;
    int streamId;
    boolean rejectLock;

    private final TdispResponder responder = new TdispResponder(this);
    /** Requester-side buffers for {@link PciFunction#tdisp}, the object API's convenience path. */
    final byte[] tx = new byte[Transport.BUFFER];
    final byte[] rx = new byte[Transport.BUFFER];

    Dsm(long seed, int reqMsgsSupported, int maxPortion) {
        this.nonces = new NonceSource(seed);
        this.reqMsgsSupported = reqMsgsSupported;
        if (maxPortion < 1 || maxPortion > Transport.BUFFER - Transport.TDISP_AT - 64) throw new IllegalArgumentException("portion " + maxPortion);
        this.maxPortion = maxPortion;
    }

    public List<PciFunction> functions() { return Collections.unmodifiableList(functions); }

    /** The function that hosts the DSM (PF0): it carries the DSM's state in its snapshot. */
    public PciFunction pf0() { return functions.get(0); }

    PciFunction function(long functionId) {
        for (int i = 0; i < functions.size(); i++) {   // indexed: no iterator on the hot path
            PciFunction f = functions.get(i);
            if ((f.interfaceId() & 0xFFFF_FFFFL) == functionId) return f;
        }
        return null;
    }

    /**
     * One DOE exchange: {@code len} bytes in, the response's length out, 0 for no response.
     * Allocates nothing on the paths the model runs in steady state.
     */
    public int doe(byte[] in, int len, byte[] out) { return responder.doe(in, len, out); }

    // ---- session and keys ----

    public void spdmSessionUp() { session = true; }

    /** IDE_KM KEY_PROG + K_SET_GO for the default stream {@code id}, over the session. */
    public void ideKeysProgrammed(int id) {
        if (!session) throw new IllegalStateException("IDE_KM needs the SPDM session");
        keys = true;
        streamId = id;
    }

    public boolean spdmSession() { return session; }

    public boolean ideKeys() { return keys; }

    /** The default stream goes Insecure (§3 row 12): keys unusable, every locked TDI to ERROR. */
    void streamInsecure(ErrorTrigger trigger, Origin origin) {
        keys = false;
        for (PciFunction f : functions) f.toError(trigger, origin);
    }

    /** The session ends (§3 row 13): the streams it keyed go Insecure and every TDI locked over it to ERROR; nothing is answered after. */
    void sessionEnd(Origin origin) {
        streamInsecure(ErrorTrigger.SPDM_SESSION_END, origin);
        session = false;
    }

    /** Conventional reset (§11.4.8): every TDI to CONFIG_UNLOCKED, session and IDE keys cleared. */
    void conventionalReset() {
        for (PciFunction f : functions) f.resetToUnlocked();
        session = false;
        keys = false;
    }

    // ---- device configuration faults (hypothetical device policies, for reachability) ----

    /** The entropy source fails: LOCK answers INSUFFICIENT_ENTROPY. */
    public void setEntropyFailure(boolean on) { nonces.setEntropyFailure(on); }

    /** The device rejects its configuration at LOCK: INVALID_DEVICE_CONFIGURATION. */
    public void setRejectLockConfiguration(boolean on) { rejectLock = on; }

    // ---- snapshot ----

    static final int WORDS = 2;

    long word(int i, boolean canonical) {
        if (i == 0) {
            return (session ? 1L : 0) | (keys ? 2L : 0) | (nonces.entropyFailure() ? 4L : 0) | (rejectLock ? 8L : 0)
                    | (long) streamId << 8;
        }
        // The counter decides only which fresh value the next LOCK draws, never whether a held
        // nonce matches (the TSMs encode that relation), so canonically it is left out.
        return canonical ? 0 : nonces.counter();
    }

    void restoreWord(int i, long v) {
        if (i == 0) {
            if ((v & ~0xFF0FL) != 0) throw new IllegalArgumentException("DSM snapshot " + Long.toHexString(v));
            session = (v & 1) != 0;
            keys = (v & 2) != 0;
            nonces.setEntropyFailure((v & 4) != 0);
            rejectLock = (v & 8) != 0;
            streamId = (int) (v >>> 8) & 0xFF;
        } else {
            nonces.setCounter(v);
        }
    }
}
