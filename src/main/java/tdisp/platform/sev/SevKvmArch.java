package tdisp.platform.sev;

import tdisp.kernel.KvmArch;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/** arch/x86/kvm/svm/sev.c for SEV-TIO (AMD RFC v2 and the tsm tree). */
public final class SevKvmArch implements KvmArch {
    private final Sim sim;
    private final SevFirmware fw;
    private final SevDevTsm driver;

    /** kvm.snp-destroy-mmio-rmp (A-SNP-MMIO-RMP-KEPT): whether SNP_DECOMMISSION leaves TEE BAR pages assigned. */
    private final boolean destroyKeepsMmioRmp;
    /** kvm.snp-rmp-update (A-SNP-RMP-UPDATE-UNBOUND): whether an RMP update for a TDI not bound to the VM goes through. */
    private final boolean rmpUpdateUnchecked;

    public SevKvmArch(Sim sim, SevFirmware fw, SevDevTsm driver, tdisp.strategy.KnobSection.Kvm kvm) {
        this.sim = sim;
        this.fw = fw;
        this.driver = driver;
        this.destroyKeepsMmioRmp = kvm.snpDestroyKeepsMmioRmp();
        this.rmpUpdateUnchecked = kvm.snpRmpUpdateUnchecked();
    }

    @Override
    public String guestExit(String op, boolean encryptedMessage) {
        return encryptedMessage ? "VMGEXIT(SVM_VMGEXIT_SEV_TIO_GUEST_REQUEST 0x80000020)" : "VMGEXIT(SVM_VMGEXIT_SEV_TIO_OP 0x80000021)";
    }

    @Override
    public String userExitReason(String op) { return "KVM_EXIT_VMGEXIT"; }

    @Override
    public String exitHandler(String op) { return "svm_handle_exit -> sev_handle_vmgexit -> " + tdisp.kernel.KvmDirect.handler(op, "snp_sev_tio_guest_request"); }

    @Override
    public String privateMmioIoctl() { return "KVM_SEV_SNP_MMIO_RMP_UPDATE"; }

    /** An SNP guest converts private MMIO by a TIO message, not a GPA-range exit. */
    @Override
    public String sharedMmioIoctl() { throw new IllegalStateException("SEV-TIO invalidates MMIO by TIO_MSG_MMIO_VALIDATE"); }

    @Override
    public String conversionExit() { throw new IllegalStateException("SEV-TIO validates MMIO by TIO_MSG_MMIO_VALIDATE"); }

    @Override
    public String conversionUserExit() { throw new IllegalStateException("SEV-TIO validates MMIO by TIO_MSG_MMIO_VALIDATE"); }

    @Override
    public String configSpaceExit() { return "#VC -> VMGEXIT(SVM_EXIT_NPF, MMIO)"; }

    /** KVM_SEV_SNP_MMIO_RMP_UPDATE (AMD RFC v2, arch/x86/kvm/svm/sev.c snp_mmio_rmp_update): RMPUPDATE of the TEE BAR pages. */
    @Override
    public void mapPrivateMmio(PathBuilder b) {
        b.step("snp_mmio_rmp_update", t -> {
            sim.call("snp_mmio_rmp_update(vm" + t.vm + ", dev" + t.dev + ")");
            // Whether an unbound TDI's pages become private too is the named assumption's reading:
            // the posted handler checks nothing (default); the other reading refuses the update.
            if (fw.boundVm(t.dev) != t.vm) {
                sim.assume(tdisp.sim.Assumption.SNP_RMP_UPDATE_UNBOUND);
                if (!rmpUpdateUnchecked) {
                    sim.ret("snp_mmio_rmp_update", tdisp.sim.Errno.EINVAL);
                    t.fail(tdisp.sim.Errno.EINVAL);
                    return;
                }
            }
            fw.rmpAssignMmio(t.dev, t.vm);
        });
    }

    /** NPT unmap of the BAR: no firmware rule on AMD; the RMP entries stay assigned. */
    @Override
    public void zapPrivateMmio(PathBuilder b) {
        b.step("kvm_zap_gfn_range", t -> sim.call("kvm_zap_gfn_range(BAR of dev" + t.dev + ") /* NPT only */"));
    }

    /**
     * SNP_DECOMMISSION; what becomes of TEE BAR pages still assigned to the VM in the RMP is
     * a named assumption (A-SNP-MMIO-RMP-KEPT): kept by default, or made shared.
     */
    @Override
    public void destroyVm(PathBuilder b) {
        b.locked("sev_do_cmd(SNP_DECOMMISSION)", driver.sevCmdMutex(), LockMode.MUTEX, t -> {
            fw.snpDecommission(t.vm);
            for (int d = 0; d < fw.devices(); d++) {
                if (fw.rmpAssignedTo(d) != t.vm) continue;
                sim.assume(tdisp.sim.Assumption.SNP_MMIO_RMP_KEPT);
                if (!destroyKeepsMmioRmp) fw.rmpMakeShared(d);
            }
        });
    }
}
