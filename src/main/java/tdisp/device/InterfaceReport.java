package tdisp.device;

import java.util.List;

/**
 * DEVICE_INTERFACE_REPORT (TDISP §11.3.11), frozen at LOCK: the TEE MMIO ranges and the
 * LOCK_INTERFACE_REQUEST flags. Only what the model uses; no MSI-X or P2P fields.
 */
public record InterfaceReport(int interfaceId, List<MmioRange> ranges, int lockFlags) {
    /** LOCK_INTERFACE_REQUEST FLAGS bit 0 (§11.3.8). The model's LOCK sets no flags. */
    public static final int NO_FW_UPDATE = 1 << 0;
    /** LOCK_INTERFACE_REQUEST FLAGS bit 2 (§11.3.8). */
    public static final int LOCK_MSIX = 1 << 2;

    public InterfaceReport {
        ranges = List.copyOf(ranges);
    }
}
