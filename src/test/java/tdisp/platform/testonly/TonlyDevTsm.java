package tdisp.platform.testonly;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import tdisp.kernel.TsmRequest;
import tdisp.kernel.PciTsm;
import tdisp.kernel.PciTsmOps;
import tdisp.device.TdiState;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.KThread;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * AMD's pci_tsm_ops (drivers/crypto/ccp/tonly-dev-tsm.c in AMD's tsm tree): every PSP
 * command goes through tonly_do_cmd() under the global {@code tonly_cmd_mutex}
 * (drivers/crypto/ccp/sev-dev.c), which is dropped between commands.
 */
public final class TonlyDevTsm implements PciTsmOps {
    public static final String SEV_CMD_MUTEX = "tonly_cmd_mutex";

    private final Sim sim;
    private final TonlyFirmware fw;
    private final KLock sevCmdMutex = KLock.mutex(SEV_CMD_MUTEX, "");

    public TonlyDevTsm(Sim sim, TonlyFirmware fw) {
        this.sim = sim;
        this.fw = fw;
        sim.register(sevCmdMutex);
    }

    @Override
    public String driverName() { return "tonly-dev-tsm"; }

    public KLock sevCmdMutex() { return sevCmdMutex; }

    /** One tonly_do_cmd(): a PSP command as an atomic step under tonly_cmd_mutex. */
    private void psp(PathBuilder b, String cmd, java.util.function.ToIntFunction<KThread> op) {
        b.locked("tonly_do_cmd(" + cmd + ")", sevCmdMutex, LockMode.MUTEX, t -> {
            int ret = op.applyAsInt(t);
            if (ret != TonlyFirmware.SUCCESS) {
                sim.ret("tonly_do_cmd(" + cmd + ")", Errno.EIO);
                t.fail(Errno.EIO);
            }
        });
    }

    @Override
    public void connect(PathBuilder b) {
        b.step("dsm_connect", t -> sim.call("tonly_tio: dsm_connect -> tio_dev_create, tio_dev_connect"));
        psp(b, "TIO_DEV_CREATE", t -> fw.tioDevCreate(t.dev));
        psp(b, "TIO_DEV_CONNECT", t -> fw.tioDevConnect(t.dev));
    }

    @Override
    public void disconnect(PathBuilder b) {
        b.step("dsm_disconnect", t -> sim.call("tonly_tio: dsm_disconnect"));
        psp(b, "TIO_DEV_DISCONNECT", t -> fw.tioDevDisconnect(t.dev, false));
        psp(b, "TIO_DEV_RECLAIM", t -> fw.tioDevReclaim(t.dev));
    }

    /** tdi_bind() to TIO_TDI_CREATE; the guest device id waits in t.arg for the lock. */
    @Override
    public void create(PathBuilder b) {
        b.step("tdi_bind", t -> sim.call("tonly_tio: tdi_bind(vm" + t.vm + ", guest_device_id=" + PciTsm.hex(t.arg) + ")"));
        psp(b, "TIO_TDI_CREATE", t -> fw.tioTdiCreate(t.dev));
    }

    /**
     * TIO_TDI_BIND (LOCK and report through the PSP), then TIO_TDI_STATUS. Under v7 the
     * guest's SEV_TIO_OP(BIND) reaches it as SET_TDI_STATE(LOCKED): how AMD's host handles
     * that is our assumption (A-V7-SEV-BIND); the guest device id is the vDEVICE's virt_id.
     */
    @Override
    public void lock(PathBuilder b) {
        psp(b, "TIO_TDI_BIND", t -> fw.tioTdiBind(t.dev, t.vm, t.arg, false));
        psp(b, "TIO_TDI_STATUS", t -> fw.tioTdiStatus(t.dev) >= 0 ? TonlyFirmware.SUCCESS : TonlyFirmware.INVALID_TDI_CTX);
    }

    /** The guest's SEV_TIO_OP(UNBIND) under v7 (A-V7-SEV-BIND): a non-forced TIO_TDI_UNBIND. */
    @Override
    public void unlock(PathBuilder b) {
        psp(b, "TIO_TDI_UNBIND", t -> fw.tioTdiUnbind(t.dev, false));
    }

    /**
     * tdi_unbind() in AMD's order (AMDESE/linux-iommu 1538db64, as the domain notes give it):
     * TIO_TDI_UNBIND only if the TDI needs it (FORCE on failure), TIO_TDI_STATUS, the ASID
     * fence status, unfence only if the TDI ever ran, TIO_TDI_RECLAIM, then
     * tonlyrmp_make_shared_mmio() of the TEE BARs.
     */
    @Override
    public void unbind(PathBuilder b) {
        b.step("tdi_unbind", t -> sim.call("tonly_tio: tdi_unbind"));
        b.when("needs_unbind", t -> fw.boundVm(t.dev) >= 0, in -> in.locked("tonly_do_cmd(TIO_TDI_UNBIND)", sevCmdMutex, LockMode.MUTEX, t -> {
            if (fw.tioTdiUnbind(t.dev, false) != TonlyFirmware.SUCCESS) fw.tioTdiUnbind(t.dev, true);
        }));
        // tdi_unbind() is void: a failed read is pr_err()'d and the unbind goes on
        // (AMDESE/linux-iommu 1538db64 drivers/crypto/ccp/tonly-dev-tsm.c).
        b.locked("tonly_do_cmd(TIO_TDI_STATUS)", sevCmdMutex, LockMode.MUTEX, t -> {
            int ret = fw.tioTdiStatus(t.dev);
            if (ret < 0) sim.note("TDI status failed to read, ret=" + ret);
        });
        b.locked("tonly_do_cmd(TIO_ASID_FENCE_STATUS)", sevCmdMutex, LockMode.MUTEX, t -> {
            if (fw.tioAsidFenceStatus(t.vm) != 0) {
                if (fw.ran(t.dev)) fw.tioAsidFenceClear(t.dev, t.vm);
                else sim.note("Did not run, skip unfence");
            }
        });
        // tonly_tio_tdi_reclaim()'s return is not looked at either.
        b.locked("tonly_do_cmd(TIO_TDI_RECLAIM)", sevCmdMutex, LockMode.MUTEX, t -> fw.tioTdiReclaim(t.dev));
        b.step("tonlyrmp_make_shared_mmio", t -> { sim.call("tonlyrmp_make_shared_mmio(dev" + t.dev + ")"); fw.tonlyrmpMakeShared(t.dev); });
    }

    /**
     * guest_req: RUN is tdi_run() (TIO_TDI_STATUS then TIO_TDI_BIND(RUN_FORCE)), STOP a
     * non-forced TIO_TDI_UNBIND (no function of its own: guest_request() calls
     * tonly_tio_tdi_unbind() inline, AMDESE/linux-iommu@79b06a5e tonly-dev-tsm.c), anything else
     * one TIO_GUEST_REQUEST.
     */
    @Override
    public void guestReq(PathBuilder b) {
        b.when("op == LOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.LOCK, in -> {
            in.step("tdi_bind(lock)", t -> {
                sim.call("tonly_tio: SET_TDI_STATE(LOCKED) -> tdi_bind");
                sim.assume(tdisp.sim.Assumption.V7_SEV_BIND);
            });
            lock(in);
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == UNLOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.UNLOCK, in -> {
            in.step("tdi_unbind(unlock)", t -> {
                sim.call("tonly_tio: SET_TDI_STATE(UNLOCKED) -> tdi_unbind");
                sim.assume(tdisp.sim.Assumption.V7_SEV_BIND);
            });
            unlock(in);
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == RUN", t -> t.get(REQUEST).op() == TsmRequest.Op.RUN, in -> {
            // tdi_run() reads TIO_TDI_STATUS first: RUN already is success, anything but
            // CONFIG_LOCKED is -EFAULT (AMDESE/linux-iommu 1538db64 tonly-dev-tsm.c).
            in.step("tdi_run", t -> sim.call("tonly_tio: tdi_run"));
            in.locked("tonly_do_cmd(TIO_TDI_STATUS)", sevCmdMutex, LockMode.MUTEX, t -> {
                int st = fw.tioTdiStatus(t.dev);
                if (st < 0) {
                    sim.ret("tonly_do_cmd(TIO_TDI_STATUS)", Errno.EIO);
                    t.fail(Errno.EIO);
                } else if (st != TdiState.RUN.ordinal() && st != TdiState.CONFIG_LOCKED.ordinal()) {
                    sim.ret("tdi_run", Errno.EFAULT);
                    t.fail(Errno.EFAULT);
                }
                t.ret = st;
            });
            in.when("state == TDISP_STATE_CONFIG_LOCKED", t -> t.ret == TdiState.CONFIG_LOCKED.ordinal(),
                in2 -> psp(in2, "TIO_TDI_BIND(RUN_FORCE)", t -> fw.tioTdiBind(t.dev, t.vm, 0, true)));
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == STOP", t -> t.get(REQUEST).op() == TsmRequest.Op.STOP, in -> {
            in.step("tonly_tio_tdi_unbind", t -> sim.call("tonly_tio: tonly_tio_tdi_unbind(force=false)"));
            psp(in, "TIO_TDI_UNBIND", t -> fw.tioTdiUnbind(t.dev, false));
            in.step("response", t -> t.ret = 0);
        });
        b.when("op == MESSAGE", t -> t.get(REQUEST).op() == TsmRequest.Op.MESSAGE, in -> {
            in.step("tonly_tio_guest_request", t -> sim.call("tonly_tio: tonly_tio_guest_request"));
            in.locked("tonly_do_cmd(TIO_GUEST_REQUEST)", sevCmdMutex, LockMode.MUTEX, t -> {
                TsmRequest r = t.get(REQUEST);
                t.ret = fw.tioGuestRequest(t.dev, t.vm, r.req(), r.rsp());
                if (t.ret < 0) {
                    sim.ret("tonly_do_cmd(TIO_GUEST_REQUEST)", Errno.EIO);
                    t.fail(Errno.EIO);
                }
            });
        });
    }
}
