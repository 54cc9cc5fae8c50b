package tdisp.platform.tdx;

import tdisp.firmware.GuestMessage;
import tdisp.firmware.MsgBuf;
import tdisp.firmware.TsmFirmware;
import java.util.List;

import tdisp.device.Nonce;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispRequest;
import tdisp.device.TdispRequestCode;
import tdisp.device.TdispResponse;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;

/**
 * The TDX module with the TDX Connect extension. Connect and IDE use the extension ABI as
 * the tdx-host tree calls it (TDH.SPDM.*, TDH.IDE.STREAM.*: intel-lab-lkp/linux@06568d24
 * drivers/virt/coco/tdx-host/tdx-host.c; the newer intel/tdx@08c524aa1cd4 serialises the SPDM
 * calls on tdx_spdm_lock, tdx_ext_lock before). That ABI's bind,
 * MMIO and TDI leaves are not public, so the preview ABI's stand in, a named assumption
 * (tdx-preview-abi, labelled in vocabulary.csv and marked in the trace): names and rules
 * from the preview "tdxio" source (intel/tdx-module: tdh_mmio_unmap.c, tdh_devif_remove.c,
 * tdisp.c) and the TDX Connect architecture spec (TSM-8..11). No module implements both.
 * The kernel takes tdx_spdm_lock around each call. The module keeps its own copy of the TDISP state
 * (DEVIFCS.tdisp_sts) and the START nonce; neither VMM nor TD ever sees the nonce.
 */
public final class TdxModule extends TsmFirmware {
    public static final String SUCCESS = "TDX_SUCCESS";

    /** S-EPT state of a device's private MMIO (one TEE range per TDI in the model). */
    public enum MmioState { NONE, PENDING, MAPPED, BLOCKED }

    private final boolean[] spdm;
    private final boolean[] streamBlocked;
    private final boolean[] devif;
    private final int[] devifTd;
    private final int[] guestDevId;
    private final TdiState[] tdispSts;
    private final Nonce[] nonce;
    private final boolean[] mmiomt;
    private final MmioState[] mmio;

    public TdxModule(Sim sim, List<PciFunction> devices, Iommu iommu, int vms, Faults faults) {
        super(sim, devices, iommu, vms, faults);
        int n = devices.size();
        spdm = new boolean[n];
        streamBlocked = new boolean[n];
        devif = new boolean[n];
        devifTd = new int[n];
        guestDevId = new int[n];
        tdispSts = new TdiState[n];
        nonce = new Nonce[n];
        mmiomt = new boolean[n];
        mmio = new MmioState[n];
        java.util.Arrays.fill(devifTd, -1);
        java.util.Arrays.fill(tdispSts, TdiState.CONFIG_UNLOCKED);
        java.util.Arrays.fill(mmio, MmioState.NONE);
    }


    private String done(String leaf, String ret) {
        sim.fw(leaf, ret);
        return ret;
    }

    private int rid(int dev) { return devices.get(dev).bdf(); }

    // ---- link (TDH.SPDM.*, TDH.IDE.STREAM.*) ----

    public String tdhSpdmConnect(int dev) {
        sim.fw("TDH.SPDM.CREATE", SUCCESS);
        devices.get(dev).dsm().spdmSessionUp();
        spdm[dev] = true;
        return done("TDH.SPDM.CONNECT", SUCCESS);
    }

    public String tdhIdeStreamCreate(int dev) {
        sim.fw("TDH.IDE.STREAM.CREATE", SUCCESS);
        devices.get(dev).dsm().ideKeysProgrammed(TdispRequest.DEFAULT_STREAM_ID);
        streamBlocked[dev] = false;
        return done("TDH.IDE.STREAM.KM", SUCCESS);
    }

    /** The forced-teardown lever (TSM-11): the device sees its stream go Insecure. */
    public String tdhIdeStreamBlock(int dev) {
        streamBlocked[dev] = true;
        devices.get(dev).secureLinkDown(tdisp.device.Origin.FIRMWARE);
        return done("TDH.IDE.STREAM.BLOCK", SUCCESS);
    }

    public String tdhSpdmDisconnect(int dev) {
        if (!streamBlocked[dev]) tdhIdeStreamBlock(dev);
        sim.fw("TDH.IDE.STREAM.DELETE", SUCCESS);
        devices.get(dev).secureLinkDown(tdisp.device.ErrorTrigger.SPDM_SESSION_END, tdisp.device.Origin.FIRMWARE);
        spdm[dev] = false;
        return done("TDH.SPDM.DISCONNECT", SUCCESS);
    }

    // ---- DEVIF (TDI) ----

    /** TDH.DEVIFMT.ADD + TDH.DEVIF.CREATE + TDH.MMIOMT.ADD/SET: TDI assigned to the TD. */
    public String tdhDevifCreate(int dev, int td, int gdid) {
        if (!spdm[dev]) return done("TDH.DEVIF.CREATE", "TDX_DEVIF_INVALID_STATE");
        if (devif[dev]) return done("TDH.DEVIF.CREATE", "TDX_OPERAND_BUSY");
        sim.fw("TDH.DEVIFMT.ADD", SUCCESS);
        devif[dev] = true;
        devifTd[dev] = td;
        guestDevId[dev] = gdid;
        sim.fw("TDH.DEVIF.CREATE", SUCCESS);
        mmiomt[dev] = true;
        return done("TDH.MMIOMT.ADD", SUCCESS);
    }

    /**
     * TDH.DEVIF.REQUEST + DOE + TDH.DEVIF.RESPONSE for a VMM-initiated message. TSM-8: the
     * VMM may send only LOCK, STOP and GET_STATE; in ERROR only GET_STATE and STOP.
     */
    public String tdhDevifVmmRequest(int dev, TdispRequestCode code) {
        String leaf = "TDH.DEVIF.REQUEST(" + code + ")";
        if (!devif[dev]) return done(leaf, "TDX_DEVIF_INVALID_STATE");
        if (code != TdispRequestCode.LOCK_INTERFACE_REQUEST && code != TdispRequestCode.STOP_INTERFACE_REQUEST
                && code != TdispRequestCode.GET_DEVICE_INTERFACE_STATE) return done(leaf, "TDX_DEVIF_TDISP_INVALID_MSG");
        if (tdispSts[dev] == TdiState.ERROR && code == TdispRequestCode.LOCK_INTERFACE_REQUEST) return done(leaf, "TDX_DEVIF_TDISP_ERROR_STATE");
        sim.fw(leaf, SUCCESS);
        TdispResponse r = doe(dev, TdispRequest.of(code, fid(dev)));
        process(dev, r);
        return done("TDH.DEVIF.RESPONSE", r.ok() ? SUCCESS : "TDX_DEVIF_TDISP_ERROR(" + (r.error() == null ? "no response" : r.error()) + ")");
    }

    private void process(int dev, TdispResponse r) {
        if (!r.ok()) return;
        switch (r.request()) {
            case LOCK_INTERFACE_REQUEST -> { nonce[dev] = r.nonce(); tdispSts[dev] = TdiState.CONFIG_LOCKED; }
            case START_INTERFACE_REQUEST -> { nonce[dev] = null; tdispSts[dev] = TdiState.RUN; }
            case STOP_INTERFACE_REQUEST -> { nonce[dev] = null; tdispSts[dev] = TdiState.CONFIG_UNLOCKED; }
            case GET_DEVICE_INTERFACE_STATE -> {
                tdispSts[dev] = r.state();
                if (r.state() == TdiState.ERROR) nonce[dev] = null;
            }
            default -> { }
        }
    }

    /**
     * A TD-initiated message the VMM carries (TDH.DEVIF.REQUEST td_flag=1): the TD's
     * sealed intent is authenticated first, so the VMM cannot forge or replay it. TSM-8:
     * the TD may ask only GET_REPORT, GET_STATE and START. Writes the sealed response into
     * rsp; returns the status, or -1 when refused.
     */
    @Override
    public int carryGuestMessage(int dev, int vm, MsgBuf req, MsgBuf rsp) { return tdhDevifTdRequest(dev, vm, req, rsp); }

    public int tdhDevifTdRequest(int dev, int td, MsgBuf req, MsgBuf rsp) {
        if (!openRequest(td, req, "TDH.DEVIF.REQUEST(td_flag=1)")) return -1;
        GuestMessage.Type type = GuestMessage.typeOf(plain);
        boolean mine = devif[dev] && devifTd[dev] == td && guestDevId[dev] == GuestMessage.guestDeviceIdOf(plain);
        int status = mine ? 0 : 2;
        TdiState state = null;
        if (mine) {
            boolean start = type == GuestMessage.Type.TDISP_START;
            TdispRequest tr = start ? TdispRequest.start(fid(dev), nonce[dev]) : getStateRequest(dev);
            String leaf = start ? "TDH.DEVIF.REQUEST(td_flag=1,START_INTERFACE_REQUEST)" : "TDH.DEVIF.REQUEST(td_flag=1,GET_DEVICE_INTERFACE_STATE)";
            if (tdispSts[dev] == TdiState.ERROR && start) {
                status = 3;
                sim.fw(leaf, "TDX_DEVIF_TDISP_ERROR_STATE");
            } else {
                sim.fw(leaf, SUCCESS);
                TdispResponse r = doe(dev, tr);
                process(dev, r);
                sim.fw("TDH.DEVIF.RESPONSE", r.ok() ? SUCCESS : sim.tracing() ? "TDX_DEVIF_TDISP_ERROR(" + r.error() + ")" : null);
                status = r.ok() ? 0 : 3;
                state = r.state();
                reportState(td, dev, state);
            }
        }
        sealResponse(td, req, rsp, status, state);
        return status;
    }

    // ---- private MMIO in the S-EPT ----

    /** TDH.MMIO.MAP: KVM maps a TEE MMIO page PENDING for the TD (MMIOMT must own it). */
    public String tdhMmioMap(int dev, int td) {
        if (!mmiomt[dev] || devifTd[dev] != td) return done("TDH.MMIO.MAP", "TDX_MMIO_INVALID_HPA");
        if (mmio[dev] != MmioState.NONE) return done("TDH.MMIO.MAP", "TDX_EPT_ENTRY_NOT_FREE");
        mmio[dev] = MmioState.PENDING;
        return done("TDH.MMIO.MAP", SUCCESS);
    }

    /** TDG.MMIO.ACCEPT (TDCALL from the TD, no host involvement). */
    public String tdgMmioAccept(int dev, int td) {
        if (mmio[dev] != MmioState.PENDING || devifTd[dev] != td) return done("TDG.MMIO.ACCEPT", "TDX_MMIO_INVALID_HPA_OFFSET");
        mmio[dev] = MmioState.MAPPED;
        return done("TDG.MMIO.ACCEPT", SUCCESS);
    }

    /**
     * TDH.MMIO.BLOCK: only a MAPPED or PENDING entry can be blocked; a blocked one answers
     * TDX_GPA_RANGE_ALREADY_BLOCKED, as TDH.MEM.RANGE.BLOCK does (tdx-module
     * tdh_mem_range_block.c, sept_state_is_any_blocked).
     */
    public String tdhMmioBlock(int dev) {
        if (mmio[dev] == MmioState.NONE) return done("TDH.MMIO.BLOCK", "TDX_EPT_ENTRY_FREE");
        if (mmio[dev] == MmioState.BLOCKED) return done("TDH.MMIO.BLOCK", "TDX_GPA_RANGE_ALREADY_BLOCKED");
        mmio[dev] = MmioState.BLOCKED;
        sim.fw("TDH.MMIO.BLOCK", SUCCESS);
        return done("TDH.MEM.TRACK", SUCCESS);
    }

    /**
     * TDH.MMIO.UNMAP: legal only once the page is blocked and the TDI is CONFIG_UNLOCKED or
     * its stream blocked (tdh_mmio_unmap.c): the "no private MMIO unmap while bound" rule.
     */
    public String tdhMmioUnmap(int dev) {
        if (mmio[dev] != MmioState.BLOCKED) return done("TDH.MMIO.UNMAP", "TDX_GPA_RANGE_NOT_BLOCKED");
        if (devif[dev] && tdispSts[dev] != TdiState.CONFIG_UNLOCKED && !streamBlocked[dev]) {
            orderingRefusal("TDH.MMIO.UNMAP of dev" + dev + " while TDI is " + tdispSts[dev]);
            return done("TDH.MMIO.UNMAP", "TDX_DEVIF_TDISP_INVALID_STATE");
        }
        mmio[dev] = MmioState.NONE;
        return done("TDH.MMIO.UNMAP", SUCCESS);
    }

    // ---- trusted DMA ----

    public String tdhDmarAdd(int dev, int td) {
        secureTable.write(rid(dev), new SecureEntry(SecureEntry.State.PENDING, td, guestDevId[dev]));
        return done("TDH.DMAR.ADD", SUCCESS);
    }

    /**
     * TDG.TDI.START (leaf 68): the TD allows the host to start its LOCKED TDI
     * (intel-staging/tdx@20d1ddcbff9f tdx_connect.c; the TD's run calls it before its TDCM
     * START_TDI). The model keeps no state for it: it checks the TDI is the TD's and LOCKED.
     */
    public String tdgTdiStart(int dev, int td) {
        if (!devif[dev] || devifTd[dev] != td) return done("TDG.TDI.START", "TDCALL_TDI_NOT_PRESENT");
        if (tdispSts[dev] != TdiState.CONFIG_LOCKED) return done("TDG.TDI.START", "TDX_DEVIF_INVALID_STATE");
        return done("TDG.TDI.START", SUCCESS);
    }

    /** TDG.DMAR.ACCEPT: the TD accepts its trusted DMA entry (TSM-10). */
    public String tdgDmarAccept(int dev, int td) {
        SecureEntry e = iommu.secureEntry(rid(dev));
        if (e.state() != SecureEntry.State.PENDING || e.vm() != td) return done("TDG.DMAR.ACCEPT", "TDX_DMAR_INVALID_MAPPING_STATE");
        secureTable.write(rid(dev), new SecureEntry(SecureEntry.State.VALID, td, e.guestDeviceId()));
        return done("TDG.DMAR.ACCEPT", SUCCESS);
    }

    public String tdhDmarBlock(int dev) {
        SecureEntry e = iommu.secureEntry(rid(dev));
        if (e.state() == SecureEntry.State.NONE) return done("TDH.DMAR.BLOCK", "TDX_DMAR_INVALID_MAPPING_STATE");
        secureTable.write(rid(dev), new SecureEntry(SecureEntry.State.BLOCKED, e.vm(), e.guestDeviceId()));
        sim.fw("TDH.DMAR.BLOCK", SUCCESS);
        return done("TDH.IQINV.REQ", SUCCESS);
    }

    public String tdhDmarRemove(int dev) {
        if (iommu.secureEntry(rid(dev)).state() != SecureEntry.State.BLOCKED) return done("TDH.DMAR.REMOVE", "TDX_DMAR_INVALID_MAPPING_STATE");
        secureTable.write(rid(dev), SecureEntry.NONE);
        return done("TDH.DMAR.REMOVE", SUCCESS);
    }

    /** TDH.DEVIF.REMOVE (+ MMIOMT/DEVIFMT remove): needs UNLOCKED or a blocked stream, no DMA, no MMIO. */
    public String tdhDevifRemove(int dev) {
        if (!devif[dev]) return done("TDH.DEVIF.REMOVE", "TDX_DEVIF_INVALID_STATE");
        if (tdispSts[dev] != TdiState.CONFIG_UNLOCKED && !streamBlocked[dev]) {
            orderingRefusal("TDH.DEVIF.REMOVE of dev" + dev + " while TDI is " + tdispSts[dev]);
            return done("TDH.DEVIF.REMOVE", "TDX_DEVIF_INVALID_STATE");
        }
        if (iommu.secureEntry(rid(dev)).state() != SecureEntry.State.NONE) {
            orderingRefusal("TDH.DEVIF.REMOVE of dev" + dev + " with trusted DMA mapped");
            return done("TDH.DEVIF.REMOVE", "TDX_DEVIF_HAS_MAPPED_DMA");
        }
        if (mmio[dev] != MmioState.NONE) {
            orderingRefusal("TDH.DEVIF.REMOVE of dev" + dev + " with private MMIO mapped");
            return done("TDH.DEVIF.REMOVE", "TDX_DEVIF_HAS_MAPPED_MMIO");
        }
        devif[dev] = false;
        devifTd[dev] = -1;
        mmiomt[dev] = false;
        sim.fw("TDH.DEVIF.REMOVE", SUCCESS);
        sim.fw("TDH.MMIOMT.REMOVE", SUCCESS);
        return done("TDH.DEVIFMT.REMOVE", SUCCESS);
    }

    /** TDH.MNG.VPFLUSHDONE/TDH.PHYMEM.PAGE.RECLAIM of the TDR: refused while a DEVIF names the TD. */
    public String tdhTdTeardown(int td) {
        for (int d = 0; d < devices.size(); d++) {
            if (devif[d] && devifTd[d] == td) {
                sim.assume(tdisp.sim.Assumption.VM_DESTROY_REFUSED_WHILE_BOUND);
                orderingRefusal("TD teardown of vm" + td + " while DEVIF " + d + " exists");
                return done("TDH.PHYMEM.PAGE.RECLAIM(TDR)", "TDX_OPERAND_BUSY");
            }
        }
        return done("TDH.PHYMEM.PAGE.RECLAIM(TDR)", SUCCESS);
    }

    @Override
    protected void savePlatform(tdisp.sim.StateWriter w) {
        for (int k = 0; k < spdm.length; k++) {
            int d = w.at(k);
            w.putBool(spdm[d]);
            w.putBool(streamBlocked[d]);
            w.putBool(devif[d]);
            w.putId(devifTd[d]);
            w.put(guestDevId[d]);
            w.put(tdispSts[d].ordinal());
            putNonce(w, nonce[d], devices.get(d));
            w.putBool(mmiomt[d]);
            w.put(mmio[d].ordinal());
        }
    }

    private static final TdiState[] TDI_STATES = TdiState.values();
    private static final MmioState[] MMIO_STATES = MmioState.values();

    @Override
    protected void loadPlatform(tdisp.sim.StateReader r) {
        for (int d = 0; d < spdm.length; d++) {
            spdm[d] = r.getBool();
            streamBlocked[d] = r.getBool();
            devif[d] = r.getBool();
            devifTd[d] = r.get();
            guestDevId[d] = r.get();
            tdispSts[d] = TDI_STATES[r.get()];
            nonce[d] = getNonce(r);
            mmiomt[d] = r.getBool();
            mmio[d] = MMIO_STATES[r.get()];
        }
    }

    public MmioState mmioState(int dev) { return mmio[dev]; }

    public TdiState tdispSts(int dev) { return tdispSts[dev]; }

    @Override
    public int boundVm(int dev) { return devif[dev] ? devifTd[dev] : -1; }

    @Override
    public boolean tdiObjectExists(int dev) { return devif[dev]; }

    @Override
    public boolean privateMmio(int dev) { return mmio[dev] != MmioState.NONE; }

    @Override
    public TdiState reportedState(int dev) { return tdispSts[dev]; }
}
