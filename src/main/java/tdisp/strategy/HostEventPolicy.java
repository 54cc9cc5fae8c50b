package tdisp.strategy;

import java.util.List;

/**
 * What VFIO does on a host event while the TDI is bound (close, reset, FLR, hot reset, D3,
 * runtime PM, MSE clear / BAR zap).
 */
public enum HostEventPolicy {
    /** Nothing: the event goes ahead and may put the TDI into ERROR (TDISP §11.2.6). */
    NONE("none"),
    /** vfio_pci_tsm_unbind() first, then the event (Yilun's RFC). */
    UNBIND_FIRST("unbind-first"),
    /** Fail the event with -EBUSY where it can fail; release() cannot, so there it is a no-op. */
    REFUSE("refuse");

    private final String token;

    HostEventPolicy(String token) { this.token = token; }

    /** The lowercase token used in descriptor files and {@code --set}. */
    public String token() { return token; }

    /** Parses a token; throws {@link StrategyException} {@code 'x' is not one of none|unbind-first|refuse}. */
    public static HostEventPolicy parse(String token) { return Tokens.parse(token, values(), HostEventPolicy::token); }

    /** All tokens, in declaration order. */
    public static List<String> tokens() { return Tokens.of(values(), HostEventPolicy::token); }
}
