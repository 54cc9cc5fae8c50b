package tdisp.platform.sev;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import tdisp.device.PciFunction;
import tdisp.firmware.TsmFirmware;
import tdisp.guest.GuestAbi;
import tdisp.iommu.Iommu;
import tdisp.kernel.Kvm;
import tdisp.kernel.KvmArch;
import tdisp.kernel.PciTsmOps;
import tdisp.kernel.Vfio;
import tdisp.platform.Platform;
import tdisp.platform.Stack;
import tdisp.sim.Lane;
import tdisp.sim.Sim;

/**
 * AMD SEV-SNP with SEV-TIO: the PSP's firmware behind the global {@code sev_cmd_mutex}
 * (drivers/crypto/ccp/sev-dev.c), sev-dev-tsm as the host TSM driver, the SNP guest's
 * TIO messages carried by VMGEXIT (AMD RFC v2, lore 20250218111017.491719-1-aik@amd.com).
 */
public final class SevTio implements Platform {
    /** Lanes of its names in the sequence diagrams (report/TraceLanes holds the common rules). */
    private static final List<Lane.Rule> LANES = List.of(
            new Lane.Rule("sev_tio:", Lane.PCI_TSM), new Lane.Rule("sev_cmd_mutex", Lane.PCI_TSM),
            new Lane.Rule("svm_", Lane.KVM), new Lane.Rule("snp_", Lane.KVM), new Lane.Rule("rmp", Lane.KVM));

    /** PSP commands: guest requests are charged apart from the rest (costs.md). */
    private static final List<String> ROWS = List.of("snp.vmgexit.roundtrip", "psp.cmd.simple",
            "psp.cmd.tio_guest_request", "psp.cmd.tio_spdm_step", "snp.sviommu.sdte_write");

    @Override
    public String id() { return "sev-tio"; }

    @Override
    public String description() { return "AMD SEV-SNP with SEV-TIO: PSP firmware behind the global sev_cmd_mutex"; }

    /** The AMD IOMMU fences the guest's ASID when a secure DMA faults. */
    /** The id, so that test names and messages read as on the command line. */
    @Override
    public String toString() { return id(); }

    @Override
    public boolean iommuFencesOnFault() { return true; }

    @Override
    public Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots, Stack.Config config) {
        SevFirmware fw = new SevFirmware(sim, devices, iommu, slots, config.faults());
        SevDevTsm drv = new SevDevTsm(sim, fw);
        SevKvmArch arch = new SevKvmArch(sim, fw, drv, config.kvm());
        SevGuestAbi abi = new SevGuestAbi(fw, config.sev());
        return new Stack() {
            @Override public TsmFirmware firmware() { return fw; }
            @Override public PciTsmOps ops() { return drv; }
            @Override public KvmArch kvmArch() { return arch; }
            @Override public GuestAbi guestAbi() { return abi; }
            @Override public void attach(Kvm kvm, Vfio vfio) {}
        };
    }

    @Override
    public java.util.Optional<String> globalFirmwareLock() { return java.util.Optional.of(SevDevTsm.SEV_CMD_MUTEX); }

    @Override
    public List<String> costRows() { return ROWS; }

    @Override
    public String vmExitRow() { return "snp.vmgexit.roundtrip"; }

    /** sev_tio_continue re-issues the SPDM command to the PSP for every DOE step. */
    @Override
    public List<String> doeExtraRows() { return List.of("psp.cmd.tio_spdm_step"); }

    @Override
    public long doeFirmwareShare(ToDoubleFunction<String> cost) { return Math.round(cost.applyAsDouble("psp.cmd.tio_spdm_step")); }

    @Override
    public ToLongFunction<String> firmwareCosts(ToDoubleFunction<String> cost) {
        long simple = Math.round(cost.applyAsDouble("psp.cmd.simple"));
        long guestRequest = Math.round(cost.applyAsDouble("psp.cmd.tio_guest_request"));
        return cmd -> cmd.startsWith("TIO_GUEST_REQUEST") ? guestRequest : simple;
    }

    @Override
    public List<Lane.Rule> traceLanes() { return LANES; }

    @Override
    public List<String> traceActors() { return List.of("sev_tio"); }
}
