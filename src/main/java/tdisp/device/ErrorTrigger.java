package tdisp.device;

/** The rows of tdisp.md §3 (TDISP §11.2, Table 11-2) that the model implements. */
public enum ErrorTrigger {
    /** Row 1: Command.MSE cleared (Table 11-2). */
    COMMAND_MSE_CLEAR,
    /** Row 1: Command.BME cleared (Table 11-2). */
    COMMAND_BME_CLEAR,
    /** Row 2: write to a BAR (Table 11-2, §11.4.5). */
    BAR_WRITE,
    /** Row 11: Function Level Reset (§11.2, §11.4.9). */
    FLR,
    /** Row 11: an FLR of the PF that hosts this VF (§11.2: a PF FLR hits all subordinate VF TDIs). */
    PF_FLR,
    /** Row 3: power transition that loses function state (D3hot to D0 without No_Soft_Reset). */
    POWER_STATE_LOSS,
    /** Row 12: the bound IDE stream went Insecure (§11.4.3, §11.4.5). */
    IDE_STREAM_INSECURE,
    /** Row 13: the SPDM session that keyed the stream ended (§11.4.5, §11.6.1). */
    SPDM_SESSION_END,
    /** Rows 14/20: device-internal fault (injected). */
    INJECTED
}
