package tdisp.kernel;

import tdisp.firmware.MsgBuf;
import tdisp.sim.RegisterValue;

/**
 * What reaches pci_tsm_guest_req(): a scope (enum pci_tsm_req_scope in
 * include/linux/pci-tsm.h) and the request and response pages. RUN and STOP are the AMD
 * SEV_TIO_OP state changes the v5 design carries as STATE_CHANGE requests (no pages);
 * MESSAGE is an encrypted TIO guest message (or TDX TD request) the host cannot read.
 * Built once per guest operation or kernel buffer and reused; the pages are mutable.
 */
public record TsmRequest(Op op, int scope, MsgBuf req, MsgBuf rsp) implements RegisterValue {
    /** The SNP guest request and response are 4 KiB pages; the host copies them whole. */
    public static final int PAGE = MsgBuf.PAGE;

    public static final int PCI_TSM_REQ_INFO = 0;
    public static final int PCI_TSM_REQ_STATE_CHANGE = 1;
    public static final int PCI_TSM_REQ_DEBUG_READ = 2;
    public static final int PCI_TSM_REQ_DEBUG_WRITE = 3;

    /**
     * MESSAGE, RUN and STOP as above. VALIDATE_MMIO and REFRESH_REPORT are Arm CCA's
     * plaintext requests (host RFC v4 uAPI rmi-da.h: __REC_DA_VDEV_MAP in STATE_CHANGE,
     * __RHI_DA_VDEV_UPDATE_INTERFACE_REPORT in INFO); appended so existing ordinals stay.
     */
    public enum Op { MESSAGE, RUN, STOP, VALIDATE_MMIO, REFRESH_REPORT, LOCK, UNLOCK }

    public static TsmRequest message(MsgBuf req, MsgBuf rsp, boolean stateChange) {
        return new TsmRequest(Op.MESSAGE, stateChange ? PCI_TSM_REQ_STATE_CHANGE : PCI_TSM_REQ_INFO, req, rsp);
    }

    public static TsmRequest run() { return new TsmRequest(Op.RUN, PCI_TSM_REQ_STATE_CHANGE, null, null); }

    public static TsmRequest stop() { return new TsmRequest(Op.STOP, PCI_TSM_REQ_STATE_CHANGE, null, null); }

    public static TsmRequest validateMmio() { return new TsmRequest(Op.VALIDATE_MMIO, PCI_TSM_REQ_STATE_CHANGE, null, null); }

    /**
     * The guest's lock and unlock as SET_TDI_STATE(LOCKED / UNLOCKED) requests (v7: the
     * host's bind no longer LOCKs; knob bind.lock=guest-request).
     */
    public static TsmRequest lock() { return new TsmRequest(Op.LOCK, PCI_TSM_REQ_STATE_CHANGE, null, null); }

    public static TsmRequest unlock() { return new TsmRequest(Op.UNLOCK, PCI_TSM_REQ_STATE_CHANGE, null, null); }

    public static TsmRequest refreshReport() { return new TsmRequest(Op.REFRESH_REPORT, PCI_TSM_REQ_INFO, null, null); }

    public boolean hasPages() { return req != null; }

    /** The same request pointing at other pages (a kernel copy). */
    public TsmRequest withPages(MsgBuf r, MsgBuf s) { return new TsmRequest(op, scope, r, s); }
}
