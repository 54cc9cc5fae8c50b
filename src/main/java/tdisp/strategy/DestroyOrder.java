package tdisp.strategy;

import java.util.List;

/** iommufd teardown order when an idevice goes away while it has a vDEVICE. */
public enum DestroyOrder {
    /** Since 6.17: destroying the idevice destroys its vDEVICE first. */
    VDEVICE_FIRST("vdevice-first"),
    /** Before 6.17: the idevice can go while its vDEVICE lives on. */
    LEGACY("legacy");

    private final String token;

    DestroyOrder(String token) { this.token = token; }

    /** The lowercase token used in descriptor files and {@code --set}. */
    public String token() { return token; }

    /** Parses a token; throws {@link StrategyException} {@code 'x' is not one of vdevice-first|legacy}. */
    public static DestroyOrder parse(String token) { return Tokens.parse(token, values(), DestroyOrder::token); }

    /** All tokens, in declaration order. */
    public static List<String> tokens() { return Tokens.of(values(), DestroyOrder::token); }
}
