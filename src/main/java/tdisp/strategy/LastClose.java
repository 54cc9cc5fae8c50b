package tdisp.strategy;

import java.util.List;

/** Order of VFIO's last close of a device file (drivers/vfio/vfio_main.c). */
public enum LastClose {
    /** As merged: ops->close_device() (vfio_pci_core_disable()) before vfio_df_iommufd_unbind(). */
    CLOSE_DEVICE_FIRST("close-device-first"),
    /** Proposed fix: iommufd unbind (vDEVICE destroy, TSM unbind) before close_device(). */
    UNBIND_FIRST("unbind-first");

    private final String token;

    LastClose(String token) { this.token = token; }

    /** The lowercase token used in descriptor files and {@code --set}. */
    public String token() { return token; }

    /** Parses a token; throws {@link StrategyException} {@code 'x' is not one of close-device-first|unbind-first}. */
    public static LastClose parse(String token) { return Tokens.parse(token, values(), LastClose::token); }

    /** All tokens, in declaration order. */
    public static List<String> tokens() { return Tokens.of(values(), LastClose::token); }
}
