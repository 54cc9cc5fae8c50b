package tdisp.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import tdisp.device.PciFunction;
import tdisp.iommu.Iommu;
import tdisp.sim.Lane;
import tdisp.sim.Sim;

/**
 * What differs between confidential-computing platforms, behind one seam: the firmware
 * (TSM), the host TSM driver's {@code pci_tsm_ops}, KVM's exit ABI and private-MMIO
 * mechanism, the guest's TDISP ABI, the cost rows it is charged from and the names its
 * trace prints, with their lanes and actors. One package per platform implements it;
 * {@link Platforms} lists them. Nothing outside a platform's package asks which platform
 * it has: it asks the platform.
 *
 * <p>Its data lives next to its class, as resources of its package
 * ({@code tdisp/platform/<p>/costs.csv}, {@code .../vocabulary.csv}, read through
 * {@link #resource}): the rows of the cost table and of the trace vocabulary that are its
 * own, in the common files' columns. The registry merges them with the common rows.
 *
 * <p>Cost rows are read through a lookup ({@code ToDoubleFunction<String>}: a row's value in
 * use), not the cost table itself, so that {@code cost} depends on the platforms and not the
 * other way round.
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
     * TSM driver and KVM's architecture part, each given its section of {@code config} at
     * construction. The rest of the host stack is wired to them afterwards through
     * {@link Stack#attach}.
     */
    Stack assemble(Sim sim, List<PciFunction> devices, Iommu iommu, int slots, Stack.Config config);

    /**
     * lockdep class name of the lock every firmware command of the host queues on, or
     * empty where firmware calls of different devices run in parallel.
     */
    java.util.Optional<String> globalFirmwareLock();

    /** What a reader of the sweep should know about that lock beyond its name (an assumption it rests on), if anything. */
    default Optional<String> globalFirmwareLockNote() { return Optional.empty(); }

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
    long doeFirmwareShare(ToDoubleFunction<String> cost);

    /** Charges one firmware command by its name, from rows of {@link #costRows()} ({@code cost}: a row's value in use). */
    ToLongFunction<String> firmwareCosts(ToDoubleFunction<String> cost);

    /**
     * Lanes of the names this platform's trace events carry (its TSM driver's functions and
     * locks, its KVM part's functions, its firmware's notes), tried after the common rules, in order.
     */
    List<Lane.Rule> traceLanes();

    /**
     * Labels its trace lines start with for an actor of its own ({@code tdx-host},
     * {@code sev_tio}): taken off before the vocabulary reads names, like {@code qemu}.
     */
    List<String> traceActors();

    /**
     * A resource of the platform's own, next to its class ({@code costs.csv},
     * {@code vocabulary.csv}), as text; empty when it has none.
     */
    default Optional<String> resource(String name) {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(getClass().getPackageName() + "/" + name + ": " + e.getMessage(), e);
        }
    }
}
