package tdisp.platform.tdx;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import tdisp.kernel.TsmRequest;
import tdisp.kernel.PciTsmOps;
import tdisp.device.TdispRequestCode;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.KThread;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * Intel's pci_tsm_ops (tdx-host; TDI ops after Yilun's RFC, lore
 * 20250529053513.1592088-1-yilun.xu@linux.intel.com, patches 18 and 23-30; the ops
 * tdx_tsm_bind/unbind/guest_req are patch 24/30, -25). SEAMCALLs of
 * the TDISP extension are serialised by the global {@code tdx_spdm_lock}
 * (intel/tdx@08c524aa1cd4 drivers/virt/coco/tdx-host/tdx-host.c: "the thread number limit
 * for the TDISP extension is 1", otherwise TDX_OPERAND_BUSY). In that tree it covers one
 * TDH.SPDM.CONNECT, DISCONNECT or MNG at a time and is dropped across the DOE transfer;
 * TDH.SPDM.CREATE/DELETE and TDH.IDE.STREAM.* run outside it. The tree has no TDI ops:
 * that TDH.DEVIF.* and TDH.DMAR.* take it too is our assumption A-TDX-SPDM-LOCK-TDI, and
 * the model keeps a SEAMCALL's DOE exchange inside it (one step). Unbind follows the order
 * the module enforces: STOP, revoke private MMIO (VFIO dma-buf move under memory_lock,
 * KVM unmaps the S-EPT), remove trusted DMA, remove the DEVIF.
 */
public final class TdxHostTsm implements PciTsmOps {
    public static final String TDX_SPDM_LOCK = "tdx_spdm_lock";

    private final Sim sim;
    private final TdxModule fw;
    private final KLock spdmLock = KLock.mutex(TDX_SPDM_LOCK, "");
    private PrivateMmioHost mmioHost;

    /** Who revokes a TDI's private MMIO on unbind: VFIO's dma-buf and KVM (wired by the world). */
    public interface PrivateMmioHost {
        void revoke(PathBuilder b);
    }

    public TdxHostTsm(Sim sim, TdxModule fw) {
        this.sim = sim;
        this.fw = fw;
        sim.register(spdmLock);
    }

    public void setPrivateMmioHost(PrivateMmioHost h) { this.mmioHost = h; }

    @Override
    public String driverName() { return "tdx-host"; }

    private void seamcall(PathBuilder b, String leaf, java.util.function.Function<KThread, String> op) {
        // Only the SPDM leaves are known to take tdx_spdm_lock; the TDI leaves under it are ours.
        boolean tdiLeaf = !leaf.startsWith("TDH.SPDM.");
        b.locked("seamcall(" + leaf + ")", spdmLock, LockMode.MUTEX, t -> {
            if (tdiLeaf) sim.assume(tdisp.sim.Assumption.TDX_SPDM_LOCK_TDI);
            String ret = op.apply(t);
            if (!TdxModule.SUCCESS.equals(ret)) {
                sim.ret("seamcall(" + leaf + ")", Errno.EIO);
                t.fail(Errno.EIO);
            }
        });
    }

    @Override
    public void connect(PathBuilder b) {
        b.step("tdx_tsm_connect", t -> sim.call("tdx-host: tdx_tsm_connect"));
        seamcall(b, "TDH.SPDM.CONNECT", t -> fw.tdhSpdmConnect(t.dev));
        // tdx_ide_stream_create() calls TDH.IDE.STREAM.CREATE without tdx_spdm_lock.
        b.step("seamcall(TDH.IDE.STREAM.CREATE)", t -> {
            if (!TdxModule.SUCCESS.equals(fw.tdhIdeStreamCreate(t.dev))) {
                sim.ret("seamcall(TDH.IDE.STREAM.CREATE)", Errno.EIO);
                t.fail(Errno.EIO);
            }
        });
    }

    @Override
    public void disconnect(PathBuilder b) {
        b.step("tdx_tsm_disconnect", t -> sim.call("tdx-host: tdx_tsm_disconnect"));
        seamcall(b, "TDH.SPDM.DISCONNECT", t -> fw.tdhSpdmDisconnect(t.dev));
    }

    /** Yilun's bind order: DEVIF create, LOCK, DMAR add. */
    @Override
    public void bind(PathBuilder b) {
        create(b);
        lock(b);
    }

    /**
     * A bind that does not LOCK (v7): DEVIF create, the LOCK and the DMAR entry left to the
     * TD's TDCM BIND. Which SEAMCALLs a v7 tdx-host bind makes is our assumption
     * (A-V7-TDX-BIND): no tree after June 2026 has the host's TDI bind.
     */
    @Override
    public void create(PathBuilder b) {
        b.step("tdx_tsm_bind", t -> sim.call("tdx-host: tdx_tsm_bind(td=vm" + t.vm + ")"));
        seamcall(b, "TDH.DEVIF.CREATE", t -> fw.tdhDevifCreate(t.dev, t.vm, t.arg));
    }

    /** The LOCK (the TD's TDCM BIND under v7), then the TDI's DMAR entry for the TD to accept. */
    @Override
    public void lock(PathBuilder b) {
        seamcall(b, "TDH.DEVIF.REQUEST(LOCK)", t -> fw.tdhDevifVmmRequest(t.dev, TdispRequestCode.LOCK_INTERFACE_REQUEST));
        seamcall(b, "TDH.DMAR.ADD", t -> fw.tdhDmarAdd(t.dev, t.vm));
    }

    /** The TD's TDCM UNBIND under v7 (assumption A-V7-TDX-BIND): STOP; the rest at unbind. */
    @Override
    public void unlock(PathBuilder b) {
        seamcall(b, "TDH.DEVIF.REQUEST(STOP)", t -> fw.tdhDevifVmmRequest(t.dev, TdispRequestCode.STOP_INTERFACE_REQUEST));
    }

    @Override
    public void unbind(PathBuilder b) {
        b.step("tdx_tsm_unbind", t -> sim.call("tdx-host: tdx_tsm_unbind"));
        // STOP may fail on a dead device; the forced path blocks the IDE stream (TSM-11).
        b.locked("seamcall(TDH.DEVIF.REQUEST(STOP))", spdmLock, LockMode.MUTEX, t -> {
            if (!TdxModule.SUCCESS.equals(fw.tdhDevifVmmRequest(t.dev, TdispRequestCode.STOP_INTERFACE_REQUEST))) fw.tdhIdeStreamBlock(t.dev);
        });
        mmioHost.revoke(b);
        // ops->unbind returns void (include/linux/pci-tsm.h) and pci_tsm_unbind() clears
        // pdev->tsm->tdi whatever it did: a refused removal is logged and the unbind goes on,
        // leaving the module's object behind.
        unbindCall(b, "TDH.DMAR.BLOCK", t -> fw.tdhDmarBlock(t.dev));
        unbindCall(b, "TDH.DMAR.REMOVE", t -> fw.tdhDmarRemove(t.dev));
        unbindCall(b, "TDH.DEVIF.REMOVE", t -> fw.tdhDevifRemove(t.dev));
    }

    private void unbindCall(PathBuilder b, String leaf, java.util.function.Function<KThread, String> op) {
        b.locked("seamcall(" + leaf + ")", spdmLock, LockMode.MUTEX, t -> {
            sim.assume(tdisp.sim.Assumption.TDX_SPDM_LOCK_TDI);
            String ret = op.apply(t);
            if (!TdxModule.SUCCESS.equals(ret)) sim.note("tdx_tsm_unbind: " + leaf + " failed (" + ret + "), continuing");
        });
    }

    /** guest_req: the TD's START or state/report request, carried as TDH.DEVIF.REQUEST(td_flag=1). */
    @Override
    public void guestReq(PathBuilder b) {
        b.step("tdx_tsm_guest_req", t -> {
            sim.call("tdx-host: tdx_tsm_guest_req");
            sim.assume(tdisp.sim.Assumption.TDX_GUEST_REQ_THROUGH_HOST);
        });
        b.when("op == LOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.LOCK, in -> {
            in.step("v7 lock", t -> sim.assume(tdisp.sim.Assumption.V7_TDX_BIND));
            lock(in);
        });
        b.when("op == UNLOCK", t -> t.get(REQUEST).op() == TsmRequest.Op.UNLOCK, in -> {
            in.step("v7 unlock", t -> sim.assume(tdisp.sim.Assumption.V7_TDX_BIND));
            unlock(in);
        });
        b.locked("seamcall(TDH.DEVIF.REQUEST(td_flag=1))", spdmLock, LockMode.MUTEX, t -> {
            TsmRequest r = t.get(REQUEST);
            if (r.op() == TsmRequest.Op.LOCK || r.op() == TsmRequest.Op.UNLOCK) return;
            if (r.op() != TsmRequest.Op.MESSAGE) {
                // On TDX the TD cannot STOP (TSM-8) and START is a TD message; a plain op is refused.
                sim.ret("tdx_tsm_guest_req", Errno.EOPNOTSUPP);
                t.fail(Errno.EOPNOTSUPP);
                return;
            }
            t.ret = fw.tdhDevifTdRequest(t.dev, t.vm, r.req(), r.rsp());
            if (t.ret < 0) {
                sim.ret("tdx_tsm_guest_req", Errno.EIO);
                t.fail(Errno.EIO);
            }
        });
    }
}
