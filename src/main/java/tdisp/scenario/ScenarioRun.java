package tdisp.scenario;

import java.util.Objects;
import java.util.Set;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/**
 * One scenario run's configuration: immutable. Build one with {@link #builder}; the seed,
 * the trace, the faults and the costs have defaults (the named constants below), and the
 * compact constructor rejects a missing value naming the option.
 *
 * @param strategy the host design
 * @param platform the TSM platform
 * @param scenario what runs on the world after the common setup
 * @param seed     the one seeded source of the run
 * @param trace    whether the run keeps its trace lines (a trace or a diff shows them;
 *                 compare and the latency runs need only the counters)
 * @param faults   injected faults
 * @param costs    the cost table and readings the trace charges
 */
public record ScenarioRun(Strategy strategy, Platform platform, Scenario scenario, long seed, Trace trace, Set<Fault> faults,
                          CostOptions costs) {
    public static final long DEFAULT_SEED = tdisp.world.WorldConfig.DEFAULT_SEED;
    public static final Trace DEFAULT_TRACE = Trace.NONE;
    public static final Set<Fault> NO_FAULTS = Set.of();

    /** Whether a run records its trace lines. */
    public enum Trace {
        /** Keep every trace line (ScenarioResult#trace). */
        RECORDED,
        /** Counters only: nothing rendered, nothing kept. */
        NONE
    }

    public ScenarioRun {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(trace, "trace");
        faults = Set.copyOf(Objects.requireNonNull(faults, "faults"));
        Objects.requireNonNull(costs, "costs");
    }

    public boolean traced() { return trace == Trace.RECORDED; }

    /** A builder with every default: seed 1, no trace, no faults, the default costs. */
    public static Builder builder(Strategy strategy, Platform platform, Scenario scenario) {
        return new Builder(strategy, platform, scenario);
    }

    /** Mutable; {@link #build()} makes the immutable configuration. */
    public static final class Builder {
        private final Strategy strategy;
        private final Platform platform;
        private final Scenario scenario;
        private long seed = DEFAULT_SEED;
        private Trace trace = DEFAULT_TRACE;
        private Set<Fault> faults = NO_FAULTS;
        private CostOptions costs;

        private Builder(Strategy strategy, Platform platform, Scenario scenario) {
            this.strategy = strategy;
            this.platform = platform;
            this.scenario = scenario;
        }

        public Builder seed(long seed) { this.seed = seed; return this; }

        public Builder trace(Trace trace) { this.trace = trace; return this; }

        public Builder faults(Set<Fault> faults) { this.faults = faults; return this; }

        /** Default: {@link CostOptions#defaults()}. */
        public Builder costs(CostOptions costs) { this.costs = costs; return this; }

        public ScenarioRun build() {
            return new ScenarioRun(strategy, platform, scenario, seed, trace, faults, costs != null ? costs : CostOptions.defaults());
        }
    }
}
