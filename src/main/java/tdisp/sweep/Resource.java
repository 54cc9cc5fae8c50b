package tdisp.sweep;

/**
 * What a segment of a device's bring-up occupies while it runs (see {@link BringUp} for
 * which events land where).
 */
public enum Resource {
    /** The platform's global firmware queue: one server for the whole host (sev_cmd_mutex / tdx_spdm_lock). */
    GLOBAL_FW,
    /** The device's own DOE mailbox and SPDM responder: per device, never contended here. */
    DEVICE,
    /** The VM's VMM exit handling (exit to user, dispatch, the ioctl and its user copies): one server per VM. */
    VMM,
    /** The device's vCPU or kernel thread: never contended. */
    LOCAL;

    /** True if devices queue for this resource. */
    public boolean contended() { return this == GLOBAL_FW || this == VMM; }
}
