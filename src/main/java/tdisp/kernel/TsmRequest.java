package tdisp.kernel;

import tdisp.firmware.SealedRequest;

/**
 * What reaches pci_tsm_guest_req(): a scope (enum pci_tsm_req_scope in
 * include/linux/pci-tsm.h) and the opaque request. RUN and STOP are the AMD
 * SEV_TIO_OP state changes the v5 design carries as STATE_CHANGE requests; MESSAGE is an
 * encrypted TIO guest message (or TDX TD request) the host cannot read.
 */
public record TsmRequest(Op op, int scope, SealedRequest sealed) {
    /** The SNP guest request and response are 4 KiB pages; the host copies them whole. */
    public static final int PAGE = 4096;

    public static final int PCI_TSM_REQ_INFO = 0;
    public static final int PCI_TSM_REQ_STATE_CHANGE = 1;
    public static final int PCI_TSM_REQ_DEBUG_READ = 2;
    public static final int PCI_TSM_REQ_DEBUG_WRITE = 3;

    public enum Op { MESSAGE, RUN, STOP }

    public static TsmRequest message(SealedRequest r, boolean stateChange) {
        return new TsmRequest(Op.MESSAGE, stateChange ? PCI_TSM_REQ_STATE_CHANGE : PCI_TSM_REQ_INFO, r);
    }

    public static TsmRequest run() { return new TsmRequest(Op.RUN, PCI_TSM_REQ_STATE_CHANGE, null); }

    public static TsmRequest stop() { return new TsmRequest(Op.STOP, PCI_TSM_REQ_STATE_CHANGE, null); }

    /** The response the host hands back: firmware status and the sealed reply (or null). */
    public record Response(int status, byte[] sealed) {}
}
