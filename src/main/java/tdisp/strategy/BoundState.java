package tdisp.strategy;

import java.util.List;

/** How much VFIO knows of the TDI's bound state. */
public enum BoundState {
    /** VFIO does not know the device is bound (Alternatives 1, 2, 5). */
    NONE("none"),
    /** The TSM core / iommufd tells VFIO by callback; VFIO does not own the state. */
    NOTIFIED("notified"),
    /** VFIO owns the bound state (Alternative 4: VFIO_DEVICE_TSM_BIND). */
    OWNED("owned");

    private final String token;

    BoundState(String token) { this.token = token; }

    /** The lowercase token used in descriptor files and {@code --set}. */
    public String token() { return token; }

    /** Parses a token; throws {@link StrategyException} {@code 'x' is not one of none|notified|owned}. */
    public static BoundState parse(String token) { return Tokens.parse(token, values(), BoundState::token); }

    /** All tokens, in declaration order. */
    public static List<String> tokens() { return Tokens.of(values(), BoundState::token); }
}
