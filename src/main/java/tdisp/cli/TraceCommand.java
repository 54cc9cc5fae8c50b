package tdisp.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.platform.Platform;
import tdisp.report.Columns;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.strategy.Strategy;

/** tdisp trace: one run, step by step, in kernel names, with modeled time (stdout only). */
@Command(name = "trace", description = "Print the step-by-step trace of one run in kernel names, "
        + "with the modeled time after each event.")
final class TraceCommand implements Callable<Integer>, Validated {
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin SetOptions sets = new SetOptions();
    @Mixin SeedOption seed = new SeedOption();
    @Mixin CostFlags costFlags = new CostFlags();
    @Mixin FaultOption faults = new FaultOption();

    @Option(names = {"--strategy", "--strategies"}, paramLabel = "ID", required = true,
            description = "strategy id (`tdisp list`)")
    String strategy;

    @Option(names = {"--platform", "--platforms"}, paramLabel = "ID", required = true,
            completionCandidates = Converters.PlatformIds.class, converter = Converters.PlatformConverter.class, description = "platform id: ${COMPLETION-CANDIDATES}")
    Platform platform;

    @Option(names = {"--scenario", "--scenarios"}, paramLabel = "ID", required = true,
            description = "scenario id (`tdisp list`)")
    String scenario;

    @Spec CommandSpec spec;

    private Strategy resolved;
    private Scenario sc;

    @Override
    public void validate() {
        resolved = catalog.catalog().get(strategy).withOverrides(sets.sets);
        sc = RunOptions.scenario(scenario);
    }

    @Override
    public Integer call() {
        var costs = costFlags.options();
        ScenarioResult r = ScenarioRunner.run(resolved, platform, sc, seed.seed, true, faults.set(), costs);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("# strategy %s, platform %s, scenario %s, seed %d%n", resolved.id(), platform.id(), sc.id(), seed.seed));
        sb.append("# knobs ").append(resolved.knobs().describe()).append('\n');
        sb.append(String.format("# left column: modeled time after the event (cost table %s)%n", costs.table().origin()));
        for (String line : r.trace()) sb.append(line).append('\n');
        sb.append(String.format("# steps %d, VM exits %d, exits to VMM %d, ioctls %d, firmware calls %d, modeled %.3f us%n",
                r.counters().steps(), r.counters().vmExits(), r.counters().userExits(), r.counters().ioctls(),
                r.counters().fwCalls(), r.counters().modeledNs() / 1000.0));
        sb.append(String.format("# verdict %s%s; TDI end state %s; secure DMA %s%n",
                r.verdict().token(), r.violated().isEmpty() ? "" : " (" + String.join(",", r.violated()) + ")",
                r.tdiEndState(), r.secureDma()));
        spec.commandLine().getOut().print(Columns.wrap(sb.toString()));
        return ExitCodes.OK;
    }
}
