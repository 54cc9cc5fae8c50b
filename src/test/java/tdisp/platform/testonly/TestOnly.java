package tdisp.platform.testonly;

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
 * A fourth platform that exists only in the test sources (issue 23.3): tdisp.platform.sev
 * copied as a contributor would, its classes, id, trace names, lanes, actor label, cost
 * rows and vocabulary rows renamed ({@code sev_tio} to {@code tonly_tio}, {@code snp_} to
 * {@code tonlysnp_}, {@code psp.cmd.*} to {@code tonly.psp.cmd.*}, ...), its data in
 * src/test/resources/tdisp/platform/testonly. Registered with {@code Platforms.of}, it
 * must reach every output without a file outside this package changing
 * (TestOnlyPlatformTest).
 */
public final class TestOnly implements Platform {
    /** Lanes of its names in the sequence diagrams (report/TraceLanes holds the common rules). */
    private static final List<Lane.Rule> LANES = List.of(
            new Lane.Rule("tonly_tio:", Lane.PCI_TSM), new Lane.Rule("tonly_cmd_mutex", Lane.PCI_TSM),
            new Lane.Rule("tonlysvm_", Lane.KVM), new Lane.Rule("tonlysnp_", Lane.KVM), new Lane.Rule("tonlyrmp", Lane.KVM));

    /** PSP commands: guest requests are charged apart from the rest (costs.md). */
    private static final List<String> ROWS = List.of("tonly.vmgexit.roundtrip", "tonly.psp.cmd.simple",
            "tonly.psp.cmd.tio_guest_request", "tonly.psp.cmd.tio_spdm_step");

    @Override
    public String id() { return "test-only"; }

    @Override
    public String description() { return "test only: a copy of SEV-TIO under its own names"; }

    /** The AMD IOMMU fences the guest's ASID when a secure DMA faults. */
    /** The id, so that test names and messages read as on the command line. */
    @Override
    public String toString() { return id(); }

    @Override
    public boolean iommuFencesOnFault() { return true; }

    @Override
    public Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots, Stack.Config config) {
        TonlyFirmware fw = new TonlyFirmware(sim, devices, iommu, slots, config.faults());
        TonlyDevTsm drv = new TonlyDevTsm(sim, fw);
        TonlyKvmArch arch = new TonlyKvmArch(sim, fw, drv, config.kvm());
        TonlyGuestAbi abi = new TonlyGuestAbi(fw, config.sev());
        return new Stack() {
            @Override public TsmFirmware firmware() { return fw; }
            @Override public PciTsmOps ops() { return drv; }
            @Override public KvmArch kvmArch() { return arch; }
            @Override public GuestAbi guestAbi() { return abi; }
            @Override public void attach(Kvm kvm, Vfio vfio) {}
        };
    }

    @Override
    public java.util.Optional<String> globalFirmwareLock() { return java.util.Optional.of(TonlyDevTsm.SEV_CMD_MUTEX); }

    @Override
    public List<String> costRows() { return ROWS; }

    @Override
    public String vmExitRow() { return "tonly.vmgexit.roundtrip"; }

    /** tonly_tio_continue re-issues the SPDM command to the PSP for every DOE step. */
    @Override
    public List<String> doeExtraRows() { return List.of("tonly.psp.cmd.tio_spdm_step"); }

    @Override
    public long doeFirmwareShare(ToDoubleFunction<String> cost) { return Math.round(cost.applyAsDouble("tonly.psp.cmd.tio_spdm_step")); }

    @Override
    public ToLongFunction<String> firmwareCosts(ToDoubleFunction<String> cost) {
        long simple = Math.round(cost.applyAsDouble("tonly.psp.cmd.simple"));
        long guestRequest = Math.round(cost.applyAsDouble("tonly.psp.cmd.tio_guest_request"));
        return cmd -> cmd.startsWith("TIO_GUEST_REQUEST") ? guestRequest : simple;
    }

    @Override
    public List<Lane.Rule> traceLanes() { return LANES; }

    @Override
    public List<String> traceActors() { return List.of("tonly_tio"); }
}
