package tdisp.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.platform.Platform;
import tdisp.report.Provenance;
import tdisp.report.TraceReport;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
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
        ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(resolved, platform, sc).seed(seed.seed).trace(ScenarioRun.Trace.RECORDED).faults(faults.set()).costs(costs).build());
        Provenance prov = Setup.costs(Setup.faults(Setup.secondary(Setup.start(spec).add("seed", seed.seed).add("strategies", resolved.id()), java.util.List.of(resolved))
                .add("platforms", platform.id()).add("scenarios", sc.id()).add("set", sets.sets), faults.set()), costs).build();
        String body = TraceReport.text(r, resolved.knobs().describe(), seed.seed, costs.table().origin(),
                faults.set().stream().map(Enum::name).toList());
        spec.commandLine().getOut().print(prov.text() + "\n" + body);
        return ExitCodes.OK;
    }
}
