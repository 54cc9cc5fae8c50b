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
 * The diff service: a base strategy and a variant on the same platforms, scenarios, seed,
 * faults and costs, traces on; returns the cells whose outcome differs ({@link CellDiff}).
 */
public final class Diff {
    private Diff() {}

    /** What to compare: the two strategies (the variant named as the user gave it) and the shared setup. */
    public record Request(Strategy base, Strategy variant, String variantName, List<Platform> platforms, List<Scenario> scenarios, long seed,
                          Set<Fault> faults, CostOptions costs) {
        public Request {
            platforms = List.copyOf(platforms);
            scenarios = List.copyOf(scenarios);
            faults = java.util.Collections.unmodifiableSet(faults);
        }

        /** The cells asked for: platforms x scenarios. */
        public int planned() { return platforms.size() * scenarios.size(); }
    }

    /** How many cells ran (fewer than planned when stopped) and those that differ, in (platform, scenario) order. */
    public record Result(Request request, int ran, List<CellDiff> changed) {
        public Result {
            changed = List.copyOf(changed);
        }

        public boolean interrupted() { return ran < request.planned(); }
    }

    private record Cell(Platform platform, Scenario scenario) {}

    private record Pair(ScenarioResult base, ScenarioResult variant) {}

    /** Each cell is two independent worlds: run in parallel, input order kept; cells not started once {@code stop} answers true are skipped. */
    public static Result run(Request q, BooleanSupplier stop) {
        List<Cell> cells = new ArrayList<>();
        for (Platform p : q.platforms()) for (Scenario sc : q.scenarios()) cells.add(new Cell(p, sc));
        List<Pair> pairs = cells.parallelStream()
                .map(c -> stop.getAsBoolean() ? null : new Pair(
                        ScenarioRunner.run(ScenarioRun.builder(q.base(), c.platform(), c.scenario()).seed(q.seed()).trace(ScenarioRun.Trace.RECORDED).faults(q.faults()).costs(q.costs()).build()),
                        ScenarioRunner.run(ScenarioRun.builder(q.variant(), c.platform(), c.scenario()).seed(q.seed()).trace(ScenarioRun.Trace.RECORDED).faults(q.faults()).costs(q.costs()).build())))
                .filter(Objects::nonNull)
                .toList();
        List<CellDiff> changed = new ArrayList<>();
        for (Pair p : pairs) CellDiff.of(p.base(), p.variant()).ifPresent(changed::add);
        return new Result(q, pairs.size(), changed);
    }
}
