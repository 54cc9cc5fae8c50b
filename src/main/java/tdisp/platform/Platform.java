package tdisp.platform;

import java.util.List;
import java.util.function.ToLongFunction;

import tdisp.cost.CostTable;
import tdisp.device.PciFunction;
import tdisp.iommu.Iommu;
import tdisp.sim.Sim;

/**
 * What differs between confidential-computing platforms, behind one seam: the firmware
 * (TSM), the host TSM driver's {@code pci_tsm_ops}, KVM's exit ABI and private-MMIO
 * mechanism, the guest's TDISP ABI, the cost rows it is charged from and the names its
 * trace prints. One package per platform implements it; {@link Platforms} lists them.
 * Nothing outside a platform's package asks which platform it has: it asks the platform.
 */
public interface Platform {
    /** The id that appears in CSVs and on the command line ({@code sev-tio}, ...). */
    String id();

    /** One line for {@code tdisp list}. */
    String description();

    /**
     * Whether an IOMMU fault on a secure entry fences the guest's ASID (AMD's IOMMU does;
     * the model's Iommu takes it at construction, before the firmware exists).
     */
    boolean iommuFencesOnFault();

    /**
     * Builds the platform's half of a world: firmware over the devices and IOMMU, the host
     * TSM driver and KVM's architecture part. The rest of the host stack is wired to them
     * afterwards through {@link Stack#attach}.
     */
    Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots);

    /**
     * lockdep class name of the lock every firmware command of the host queues on, or
     * empty where firmware calls of different devices run in parallel.
     */
    java.util.Optional<String> globalFirmwareLock();

    /** The cost rows this platform is charged from (checked to exist in every cost table). */
    List<String> costRows();

    /** Row charged for one guest exit round trip (before the nested multiplier). */
    String vmExitRow();

    /**
     * Rows added to one DOE exchange beyond the transport's own (AMD: the PSP command that
     * sev_tio_continue re-issues for every SPDM step).
     */
    List<String> doeExtraRows();

    /**
     * Of one DOE exchange, the part spent in a firmware command under the global firmware
     * lock (the sweep splits it off the device's share); 0 where the host's DOE loop runs
     * outside the firmware.
     */
    long doeFirmwareShare(CostTable t);

    /** Charges one firmware command by its name, from rows of {@link #costRows()}. */
    ToLongFunction<String> firmwareCosts(CostTable t);
}
