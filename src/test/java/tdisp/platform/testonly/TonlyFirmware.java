package tdisp.platform.testonly;

import tdisp.firmware.GuestMessage;
import tdisp.firmware.MsgBuf;
import tdisp.firmware.TsmFirmware;
import java.util.List;

import tdisp.device.ErrorTrigger;
import tdisp.device.Nonce;
import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispRequest;
import tdisp.device.TdispResponse;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;

/**
 * The AMD PSP's SEV-TIO firmware (SEV-TIO Firmware Interface Specification #58271; command
 * codes and return values from include/uapi/linux/psp-sev.h and drivers/crypto/ccp/
 * sev-dev-tio.c). Each public method is one mailbox command; the kernel driver takes
 * tonly_cmd_mutex around it. The RMP entries of the devices' TEE MMIO pages live here too,
 * because the PSP checks them on MMIO_VALIDATE.
 */
public final class TonlyFirmware extends TsmFirmware {
    public static final int SUCCESS = 0x00;
    public static final int INVALID_DEV_CTX = 0x36;
    public static final int INVALID_TDI_CTX = 0x37;
    public static final int INVALID_TDI = 0x38;
    public static final int IN_USE = 0x3A;
    public static final int INVALID_DEV_STATE = 0x3B;
    public static final int INVALID_TDI_STATE = 0x3C;
    public static final int SPDM_ERROR = 0x33;
    public static final int AUTH_FAILED = 0x1B; // SEV_RET_AUTH_ERROR for a bad guest message

    // TIO_MSG_* response status values (phase2 guest numbering).
    public static final int MSG_SUCCESS = 0;
    public static final int MSG_INVALID_TDI = 1;
    public static final int MSG_TDI_UNBOUND = 2;
    public static final int MSG_NOT_ASSIGNED = 3;
    public static final int TDI_INFO_BOUND = 0;
    public static final int TDI_INFO_UNBOUND = 2;

    private final boolean[] devCtx;
    private final boolean[] connected;
    private final boolean[] tdiCtx;
    private final int[] boundVm;
    private final int[] guestDevId;
    private final Nonce[] nonce;
    private final boolean[] ran;
    private final int[] tonlyrmpAssigned;
    private final boolean[] tonlyrmpValidated;
    private final TdiState[] cachedState;
    /** The SDTE the PSP installs for a bound TDI (guest fields V, IR, IW; ASID, vBDF), built at bind. */
    private final SecureEntry[] sdte;

    public TonlyFirmware(Sim sim, List<PciFunction> devices, Iommu iommu, int vms, Faults faults) {
        super(sim, devices, iommu, vms, faults);
        int n = devices.size();
        devCtx = new boolean[n];
        connected = new boolean[n];
        tdiCtx = new boolean[n];
        boundVm = new int[n];
        guestDevId = new int[n];
        nonce = new Nonce[n];
        ran = new boolean[n];
        tonlyrmpAssigned = new int[n];
        tonlyrmpValidated = new boolean[n];
        cachedState = new TdiState[n];
        sdte = new SecureEntry[n];
        java.util.Arrays.fill(boundVm, -1);
        java.util.Arrays.fill(tonlyrmpAssigned, -1);
        java.util.Arrays.fill(cachedState, TdiState.CONFIG_UNLOCKED);
    }


    private int done(String cmd, int ret) {
        sim.fw(cmd, retName(ret));
        return ret;
    }

    // ---- link (phase 1, merged in 6.19) ----

    public int tioDevCreate(int dev) {
        devCtx[dev] = true;
        return done("TIO_DEV_CREATE", SUCCESS);
    }

    /** SPDM session and IDE_KM over DOE; the host then enables the streams. */
    public int tioDevConnect(int dev) {
        if (!devCtx[dev]) return done("TIO_DEV_CONNECT", INVALID_DEV_CTX);
        devices.get(dev).secureLinkUp();
        connected[dev] = true;
        return done("TIO_DEV_CONNECT", SUCCESS);
    }

    /** Ends the SPDM session: streams go Insecure and any locked TDI goes to ERROR. */
    public int tioDevDisconnect(int dev, boolean force) {
        devices.get(dev).secureLinkDown(ErrorTrigger.SPDM_SESSION_END, Origin.FIRMWARE);
        connected[dev] = false;
        return done("TIO_DEV_DISCONNECT" + (force ? "(FORCE)" : ""), SUCCESS);
    }

    public int tioDevReclaim(int dev) {
        devCtx[dev] = false;
        return done("TIO_DEV_RECLAIM", SUCCESS);
    }

    // ---- TDI ----

    public int tioTdiCreate(int dev) {
        if (!connected[dev]) return done("TIO_TDI_CREATE", INVALID_DEV_STATE);
        if (tdiCtx[dev]) return done("TIO_TDI_CREATE", IN_USE);
        tdiCtx[dev] = true;
        return done("TIO_TDI_CREATE", SUCCESS);
    }

    /**
     * TIO_TDI_BIND. run=0: VERSION, CAPABILITIES, LOCK_INTERFACE and GET_REPORT through the
     * PSP, binding the TDI to the guest's ASID. RUN_FORCE: START_INTERFACE with the nonce
     * the PSP kept from LOCK (host tdi_run()).
     */
    public int tioTdiBind(int dev, int vm, int gdid, boolean runForce) {
        String cmd = "TIO_TDI_BIND(" + (runForce ? "RUN_FORCE" : "run=0") + ")";
        if (!tdiCtx[dev]) return done(cmd, INVALID_TDI_CTX);
        if (boundVm[dev] >= 0 && boundVm[dev] != vm) return done(cmd, IN_USE);
        if (!runForce) {
            doe(dev, TdispRequest.version(fid(dev)));
            doe(dev, TdispRequest.capabilities(fid(dev)));
            TdispResponse lock = doe(dev, TdispRequest.lock(fid(dev)));
            if (!lock.ok()) return done(cmd, INVALID_TDI_STATE);
            nonce[dev] = lock.nonce();
            TdispResponse rep = doe(dev, TdispRequest.getReport(fid(dev)));
            if (!rep.ok()) return done(cmd, SPDM_ERROR);
            boundVm[dev] = vm;
            guestDevId[dev] = gdid;
            sdte[dev] = new SecureEntry(SecureEntry.State.VALID, vm, gdid);
            cachedState[dev] = TdiState.CONFIG_LOCKED;
            return done(cmd, SUCCESS);
        }
        if (boundVm[dev] != vm) return done(cmd, INVALID_TDI);
        TdispResponse st = doe(dev, getStateRequest(dev));
        if (st.state() != TdiState.CONFIG_LOCKED) return done(cmd, INVALID_TDI_STATE);
        TdispResponse start = doe(dev, TdispRequest.start(fid(dev), nonce[dev]));
        nonce[dev] = null;
        if (!start.ok()) return done(cmd, INVALID_TDI_STATE);
        ran[dev] = true;
        cachedState[dev] = TdiState.RUN;
        return done(cmd, SUCCESS);
    }

    /** STOP_INTERFACE (the non-forced path); FORCE succeeds even if the device does not answer. */
    public int tioTdiUnbind(int dev, boolean force) {
        String cmd = force ? "TIO_TDI_UNBIND(FORCE)" : "TIO_TDI_UNBIND";
        if (!tdiCtx[dev]) return done(cmd, INVALID_TDI_CTX);
        TdispResponse stop = doe(dev, TdispRequest.stop(fid(dev)));
        nonce[dev] = null;
        cachedState[dev] = TdiState.CONFIG_UNLOCKED;
        if (!stop.ok() && !force) return done(cmd, SPDM_ERROR);
        return done(cmd, SUCCESS);
    }

    /** TIO_TDI_STATUS: returns the TDISP state (0..3) or a negative SEV_RET. */
    public int tioTdiStatus(int dev) {
        if (!tdiCtx[dev]) return -done("TIO_TDI_STATUS", INVALID_TDI_CTX);
        TdispResponse st = doe(dev, getStateRequest(dev));
        if (st.state() == null) return -done("TIO_TDI_STATUS", SPDM_ERROR);
        sim.fw("TIO_TDI_STATUS", "SEV_RET_SUCCESS, tdisp_state=" + st.state());
        return st.state().ordinal();
    }

    /**
     * Frees the TDI context. Whether the PSP also clears the SDTE here is not visible in
     * AMD's code (domain notes §4.5, open point); the model assumes it does, so a reclaimed
     * TDI leaves no secure DMA entry behind.
     */
    public int tioTdiReclaim(int dev) {
        if (!tdiCtx[dev]) return done("TIO_TDI_RECLAIM", INVALID_TDI_CTX);
        if (devices.get(dev).tdiState() != TdiState.CONFIG_UNLOCKED) {
            if (!devices.get(dev).dsm().spdmSession()) sim.assume(tdisp.sim.Assumption.SEV_RECLAIM_NEEDS_LIVE_DEVICE);
            return done("TIO_TDI_RECLAIM", INVALID_TDI_STATE);
        }
        tdiCtx[dev] = false;
        boundVm[dev] = -1;
        tonlyrmpValidated[dev] = false;
        if (secureTableEntry(dev).state() != SecureEntry.State.NONE) {
            sim.assume(tdisp.sim.Assumption.SEV_RECLAIM_CLEARS_SDTE);
            secureTable.write(devices.get(dev).bdf(), SecureEntry.NONE);
        }
        return done("TIO_TDI_RECLAIM", SUCCESS);
    }

    private SecureEntry secureTableEntry(int dev) {
        return iommu.secureEntry(devices.get(dev).bdf());
    }

    public int tioAsidFenceStatus(int vm) {
        boolean f = iommu.asidFenced(vm);
        sim.fw("TIO_ASID_FENCE_STATUS", "SEV_RET_SUCCESS, dma_fence=" + (f ? 1 : 0));
        return f ? 1 : 0;
    }

    public int tioAsidFenceClear(int dev, int vm) {
        secureTable.setFence(vm, false);
        return done("TIO_ASID_FENCE_CLEAR", SUCCESS);
    }

    /** SNP_DECOMMISSION of the guest context: refused while a TDI is still bound to it. */
    public int snpDecommission(int vm) {
        for (int d = 0; d < devices.size(); d++) {
            if (boundVm[d] == vm) {
                sim.assume(tdisp.sim.Assumption.VM_DESTROY_REFUSED_WHILE_BOUND);
                orderingRefusal("SNP_DECOMMISSION(vm" + vm + ") while TDI " + d + " is bound");
                return done("SNP_DECOMMISSION", IN_USE);
            }
        }
        return done("SNP_DECOMMISSION", SUCCESS);
    }

    // ---- RMP (RMPUPDATE is a CPU instruction, not a PSP command) ----

    /** The VM the device's TEE BAR pages are assigned to in the RMP, or -1. */
    public int tonlyrmpAssignedTo(int dev) { return tonlyrmpAssigned[dev]; }

    /** Number of devices the firmware knows. */
    public int devices() { return devices.size(); }

    /** Makes the device's TEE BAR pages guest-private in the RMP, not immutable (as sev's). */
    public void tonlyrmpAssignMmio(int dev, int vm) {
        sim.note("tonlyrmpupdate: TEE BAR pages of dev" + dev + " -> assigned to vm" + vm + ", immutable=0");
        tonlyrmpAssigned[dev] = vm;
    }

    /** tonlyrmp_make_shared() on every BAR page (tdi_unbind, after RECLAIM). */
    public void tonlyrmpMakeShared(int dev) {
        if (tonlyrmpAssigned[dev] >= 0) sim.note("tonlyrmp_make_shared: TEE BAR pages of dev" + dev);
        tonlyrmpAssigned[dev] = -1;
        tonlyrmpValidated[dev] = false;
    }

    /**
     * The guest's own sDTE write through the secure vIOMMU (amd_iommu_update_sdte() in AMD's
     * tree): the PSP is not asked; the entry the PSP built at bind goes in, for the guest's
     * own bound TDI only. True on success.
     */
    public boolean guestUpdateSdte(int dev, int vm, boolean set) {
        boolean mine = tdiCtx[dev] && boundVm[dev] == vm;
        if (mine) secureTable.write(devices.get(dev).bdf(), set ? sdte[dev] : SecureEntry.NONE);
        if (sim.tracing()) sim.note("IOMMU: secure vIOMMU " + (mine ? "writes" : "refuses") + " the sDTE of dev" + dev + " for vm" + vm);
        return mine;
    }

    // ---- TIO_GUEST_REQUEST ----

    /**
     * Runs one encrypted guest message for the TDI of {@code dev} on behalf of guest
     * {@code vm} (the ASID the host passes as gctx), writing the sealed response into
     * {@code rsp}. Returns the message status, or -1 when the PSP refused the message
     * (nothing changed). Allocation-free.
     */
    @Override
    public int carryGuestMessage(int dev, int vm, MsgBuf req, MsgBuf rsp) { return tioGuestRequest(dev, vm, req, rsp); }

    public int tioGuestRequest(int dev, int vm, MsgBuf req, MsgBuf rsp) {
        if (!openRequest(vm, req, "TIO_GUEST_REQUEST")) return -1;
        GuestMessage.Type type = GuestMessage.typeOf(plain);
        long arg = GuestMessage.argOf(plain);
        int status;
        TdiState state = null;
        boolean mine = tdiCtx[dev] && boundVm[dev] == vm && guestDevId[dev] == GuestMessage.guestDeviceIdOf(plain);
        switch (type) {
            case TDI_INFO -> {
                status = mine ? TDI_INFO_BOUND : TDI_INFO_UNBOUND;
                if (mine) {
                    state = faults.staleTdiInfo() ? cachedState[dev] : doe(dev, getStateRequest(dev)).state();
                    reportState(vm, dev, state);
                }
            }
            case MMIO_VALIDATE -> {
                if (!mine) status = MSG_TDI_UNBOUND;
                else if (tonlyrmpAssigned[dev] != vm) status = MSG_NOT_ASSIGNED;
                else {
                    tonlyrmpValidated[dev] = arg != 0;
                    status = MSG_SUCCESS;
                }
            }
            case SDTE_WRITE -> {
                if (!mine) status = MSG_TDI_UNBOUND;
                else {
                    secureTable.write(devices.get(dev).bdf(), arg != 0 ? sdte[dev] : SecureEntry.NONE);
                    status = MSG_SUCCESS;
                }
            }
            case MMIO_CONFIG -> status = mine ? MSG_SUCCESS : MSG_TDI_UNBOUND;
            default -> status = MSG_INVALID_TDI;
        }
        sim.fw(type.fwName(), sim.tracing() ? "SEV_RET_SUCCESS, msg status " + status : null);
        sealResponse(vm, req, rsp, status, state);
        return status;
    }

    @Override
    protected void savePlatform(tdisp.sim.StateWriter w) {
        for (int k = 0; k < devCtx.length; k++) {
            int d = w.at(k);
            w.putBool(devCtx[d]);
            w.putBool(connected[d]);
            w.putBool(tdiCtx[d]);
            w.putId(boundVm[d]);
            w.put(guestDevId[d]);
            putNonce(w, nonce[d], devices.get(d));
            w.putBool(ran[d]);
            w.putId(tonlyrmpAssigned[d]);
            w.putBool(tonlyrmpValidated[d]);
            w.put(cachedState[d].ordinal());
            SecureEntry e = sdte[d];
            if (!w.isCanonical()) w.putRef(e);
            else if (e == null) w.put(-1);
            else { w.put(e.state().ordinal()); w.putId(e.vm()); w.put(e.guestDeviceId()); }
        }
    }

    private static final TdiState[] TDI_STATES = TdiState.values();

    @Override
    protected void loadPlatform(tdisp.sim.StateReader r) {
        for (int d = 0; d < devCtx.length; d++) {
            devCtx[d] = r.getBool();
            connected[d] = r.getBool();
            tdiCtx[d] = r.getBool();
            boundVm[d] = r.get();
            guestDevId[d] = r.get();
            nonce[d] = getNonce(r);
            ran[d] = r.getBool();
            tonlyrmpAssigned[d] = r.get();
            tonlyrmpValidated[d] = r.getBool();
            cachedState[d] = TDI_STATES[r.get()];
            sdte[d] = r.getRef(SecureEntry.class);
        }
    }

    public boolean ran(int dev) { return ran[dev]; }

    public boolean tonlyrmpValidated(int dev) { return tonlyrmpValidated[dev]; }

    @Override
    public int boundVm(int dev) { return boundVm[dev]; }

    @Override
    public boolean tdiObjectExists(int dev) { return tdiCtx[dev]; }

    @Override
    public boolean privateMmio(int dev) { return tonlyrmpAssigned[dev] >= 0; }

    @Override
    public TdiState reportedState(int dev) { return cachedState[dev]; }

    /** The sev_ret_code name (include/uapi/linux/psp-sev.h, 7.2) of the codes the model returns. */
    static String retName(int ret) {
        return switch (ret) {
            case SUCCESS -> "SEV_RET_SUCCESS";
            case SPDM_ERROR -> "SEV_RET_SPDM_ERROR";
            case INVALID_DEV_CTX -> "SEV_RET_SEV_STATUS_INVALID_DEV_CTX";
            case INVALID_TDI_CTX -> "SEV_RET_SEV_STATUS_INVALID_TDI_CTX";
            case INVALID_TDI -> "SEV_RET_SEV_STATUS_INVALID_TDI";
            case IN_USE -> "SEV_RET_IN_USE";
            case INVALID_DEV_STATE -> "SEV_RET_SEV_STATUS_INVALID_DEV_STATE";
            case INVALID_TDI_STATE -> "SEV_RET_SEV_STATUS_INVALID_TDI_STATE";
            default -> String.format("SEV_RET 0x%02x", ret);
        };
    }
}
