package tdisp.device;

/** Outcome of one memory TLP in the model. */
public enum TlpResult {
    COMPLETED,
    /** Rejected by the completer (UR completion, or dropped for a posted write). */
    UNSUPPORTED_REQUEST,
    /** Not claimed: Memory Space Enable is 0, or no BAR decodes the address. */
    MASTER_ABORT,
    BLOCKED_BY_IOMMU,
    /** The device could not issue it: BME = 0, or TDISP forbids it in this state (§11.2.1). */
    NOT_ISSUED
}
