package tdisp.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/**
 * The compare service: every scenario for every strategy x platform, each run its own
 * world. Returns the cells; correctness.csv, the matrix and the report render them.
 */
public final class Compare {
    private Compare() {}

    /** What to run: the selection, the seed, the injected faults and the cost table. */
    public record Request(List<Strategy> strategies, List<Platform> platforms, List<Scenario> scenarios, long seed, Set<Fault> faults,
                          CostOptions costs) {
        public Request {
            strategies = List.copyOf(strategies);
            platforms = List.copyOf(platforms);
            scenarios = List.copyOf(scenarios);
            // the caller's order kept (an EnumSet's): faults are named in it
            faults = java.util.Collections.unmodifiableSet(faults);
        }

        /** The runs asked for: strategies x platforms x scenarios. */
        public int planned() { return strategies.size() * platforms.size() * scenarios.size(); }

        /** A strategy's knob list by id (correctness.csv's knobs column). */
        public String knobs(String strategyId) {
            return strategies.stream().filter(s -> s.id().equals(strategyId)).findFirst().orElseThrow().knobs().describe();
        }
    }

    /** The cells run, in (strategy, platform, scenario) order; fewer than planned when stopped. */
    public record Result(Request request, List<ScenarioResult> cells) {
        public Result {
            cells = List.copyOf(cells);
        }

        public boolean interrupted() { return cells.size() < request.planned(); }

        public boolean anyViolation() { return cells.stream().anyMatch(r -> r.verdict() == ScenarioResult.Verdict.VIOLATION); }
    }

    private record Job(Strategy strategy, Platform platform, Scenario scenario) {}

    /** Runs the cells in parallel, keeping the input order; once {@code stop} answers true, cells not yet started are skipped. */
    public static Result run(Request q, BooleanSupplier stop) {
        List<Job> jobs = new ArrayList<>();
        for (Strategy s : q.strategies()) for (Platform p : q.platforms()) for (Scenario sc : q.scenarios()) jobs.add(new Job(s, p, sc));
        List<ScenarioResult> results = jobs.parallelStream()
                .map(j -> stop.getAsBoolean() ? null : ScenarioRunner.run(ScenarioRun.builder(j.strategy(), j.platform(), j.scenario()).seed(q.seed()).faults(q.faults()).costs(q.costs()).build()))
                .filter(Objects::nonNull)
                .toList();
        return new Result(q, results);
    }
}
