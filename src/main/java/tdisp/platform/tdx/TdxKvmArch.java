package tdisp.platform.tdx;

import tdisp.kernel.KvmArch;
import tdisp.kernel.Kvm;
import tdisp.sim.KLock;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/** arch/x86/kvm/vmx/tdx.c with the TDX Connect MMIO paths (Yilun/Yan RFC). */
public final class TdxKvmArch implements KvmArch {
    private final Sim sim;
    private final TdxModule fw;
    private Kvm kvm;
    private final KLock mmuLock = KLock.rwsem("kvm->mmu_lock", "");

    public TdxKvmArch(Sim sim, TdxModule fw) {
        this.sim = sim;
        this.fw = fw;
        sim.register(mmuLock);
    }

    public void setKvm(Kvm kvm) { this.kvm = kvm; }

    @Override
    public String guestExit(String op, boolean encryptedMessage) { return "TDVMCALL(<Service.TDCM>)"; }

    @Override
    public String userExitReason(String op) { return "KVM_EXIT_TDX"; }

    @Override
    public String exitHandler(String op) { return "tdx_handle_exit -> handle_tdvmcall -> " + tdisp.kernel.KvmDirect.handler(op, "tdx_handle_tdisp_request"); }

    @Override
    public String privateMmioIoctl() { return "KVM_SET_MEMORY_ATTRIBUTES(PRIVATE)"; }

    /** A TD has no MMIO invalidate: the host's unbind revokes the mapping (TSM-8). */
    @Override
    public String sharedMmioIoctl() { throw new IllegalStateException("a TD does not convert its MMIO back"); }

    @Override
    public String conversionExit() { return "TDVMCALL(<MapGPA>)"; }

    /** The TD's TDG.MMIO.ACCEPT of a range KVM has not mapped yet (arch/x86/kvm/vmx/tdx.c, 7.2). */
    @Override
    public String acceptFaultExit() { return "EXIT_REASON_EPT_VIOLATION -> tdx_handle_ept_violation"; }

    @Override
    public String conversionUserExit() { return "KVM_EXIT_HYPERCALL (KVM_HC_MAP_GPA_RANGE)"; }

    @Override
    public String configSpaceExit() { return "#VE -> TDVMCALL(MMIO)"; }

    /**
     * Fault-in of the private BAR pages: tdx_sept_set_private_spte() routes a
     * kvm_is_mmio_pfn() pfn to tdx_mmio_map() = TDH.MMIO.MAP, not TDH.MEM.PAGE.AUG (Yilun's
     * January 2025 RFC, 20250107142719.179636-13-yilun.xu@linux.intel.com).
     */
    @Override
    public void mapPrivateMmio(PathBuilder b) {
        // At fault time, on the TDP MMU with mmu_lock held for read: kvm_tdp_mmu_page_fault()
        // takes read_lock(&kvm->mmu_lock) (arch/x86/kvm/mmu/mmu.c, 7.2), and a non-present to
        // present S-EPT leaf "must be under shared mmu_lock" (arch/x86/kvm/vmx/tdx.c, 7.2).
        b.locked("tdx_mmio_map", mmuLock, LockMode.READ, t -> {
            sim.call("kvm_tdp_mmu_page_fault -> tdx_sept_set_private_spte -> tdx_mmio_map(vm" + t.vm + ", dev" + t.dev + ")");
            fw.tdhMmioMap(t.dev, t.vm);
        });
    }

    @Override
    public boolean mapsPrivateMmioAtFault() { return true; }

    /**
     * S-EPT zap, same RFC: tdx_sept_zap_private_spte() issues TDH.MMIO.BLOCK, then after TLB
     * tracking tdx_sept_drop_private_spte() issues TDH.MMIO.UNMAP. The module refuses the unmap
     * while the TDI is bound, and KVM answers a refused S-EPT removal with KVM_BUG_ON.
     */
    @Override
    public void zapPrivateMmio(PathBuilder b) {
        b.locked("tdx_sept_drop_private_spte", mmuLock, LockMode.WRITE, t -> {
            if (fw.mmioState(t.dev) == TdxModule.MmioState.NONE) return;
            sim.call("tdx_sept_zap_private_spte(dev" + t.dev + ")");
            String blocked = fw.tdhMmioBlock(t.dev);
            if (!TdxModule.SUCCESS.equals(blocked)) {
                int vm = fw.boundVm(t.dev);
                if (vm >= 0) kvm.bug(vm, "TDH.MMIO.BLOCK " + blocked);
                return;
            }
            sim.call("tdx_sept_drop_private_spte(dev" + t.dev + ")");
            String ret = fw.tdhMmioUnmap(t.dev);
            if (!TdxModule.SUCCESS.equals(ret)) {
                int vm = fw.boundVm(t.dev);
                if (vm >= 0) kvm.bug(vm, "TDH.MMIO.UNMAP " + ret);
            }
        });
    }

    @Override
    public void destroyVm(PathBuilder b) {
        b.step("tdx_vm_destroy", t -> fw.tdhTdTeardown(t.vm));
    }
}
