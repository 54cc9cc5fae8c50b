package tdisp.world;

/**
 * How far a TDI's bring-up got, in order. A scenario names the stage it needs (the state
 * its event is about); a run that never got there reports "not reached" instead of a pass,
 * so a design that never brings the device up cannot look safer than one that does.
 */
public enum Stage {
    /** Nothing yet (connected, not bound). */
    NONE("none"),
    /** pci_tsm bound the TDI to the VM. */
    BOUND("bound"),
    /** The TDI is CONFIG_LOCKED (or further). */
    LOCKED("locked"),
    /** The TDI is RUN. */
    RUN("run"),
    /** A device T=1 DMA landed in the guest's private memory with the TDI in RUN. */
    SECURE_DMA("secure-dma");

    private final String token;

    Stage(String token) { this.token = token; }

    public String token() { return token; }

    public boolean atLeast(Stage s) { return compareTo(s) >= 0; }

    /** The stage with this token (as correctness.csv prints it). */
    public static Stage parse(String token) {
        for (Stage s : values()) if (s.token.equals(token)) return s;
        throw new IllegalArgumentException("unknown stage '" + token + "'");
    }
}
