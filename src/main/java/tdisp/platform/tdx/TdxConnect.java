package tdisp.platform.tdx;

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
 * Intel TDX Connect: the TDX module's SEAMCALLs behind {@code tdx_spdm_lock}, tdx-host as
 * the host TSM driver (lore 20250529053513.1592088-1-yilun.xu@linux.intel.com), the TD's
 * DEVIF requests carried by TDVMCALL and its MMIO and DMA accepted by TDCALLs.
 */
public final class TdxConnect implements Platform {
    /** Lanes of its names in the sequence diagrams (report/TraceLanes holds the common rules). */
    private static final List<Lane.Rule> LANES = List.of(
            new Lane.Rule("tdx-host:", Lane.PCI_TSM), new Lane.Rule("tdx_spdm_lock", Lane.PCI_TSM),
            new Lane.Rule("tdx_tsm", Lane.PCI_TSM), new Lane.Rule("tdx_", Lane.KVM));

    private static final List<String> ROWS = List.of("tdx.tdvmcall.roundtrip", "tdx.td_module.roundtrip",
            "seamcall.short", "seamcall.tdh_mem_page_aug", "seamcall.tdi_op", "iommu.vtd.ctx_pasid_inv_wait",
            "tdx.tdcm.poll_interval", "tdx.tdg.tdi_start", "seamcall.tdh_mmio_map");

    @Override
    public String id() { return "tdx-connect"; }

    @Override
    public String description() { return "Intel TDX Connect: TDX module SEAMCALLs behind tdx_spdm_lock"; }

    /** The id, so that test names and messages read as on the command line. */
    @Override
    public String toString() { return id(); }

    @Override
    public boolean iommuFencesOnFault() { return false; }

    @Override
    public Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots, Stack.Config config) {
        TdxModule fw = new TdxModule(sim, devices, iommu, slots, config.faults());
        TdxHostTsm ops = new TdxHostTsm(sim, fw);
        TdxKvmArch arch = new TdxKvmArch(sim, fw);
        TdxGuestAbi abi = new TdxGuestAbi(fw, config.bind());
        return new Stack() {
            @Override public TsmFirmware firmware() { return fw; }
            @Override public PciTsmOps ops() { return ops; }
            @Override public KvmArch kvmArch() { return arch; }
            @Override public GuestAbi guestAbi() { return abi; }

            /** KVM bugs the VM on a refused S-EPT unmap; the unbind revokes VFIO's dma-buf. */
            @Override public void attach(Kvm kvm, Vfio vfio) {
                arch.setKvm(kvm);
                ops.setPrivateMmioHost(vfio::revokePrivateMmio);
            }
        };
    }

    @Override
    public java.util.Optional<String> globalFirmwareLock() { return java.util.Optional.of(TdxHostTsm.TDX_SPDM_LOCK); }

    /** The model holds it over the TDI SEAMCALLs too, as an assumption. */
    @Override
    public java.util.Optional<String> globalFirmwareLockNote() { return java.util.Optional.of("over TDI SEAMCALLs: A-TDX-SPDM-LOCK-TDI"); }

    @Override
    public List<String> costRows() { return ROWS; }

    @Override
    public String vmExitRow() { return "tdx.tdvmcall.roundtrip"; }

    @Override
    public List<String> doeExtraRows() { return List.of(); }

    /** TDH.SPDM.* return to the host between DOE steps: no SEAMCALL spans the exchange. */
    @Override
    public long doeFirmwareShare(ToDoubleFunction<String> cost) { return 0; }

    @Override
    public ToLongFunction<String> firmwareCosts(ToDoubleFunction<String> cost) {
        long tdCall = Math.round(cost.applyAsDouble("tdx.td_module.roundtrip"));
        long seamShort = Math.round(cost.applyAsDouble("seamcall.short"));
        long seamTdi = Math.round(cost.applyAsDouble("seamcall.tdi_op"));
        long seamMap = Math.round(cost.applyAsDouble("seamcall.tdh_mmio_map"));
        long tdiStart = Math.round(cost.applyAsDouble("tdx.tdg.tdi_start"));
        long iqinv = Math.round(cost.applyAsDouble("iommu.vtd.ctx_pasid_inv_wait"));
        long poll = Math.round(cost.applyAsDouble("tdx.tdcm.poll_interval"));
        return cmd -> {
            // The TD's wait for a TDCM answer: whole poll intervals (TDCM_STATUS_WAIT(polls=n)).
            if (cmd.startsWith("TDCM_STATUS_WAIT(polls=")) return poll * Long.parseLong(cmd.substring(23, cmd.length() - 1));
            if (cmd.startsWith("TDG.TDI.START")) return tdiStart;
            if (cmd.startsWith("TDG.")) return tdCall;
            if (cmd.startsWith("TDH.DEVIF.")) return seamTdi;
            if (cmd.startsWith("TDH.MMIO.MAP")) return seamMap;
            if (cmd.startsWith("TDH.IQINV")) return iqinv;
            return seamShort;
        };
    }

    @Override
    public List<Lane.Rule> traceLanes() { return LANES; }

    @Override
    public List<String> traceActors() { return List.of("tdx-host"); }
}
