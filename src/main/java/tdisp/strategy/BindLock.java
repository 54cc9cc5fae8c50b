package tdisp.strategy;

import java.util.List;

/**
 * Who moves the TDI to CONFIG_LOCKED: the host's bind (ops->bind locks, as in v5 and every
 * posting before it) or the guest, whose lock request reaches the TSM as
 * SET_TDI_STATE(LOCKED) while the host's bind only creates the TDI's context (v7 on CCA:
 * the host creates the RMM VDEV; SEV and TDX under v7 by named assumption). Exactly one of
 * the two LOCKs, whatever the other knobs say.
 */
public enum BindLock {
    HOST_BIND("host-bind"),
    GUEST_REQUEST("guest-request");

    private final String token;

    BindLock(String token) { this.token = token; }

    public String token() { return token; }

    public static BindLock parse(String token) { return Tokens.parse(token, values(), BindLock::token); }

    public static List<String> tokens() { return Tokens.of(values(), BindLock::token); }
}
