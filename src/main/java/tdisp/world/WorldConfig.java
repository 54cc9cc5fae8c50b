package tdisp.world;

import java.util.Objects;
import java.util.Set;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;

/**
 * What a {@link World} is assembled from: immutable. Build one with {@link #builder}; every
 * option but the strategy and the platform has a default (the named constants below), and
 * the compact constructor rejects a bad value with a message that names the option.
 *
 * @param strategy the host design the kernel paths follow
 * @param platform the TSM platform (firmware, pci_tsm ops, KVM arch, guest ABI)
 * @param seed     the one seeded source of the run (nonces, keys)
 * @param faults   injected faults, each a known bug the invariants must catch
 * @param costs    the cost table and the nested / IBPB readings the trace charges
 * @param slots    number of VMs; VM i is assigned TDI i, so also the number of TDIs (the
 *                 explorer's {@code --vms/--devices})
 * @param layout   which DSM each TDI is behind
 * @param explorer explorer mode: the logs the invariants read are dropped once checked (a
 *                 state is what decides the future, not its history), and the guests keep
 *                 only their last request ({@link World#checkAndCompact})
 */
public record WorldConfig(Strategy strategy, Platform platform, long seed, Set<Fault> faults, CostOptions costs, int slots,
                          DsmLayout layout, boolean explorer) {
    public static final long DEFAULT_SEED = 1;
    /** Two VMs, each assigned one device: the size scenarios use. */
    public static final int DEFAULT_SLOTS = World.VMS;
    public static final DsmLayout DEFAULT_LAYOUT = DsmLayout.ONE_PER_TDI;
    public static final Set<Fault> NO_FAULTS = Set.of();

    public WorldConfig {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(platform, "platform");
        faults = Set.copyOf(Objects.requireNonNull(faults, "faults"));
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(layout, "layout");
        if (slots < 1 || slots > World.MAX_SLOTS) {
            throw new IllegalArgumentException("slots: a world has 1.." + World.MAX_SLOTS + " VMs, not " + slots);
        }
    }

    /** A builder with every default: seed 1, no faults, the default costs, two slots, one DSM per TDI, not explorer mode. */
    public static Builder builder(Strategy strategy, Platform platform) { return new Builder(strategy, platform); }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(strategy, platform).seed(seed).faults(faults).costs(costs).slots(slots).layout(layout).explorer(explorer);
    }

    /** Mutable; {@link #build()} makes the immutable configuration (and validates it). */
    public static final class Builder {
        private final Strategy strategy;
        private final Platform platform;
        private long seed = DEFAULT_SEED;
        private Set<Fault> faults = NO_FAULTS;
        private CostOptions costs;
        private int slots = DEFAULT_SLOTS;
        private DsmLayout layout = DEFAULT_LAYOUT;
        private boolean explorer;

        private Builder(Strategy strategy, Platform platform) {
            this.strategy = strategy;
            this.platform = platform;
        }

        public Builder seed(long seed) { this.seed = seed; return this; }

        public Builder faults(Set<Fault> faults) { this.faults = faults; return this; }

        /** Default: {@link CostOptions#defaults()}. */
        public Builder costs(CostOptions costs) { this.costs = costs; return this; }

        public Builder slots(int slots) { this.slots = slots; return this; }

        public Builder layout(DsmLayout layout) { this.layout = layout; return this; }

        public Builder explorer(boolean on) { this.explorer = on; return this; }

        public WorldConfig build() {
            return new WorldConfig(strategy, platform, seed, faults, costs != null ? costs : CostOptions.defaults(), slots, layout, explorer);
        }
    }
}
