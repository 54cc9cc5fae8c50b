package tdisp.world;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import tdisp.platform.Platform;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/** Test shorthand: run one scenario of a shipped strategy, with overrides and faults. */
final class Runs {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private Runs() {}

    static Strategy strategy(String id, String... sets) {
        return CATALOG.get(id).withOverrides(List.of(sets));
    }

    static ScenarioResult run(String strategy, Platform p, String scenario, String... sets) {
        return run(strategy, p, scenario, EnumSet.noneOf(Fault.class), sets);
    }

    static ScenarioResult run(String strategy, Platform p, String scenario, Set<Fault> faults, String... sets) {
        return ScenarioRunner.run(ScenarioRun.builder(strategy(strategy, sets), p, Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).faults(faults).build());
    }

    static String trace(ScenarioResult r) { return String.join("\n", r.trace()); }
}
