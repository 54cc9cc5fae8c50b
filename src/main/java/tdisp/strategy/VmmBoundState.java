package tdisp.strategy;

import java.util.List;

/** How the VMM knows a TDI is bound (for its config-space trap). */
public enum VmmBoundState {
    /** Only from a bind or unbind it carried itself (blind under KVM-direct). */
    CARRIED("carried"),
    /** From the pci_tsm "tsm/bound" sysfs attribute (tsm.git f7ae6d4ec652), whoever bound it. */
    SYSFS("sysfs");

    private final String token;

    VmmBoundState(String token) { this.token = token; }

    public String token() { return token; }

    public static VmmBoundState parse(String token) { return Tokens.parse(token, values(), VmmBoundState::token); }

    public static List<String> tokens() { return Tokens.of(values(), VmmBoundState::token); }
}
