package tdisp.platform.cca;

import java.util.Arrays;
import java.util.List;

import tdisp.device.Nonce;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispRequest;
import tdisp.device.TdispResponse;
import tdisp.firmware.MsgBuf;
import tdisp.firmware.TsmFirmware;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;

/**
 * The Realm Management Monitor with device assignment (Arm DEN0137 2.0-bet1 as TF-RMM
 * implements it at 9a7f8ef4: runtime/rmi/pdev.c, vdev.c, rtt_dev_*.c; runtime/rsi/vdev.c).
 * Host RMI commands drive a PDEV (the DSM and its IDE stream) and a VDEV per TDI; every
 * device exchange runs as one *_COMMUNICATE call carrying one DOE message, so the host
 * drives the device traffic but cannot read or forge what the RMM checks. The realm's RSI
 * calls reach the RMM without the host; VALIDATE_MAPPING and DMA_ENABLE are refused unless
 * the realm presents the lock and report nonces the RMM issued last.
 *
 * <p>One TEE range per TDI in the model; "device memory" below is that range's granules.
 */
public final class Rmm extends TsmFirmware {
    public static final String RMI_SUCCESS = "RMI_SUCCESS";
    public static final String RMI_ERROR_INPUT = "RMI_ERROR_INPUT";
    public static final String RMI_ERROR_REALM = "RMI_ERROR_REALM";
    public static final String RMI_ERROR_RTT = "RMI_ERROR_RTT";
    public static final String RMI_ERROR_DEVICE = "RMI_ERROR_DEVICE";
    public static final String RMI_ERROR_GRANULE = "RMI_ERROR_GRANULE";
    public static final String RSI_SUCCESS = "RSI_SUCCESS";
    public static final String RSI_ERROR_INPUT = "RSI_ERROR_INPUT";
    public static final String RSI_ERROR_DEVICE = "RSI_ERROR_DEVICE";

    /** PDEV states (DEN0137 RmiPdevState); NONE = no PDEV object. */
    public enum PdevState { NONE, NEW, NEEDS_KEY, HAS_KEY, READY, STOPPED, ERROR }

    /** VDEV states (RmiVdevState) without the key-refresh states; NONE = no VDEV object. */
    public enum VdevState { NONE, NEW, UNLOCKED, LOCKED, STARTED, ERROR }

    /** The TDI's device granules in the realm's stage 2. */
    public enum DevMem { NONE, MAPPED, VALIDATED }

    static final PdevState[] PDEV_STATES = PdevState.values();
    static final VdevState[] VDEV_STATES = VdevState.values();
    static final DevMem[] DEV_MEM = DevMem.values();

    final PdevState[] pdev;
    final boolean[] stream;
    final VdevState[] vdev;
    final int[] realm;
    final int[] vdevId;
    final Nonce[] deviceNonce;
    final long[] lockNonce;
    final long[] reportNonce;
    /** The nonces the RMM last handed this TDI's realm in RSI_VDEV_GET_INFO (the realm passes them back). */
    final long[] realmLockNonce;
    final long[] realmReportNonce;
    final DevMem[] devMem;
    final boolean[] dma;
    /** Per realm: the TDI whose RSI_VDEV_VALIDATE_MAPPING waits for the host (rec->dev_mem), or -1. */
    final int[] pendingMap;
    long nonceGen;
    /** GET_DEVICE_INTERFACE_REPORT per TDI, built once: the evidence refresh is a hot path. */
    private final TdispRequest[] reportRequest;

    public Rmm(Sim sim, List<PciFunction> devices, Iommu iommu, int vms, Faults faults) {
        super(sim, devices, iommu, vms, faults);
        int n = devices.size();
        pdev = new PdevState[n];
        stream = new boolean[n];
        vdev = new VdevState[n];
        realm = new int[n];
        vdevId = new int[n];
        deviceNonce = new Nonce[n];
        lockNonce = new long[n];
        reportNonce = new long[n];
        realmLockNonce = new long[n];
        realmReportNonce = new long[n];
        devMem = new DevMem[n];
        dma = new boolean[n];
        pendingMap = new int[vms];
        reportRequest = new TdispRequest[n];
        Arrays.fill(pdev, PdevState.NONE);
        Arrays.fill(vdev, VdevState.NONE);
        Arrays.fill(realm, -1);
        Arrays.fill(devMem, DevMem.NONE);
        Arrays.fill(pendingMap, -1);
    }

    private String done(String cmd, String ret) {
        sim.fw(cmd, ret);
        return ret;
    }

    private int rid(int dev) { return devices.get(dev).bdf(); }

    // ---- PDEV: the link (host IDE setup RFC v4; TF-RMM pdev.c) ----

    public String rmiPdevCreate(int dev) {
        if (pdev[dev] != PdevState.NONE) return done("RMI_PDEV_CREATE", RMI_ERROR_INPUT);
        pdev[dev] = PdevState.NEW;
        return done("RMI_PDEV_CREATE", RMI_SUCCESS);
    }

    /** One PDEV_COMMUNICATE round of the SPDM session set-up: NEW -> NEEDS_KEY, HAS_KEY -> READY. */
    public String rmiPdevCommunicate(int dev) {
        switch (pdev[dev]) {
            case NEW -> pdev[dev] = PdevState.NEEDS_KEY;
            case HAS_KEY -> {
                // The RMM's SPDM session with the DSM is up once the PDEV is READY.
                pdev[dev] = PdevState.READY;
                devices.get(dev).dsm().spdmSessionUp();
            }
            default -> { }
        }
        return done("RMI_PDEV_COMMUNICATE", RMI_SUCCESS);
    }

    /** The host parsed the device certificate and hands the RMM its public key. */
    public String rmiPdevSetPubkey(int dev) {
        if (pdev[dev] != PdevState.NEEDS_KEY) return done("RMI_PDEV_SET_PUBKEY", RMI_ERROR_DEVICE);
        pdev[dev] = PdevState.HAS_KEY;
        return done("RMI_PDEV_SET_PUBKEY", RMI_SUCCESS);
    }

    /** PDEV_STREAM_CONNECT, the IDE_KM exchange (COMMUNICATE), PDEV_STREAM_COMPLETE: the stream is secure. */
    public String rmiPdevStreamConnect(int dev) {
        if (pdev[dev] != PdevState.READY || stream[dev]) return done("RMI_PDEV_STREAM_CONNECT", RMI_ERROR_INPUT);
        sim.fw("RMI_PDEV_STREAM_CONNECT", RMI_SUCCESS);
        sim.fw("RMI_PDEV_COMMUNICATE", RMI_SUCCESS);
        stream[dev] = true;
        devices.get(dev).dsm().ideKeysProgrammed(TdispRequest.DEFAULT_STREAM_ID);
        return done("RMI_PDEV_STREAM_COMPLETE", RMI_SUCCESS);
    }

    /** Refused while the PDEV still has VDEVs: the host must unbind every TDI first. */
    public String rmiPdevStreamDisconnect(int dev) {
        if (vdev[dev] != VdevState.NONE) {
            orderingRefusal("RMI_PDEV_STREAM_DISCONNECT of dev" + dev + " while its VDEV exists");
            return done("RMI_PDEV_STREAM_DISCONNECT", RMI_ERROR_DEVICE);
        }
        if (!stream[dev]) return done("RMI_PDEV_STREAM_DISCONNECT", RMI_ERROR_DEVICE);
        stream[dev] = false;
        devices.get(dev).secureLinkDown(tdisp.device.Origin.FIRMWARE);
        sim.fw("RMI_PDEV_STREAM_DISCONNECT", RMI_SUCCESS);
        sim.fw("RMI_PDEV_COMMUNICATE", RMI_SUCCESS);
        return done("RMI_PDEV_STREAM_COMPLETE", RMI_SUCCESS);
    }

    /** PDEV_STOP (then COMMUNICATE to STOPPED) and PDEV_DESTROY. */
    public String rmiPdevStopAndDestroy(int dev) {
        if (vdev[dev] != VdevState.NONE || stream[dev]) {
            orderingRefusal("RMI_PDEV_STOP of dev" + dev + " with a VDEV or stream left");
            return done("RMI_PDEV_STOP", RMI_ERROR_DEVICE);
        }
        if (pdev[dev] == PdevState.NONE) return done("RMI_PDEV_STOP", RMI_ERROR_INPUT);
        sim.fw("RMI_PDEV_STOP", RMI_SUCCESS);
        sim.fw("RMI_PDEV_COMMUNICATE", RMI_SUCCESS);
        devices.get(dev).secureLinkDown(tdisp.device.ErrorTrigger.SPDM_SESSION_END, tdisp.device.Origin.FIRMWARE);
        pdev[dev] = PdevState.NONE;
        return done("RMI_PDEV_DESTROY", RMI_SUCCESS);
    }

    // ---- VDEV: the TDI (host TDISP RFC v4; TF-RMM vdev.c) ----

    /** A device exchange the RMM makes through the host's VDEV_COMMUNICATE loop. */
    private TdispResponse communicate(int dev, TdispRequest req) {
        sim.fw("RMI_VDEV_COMMUNICATE", RMI_SUCCESS);
        return doe(dev, req);
    }

    /** The same exchange when the RMM only caches the answer (a report): nothing decoded. */
    private boolean communicateOk(int dev, TdispRequest req) {
        sim.fw("RMI_VDEV_COMMUNICATE", RMI_SUCCESS);
        return doeOk(dev, req);
    }

    /** A failed device exchange puts the VDEV in ERROR (smc_vdev_communicate). */
    private String commError(int dev, String cmd) {
        vdev[dev] = VdevState.ERROR;
        deviceNonce[dev] = null;
        return done(cmd, RMI_ERROR_DEVICE);
    }

    /** VDEV_CREATE for the realm, then COMMUNICATE (STOP): the VDEV starts UNLOCKED. */
    public String rmiVdevCreate(int dev, int vm, int guestRid) {
        if (pdev[dev] != PdevState.READY || !stream[dev]) return done("RMI_VDEV_CREATE", RMI_ERROR_DEVICE);
        // The ranges of one TDI cannot be declared twice (overlap with an existing VDEV).
        if (vdev[dev] != VdevState.NONE) return done("RMI_VDEV_CREATE", RMI_ERROR_INPUT);
        vdev[dev] = VdevState.NEW;
        realm[dev] = vm;
        vdevId[dev] = guestRid;
        sim.fw("RMI_VDEV_CREATE", RMI_SUCCESS);
        TdispResponse stop = communicate(dev, TdispRequest.stop(fid(dev)));
        if (!stop.ok()) return commError(dev, "RMI_VDEV_COMMUNICATE");
        vdev[dev] = VdevState.UNLOCKED;
        return RMI_SUCCESS;
    }

    /**
     * VDEV_LOCK: GET_VERSION, GET_CAPABILITIES, GET_STATE (must be UNLOCKED), LOCK, GET_STATE
     * (must be LOCKED); the RMM makes a fresh lock nonce the realm must present later.
     */
    public String rmiVdevLock(int dev) {
        if (vdev[dev] != VdevState.UNLOCKED) return done("RMI_VDEV_LOCK", RMI_ERROR_DEVICE);
        if (faults.commitBeforeExchange()) {
            // The state goes first; the exchange that should justify it fails and nothing rolls it back.
            vdev[dev] = VdevState.LOCKED;
            lockNonce[dev] = ++nonceGen;
            sim.note("RMM: VDEV UNLOCKED->LOCKED committed before the device exchange");
            sim.fw("RMI_VDEV_COMMUNICATE", RMI_ERROR_DEVICE);
            return done("RMI_VDEV_LOCK", RMI_ERROR_DEVICE);
        }
        sim.fw("RMI_VDEV_LOCK", RMI_SUCCESS);
        communicate(dev, TdispRequest.version(fid(dev)));
        communicate(dev, TdispRequest.capabilities(fid(dev)));
        if (communicate(dev, getStateRequest(dev)).state() != TdiState.CONFIG_UNLOCKED) return commError(dev, "RMI_VDEV_COMMUNICATE");
        TdispResponse lock = communicate(dev, TdispRequest.lock(fid(dev)));
        if (!lock.ok()) return commError(dev, "RMI_VDEV_COMMUNICATE");
        if (communicate(dev, getStateRequest(dev)).state() != TdiState.CONFIG_LOCKED) return commError(dev, "RMI_VDEV_COMMUNICATE");
        deviceNonce[dev] = lock.nonce();
        lockNonce[dev] = ++nonceGen;
        vdev[dev] = VdevState.LOCKED;
        return RMI_SUCCESS;
    }

    /** VDEV_GET_INTERFACE_REPORT: the host refreshes its cached report; the report nonce moves on. */
    public String rmiVdevGetInterfaceReport(int dev) {
        if (vdev[dev] != VdevState.LOCKED && vdev[dev] != VdevState.STARTED) return done("RMI_VDEV_GET_INTERFACE_REPORT", RMI_ERROR_DEVICE);
        sim.fw("RMI_VDEV_GET_INTERFACE_REPORT", RMI_SUCCESS);
        if (reportRequest[dev] == null) reportRequest[dev] = TdispRequest.getReport(fid(dev));
        // The RMM hands the report to the host's cache as it came: no need to decode it here.
        if (!communicateOk(dev, reportRequest[dev])) return commError(dev, "RMI_VDEV_COMMUNICATE");
        reportNonce[dev] = ++nonceGen;
        return RMI_SUCCESS;
    }

    /** VDEV_START: GET_STATE (LOCKED), START with the device's nonce, GET_STATE (must be RUN). */
    public String rmiVdevStart(int dev) {
        if (vdev[dev] != VdevState.LOCKED) return done("RMI_VDEV_START", RMI_ERROR_DEVICE);
        if (faults.commitStartedBeforeExchange()) {
            // STARTED goes first; START never reaches the device, and nothing rolls the state back.
            vdev[dev] = VdevState.STARTED;
            sim.note("RMM: VDEV LOCKED->STARTED committed before the device exchange");
            sim.fw("RMI_VDEV_COMMUNICATE", RMI_ERROR_DEVICE);
            return done("RMI_VDEV_START", RMI_ERROR_DEVICE);
        }
        sim.fw("RMI_VDEV_START", RMI_SUCCESS);
        if (communicate(dev, getStateRequest(dev)).state() != TdiState.CONFIG_LOCKED) return commError(dev, "RMI_VDEV_COMMUNICATE");
        TdispResponse start = communicate(dev, TdispRequest.start(fid(dev), deviceNonce[dev]));
        deviceNonce[dev] = null;
        if (!start.ok()) return commError(dev, "RMI_VDEV_COMMUNICATE");
        if (communicate(dev, getStateRequest(dev)).state() != TdiState.RUN) return commError(dev, "RMI_VDEV_COMMUNICATE");
        vdev[dev] = VdevState.STARTED;
        return RMI_SUCCESS;
    }

    /**
     * VDEV_UNLOCK: refused with RMI_ERROR_GRANULE while any device granule of the VDEV is
     * still mapped (2.0-bet1, TF-RMM 776285e7): the host must unmap before it unlocks, the
     * opposite of TDX. Then the STE goes off if DMA was on, STOP, GET_STATE (UNLOCKED).
     */
    public String rmiVdevUnlock(int dev) {
        VdevState s = vdev[dev];
        if (s != VdevState.LOCKED && s != VdevState.STARTED && s != VdevState.ERROR) return done("RMI_VDEV_UNLOCK", RMI_ERROR_DEVICE);
        if (devMem[dev] != DevMem.NONE) {
            orderingRefusal("RMI_VDEV_UNLOCK of dev" + dev + " with device granules still mapped");
            return done("RMI_VDEV_UNLOCK", RMI_ERROR_GRANULE);
        }
        if (dma[dev]) disableDma(dev);
        sim.fw("RMI_VDEV_UNLOCK", RMI_SUCCESS);
        TdispResponse stop = communicate(dev, TdispRequest.stop(fid(dev)));
        deviceNonce[dev] = null;
        lockNonce[dev] = 0;
        reportNonce[dev] = 0;
        if (!stop.ok()) return commError(dev, "RMI_VDEV_COMMUNICATE");
        vdev[dev] = VdevState.UNLOCKED;
        return RMI_SUCCESS;
    }

    /** VDEV_DESTROY: only NEW or UNLOCKED with DMA off (an ERROR VDEV must be unlocked first). */
    public String rmiVdevDestroy(int dev) {
        if (vdev[dev] == VdevState.NONE) return done("RMI_VDEV_DESTROY", RMI_ERROR_INPUT);
        if ((vdev[dev] != VdevState.NEW && vdev[dev] != VdevState.UNLOCKED) || dma[dev]) {
            orderingRefusal("RMI_VDEV_DESTROY of dev" + dev + " in " + vdev[dev]);
            return done("RMI_VDEV_DESTROY", RMI_ERROR_DEVICE);
        }
        vdev[dev] = VdevState.NONE;
        realm[dev] = -1;
        realmLockNonce[dev] = 0;
        realmReportNonce[dev] = 0;
        return done("RMI_VDEV_DESTROY", RMI_SUCCESS);
    }

    // ---- stage-2 device mappings (RTT_DEV_*; Linux arch/arm64/kvm/rmi.c) ----

    /** RTT_DEV_MAP: the TDI's granules become MAPPED in the realm's stage 2 (not usable yet). */
    public String rmiRttDevMap(int dev, int vm) {
        if (vdev[dev] == VdevState.NONE || realm[dev] != vm) return done("RMI_RTT_DEV_MAP", RMI_ERROR_INPUT);
        if (devMem[dev] != DevMem.NONE) return done("RMI_RTT_DEV_MAP", RMI_ERROR_RTT);
        devMem[dev] = DevMem.MAPPED;
        return done("RMI_RTT_DEV_MAP", RMI_SUCCESS);
    }

    /** RTT_DEV_VALIDATE on re-entry: completes the realm's pending VALIDATE_MAPPING for the same range. */
    public String rmiRttDevValidate(int dev, int vm) {
        if (pendingMap[vm] != dev || devMem[dev] != DevMem.MAPPED) return done("RMI_RTT_DEV_VALIDATE", RMI_ERROR_INPUT);
        pendingMap[vm] = -1;
        devMem[dev] = DevMem.VALIDATED;
        return done("RMI_RTT_DEV_VALIDATE", RMI_SUCCESS);
    }

    /**
     * RTT_DEV_UNMAP: no VDEV argument and no state check; a validated entry becomes
     * unassigned with RIPAS DESTROYED, so the realm's next access aborts. No STOP is sent.
     */
    public String rmiRttDevUnmap(int dev) {
        if (devMem[dev] == DevMem.NONE) return done("RMI_RTT_DEV_UNMAP", RMI_ERROR_RTT);
        if (devMem[dev] == DevMem.VALIDATED && (vdev[dev] == VdevState.LOCKED || vdev[dev] == VdevState.STARTED) && sim.tracing()) {
            sim.note("RMM: dev" + dev + " granules unassigned, RIPAS DESTROYED; the realm's next access aborts");
        }
        devMem[dev] = DevMem.NONE;
        return done("RMI_RTT_DEV_UNMAP", RMI_SUCCESS);
    }

    /**
     * REALM_DESTROY: refused while a VDEV of the realm exists. The VDEV holds a reference on
     * the RD granule, and smc_realm_destroy refuses a referenced RD (inferred from TF-RMM's
     * granule refcounts; not a rule DEN0137 states for VDEVs in the copy we have).
     */
    public String rmiRealmDestroy(int vm) {
        for (int d = 0; d < vdev.length; d++) {
            if (vdev[d] != VdevState.NONE && realm[d] == vm) {
                orderingRefusal("RMI_REALM_DESTROY(vm" + vm + ") while VDEV " + d + " exists");
                return done("RMI_REALM_DESTROY", RMI_ERROR_REALM);
            }
        }
        return done("RMI_REALM_DESTROY", RMI_SUCCESS);
    }

    // ---- RSI: the realm's calls (guest RFC v3 rsi-da.c; TF-RMM runtime/rsi) ----

    private boolean realmOwns(int dev, int vm) { return vdev[dev] != VdevState.NONE && realm[dev] == vm; }

    private boolean noncesFresh(int dev) {
        return lockNonce[dev] != 0 && realmLockNonce[dev] == lockNonce[dev] && realmReportNonce[dev] == reportNonce[dev];
    }

    /** What RSI_VDEV_GET_INFO calls the VDEV state (NEW and UNLOCKED read as UNLOCKED). */
    private static TdiState rsiState(VdevState s) {
        return switch (s) {
            case LOCKED -> TdiState.CONFIG_LOCKED;
            case STARTED -> TdiState.RUN;
            case ERROR -> TdiState.ERROR;
            default -> TdiState.CONFIG_UNLOCKED;
        };
    }

    /** RSI_VDEV_GET_INFO: the VDEV's state, digests and nonces, straight from the RMM. */
    public String rsiVdevGetInfo(int dev, int vm) {
        if (!realmOwns(dev, vm)) return done("RSI_VDEV_GET_INFO", RSI_ERROR_INPUT);
        realmLockNonce[dev] = lockNonce[dev];
        realmReportNonce[dev] = reportNonce[dev];
        reportState(vm, dev, rsiState(vdev[dev]));
        return done("RSI_VDEV_GET_INFO", RSI_SUCCESS);
    }

    /** The state RSI_VDEV_GET_INFO gives the realm. */
    public TdiState infoState(int dev) { return rsiState(vdev[dev]); }

    /**
     * RSI_VDEV_VALIDATE_MAPPING: needs LOCKED or STARTED and the nonces the realm holds;
     * then exits to the host (RMI_EXIT_VDEV_VALIDATE_MAPPING) and waits for RTT_DEV_VALIDATE.
     */
    public String rsiVdevValidateMapping(int dev, int vm) {
        if (!realmOwns(dev, vm) || (vdev[dev] != VdevState.LOCKED && vdev[dev] != VdevState.STARTED)) {
            return done("RSI_VDEV_VALIDATE_MAPPING", RSI_ERROR_INPUT);
        }
        if (!noncesFresh(dev)) return done("RSI_VDEV_VALIDATE_MAPPING", RSI_ERROR_DEVICE);
        pendingMap[vm] = dev;
        return done("RSI_VDEV_VALIDATE_MAPPING", RSI_SUCCESS);
    }

    /** True once the realm's VALIDATE_MAPPING of the TDI completed. */
    public boolean mappingValidated(int dev) { return devMem[dev] == DevMem.VALIDATED; }

    /** With the fault, RSI_VDEV_DMA_ENABLE fails (the guest driver then ignores it). */
    public boolean faultAcceptIgnoresDmaFailure() { return faults.acceptIgnoresDmaFailure(); }

    /** RSI_VDEV_DMA_ENABLE: needs STARTED and fresh nonces; the RMM enables the SMMU STE. */
    public String rsiVdevDmaEnable(int dev, int vm) {
        if (faults.acceptIgnoresDmaFailure()) return done("RSI_VDEV_DMA_ENABLE", RSI_ERROR_DEVICE);
        if (!realmOwns(dev, vm) || vdev[dev] != VdevState.STARTED || !noncesFresh(dev)) return done("RSI_VDEV_DMA_ENABLE", RSI_ERROR_DEVICE);
        secureTable.write(rid(dev), new SecureEntry(SecureEntry.State.VALID, vm, vdevId[dev]));
        dma[dev] = true;
        return done("RSI_VDEV_DMA_ENABLE", RSI_SUCCESS);
    }

    public String rsiVdevDmaDisable(int dev, int vm) {
        if (!realmOwns(dev, vm)) return done("RSI_VDEV_DMA_DISABLE", RSI_ERROR_INPUT);
        if (dma[dev]) disableDma(dev);
        return done("RSI_VDEV_DMA_DISABLE", RSI_SUCCESS);
    }

    private void disableDma(int dev) {
        secureTable.write(rid(dev), SecureEntry.NONE);
        dma[dev] = false;
    }

    /**
     * No realm message crosses the host sealed: what the host carries for the realm's
     * evidence refresh (RHI_DA_VDEV_GET_INTERFACE_REPORT) is VDEV_GET_INTERFACE_REPORT.
     */
    @Override
    public int carryGuestMessage(int dev, int vm, MsgBuf req, MsgBuf rsp) {
        return RMI_SUCCESS.equals(rmiVdevGetInterfaceReport(dev)) ? 0 : -1;
    }

    // ---- explorer support: the encoding is RmmSnapshot's ----

    @Override
    protected void savePlatform(tdisp.sim.StateWriter w) { RmmSnapshot.save(this, w); }

    @Override
    protected void loadPlatform(tdisp.sim.StateReader r) { RmmSnapshot.load(this, r); }

    void putDeviceNonce(tdisp.sim.StateWriter w, int d) { putNonce(w, deviceNonce[d], devices.get(d)); }

    Nonce getDeviceNonce(tdisp.sim.StateReader r) { return getNonce(r); }

    /** Number of TDIs (VDEV slots) the RMM tracks. */
    public int tdis() { return vdev.length; }

    public VdevState vdevState(int dev) { return vdev[dev]; }

    public PdevState pdevState(int dev) { return pdev[dev]; }

    public DevMem devMem(int dev) { return devMem[dev]; }

    public boolean dmaEnabled(int dev) { return dma[dev]; }

    @Override
    public int boundVm(int dev) { return vdev[dev] != VdevState.NONE ? realm[dev] : -1; }

    @Override
    public boolean tdiObjectExists(int dev) { return vdev[dev] != VdevState.NONE; }

    @Override
    public boolean privateMmio(int dev) { return devMem[dev] != DevMem.NONE; }

    @Override
    public TdiState reportedState(int dev) { return rsiState(vdev[dev]); }
}
