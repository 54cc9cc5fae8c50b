package tdisp.platform.cca;

import java.util.List;
import java.util.Optional;
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
 * Arm CCA device assignment: the RMM's PDEV/VDEV RMI and the realm's RSI VDEV calls
 * (DEN0137 2.0-bet1, TF-RMM 9a7f8ef4), arm-cca-host as the host TSM driver and realm KVM
 * (Aneesh Kumar's device-assignment series, lore
 * 20250728135216.48084-1-aneesh.kumar@kernel.org and its v3/v4 successors; Steven Price's
 * CCA KVM v13). There is no global firmware lock: RMI calls run on the calling CPU and the
 * RMM allows one device communication per PDEV.
 */
public final class Cca implements Platform {
    /** Lanes of its names in the sequence diagrams (report/TraceLanes holds the common rules). */
    private static final List<Lane.Rule> LANES = List.of(
            new Lane.Rule("RMM:", Lane.FIRMWARE), new Lane.Rule("arm-cca-host:", Lane.PCI_TSM),
            new Lane.Rule("rmi_vdev", Lane.PCI_TSM), new Lane.Rule("handle_rec_exit", Lane.KVM), new Lane.Rule("rec_exit", Lane.KVM),
            new Lane.Rule("realm_", Lane.KVM));

    /** The realm exit and plain RMI rows were in the table before the platform (costs.md). */
    private static final List<String> ROWS = List.of("cca.realm_exit.roundtrip", "rmm.rsi.call", "rmi.simple",
            "rmm.rmi.vdev_op", "rmm.rmi.communicate", "rmm.rsi.vdev_dma_enable");

    @Override
    public String id() { return "cca"; }

    @Override
    public String description() { return "Arm CCA: RMM device assignment (RMI PDEV/VDEV, realm RSI/RHI); no global lock"; }

    @Override
    public String toString() { return id(); }

    /** A faulting realm DMA is the SMMU's to report; no ASID-style fence in the model. */
    @Override
    public boolean iommuFencesOnFault() { return false; }

    @Override
    public Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots, Stack.Config config) {
        Rmm rmm = new Rmm(sim, devices, iommu, slots, config.faults());
        CcaKvmArch arch = new CcaKvmArch(sim, rmm, config.kvm());
        CcaHostTsm ops = new CcaHostTsm(sim, rmm, arch);
        CcaGuestAbi abi = new CcaGuestAbi(sim, rmm);
        return new Stack() {
            @Override public TsmFirmware firmware() { return rmm; }
            @Override public PciTsmOps ops() { return ops; }
            @Override public KvmArch kvmArch() { return arch; }
            @Override public GuestAbi guestAbi() { return abi; }
            @Override public void attach(Kvm kvm, Vfio vfio) {}
        };
    }

    @Override
    public Optional<String> globalFirmwareLock() { return Optional.empty(); }

    @Override
    public List<String> costRows() { return ROWS; }

    @Override
    public String vmExitRow() { return "cca.realm_exit.roundtrip"; }

    /** Each DOE exchange is preceded by its own *_COMMUNICATE SMC, charged as a firmware command. */
    @Override
    public List<String> doeExtraRows() { return List.of(); }

    @Override
    public long doeFirmwareShare(ToDoubleFunction<String> cost) { return 0; }

    @Override
    public ToLongFunction<String> firmwareCosts(ToDoubleFunction<String> cost) {
        long rsi = Math.round(cost.applyAsDouble("rmm.rsi.call"));
        long shortCall = Math.round(cost.applyAsDouble("rmi.simple"));
        long vdevOp = Math.round(cost.applyAsDouble("rmm.rmi.vdev_op"));
        long communicate = Math.round(cost.applyAsDouble("rmm.rmi.communicate"));
        long dmaEnable = Math.round(cost.applyAsDouble("rmm.rsi.vdev_dma_enable"));
        return cmd -> {
            if (cmd.startsWith("RSI_VDEV_DMA_ENABLE")) return dmaEnable;
            if (cmd.startsWith("RSI_")) return rsi;
            if (cmd.endsWith("_COMMUNICATE")) return communicate;
            if (cmd.equals("RMI_VDEV_LOCK") || cmd.equals("RMI_VDEV_START") || cmd.equals("RMI_VDEV_UNLOCK")
                    || cmd.equals("RMI_VDEV_GET_INTERFACE_REPORT")) return vdevOp;
            return shortCall;
        };
    }

    @Override
    public List<Lane.Rule> traceLanes() { return LANES; }

    @Override
    public List<String> traceActors() { return List.of("arm-cca-host"); }
}
