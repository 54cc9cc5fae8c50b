package tdisp.device;

/** Who caused a config write, reset or event. Recorded in {@link ErrorCause} for invariant I1. */
public enum Origin {
    HOST, VMM_FORWARDED_GUEST, GUEST, FIRMWARE, INJECTED_FAULT,
    /** The link went down under the device (surprise removal, DPC containment): no software chose it. */
    LINK
}
