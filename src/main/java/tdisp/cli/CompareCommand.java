package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import tdisp.cost.CostOptions;
import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.report.CorrectnessCsv;
import tdisp.report.Matrix;
import tdisp.report.Provenance;
import tdisp.scenario.Compare;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/** tdisp compare: every strategy x platform x scenario; correctness.csv and the text matrix. */
@Command(name = "compare", description = "Run scenarios for every strategy x platform; write correctness.csv "
        + "and the text matrix correctness.txt (also printed on stdout). Every scenario has 2 VMs with one TDI each: "
        + "on two devices with a DSM each, or for the shared-dsm/ scenarios on PF0 and a VF of one device.")
final class CompareCommand implements Callable<Integer> {
    @Mixin RunOptions opts = new RunOptions();
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException { return run(opts, spec, false); }

    /** Runs the selection, writes correctness.csv and correctness.txt as one unit, prints the matrix. */
    static int run(RunOptions o, CommandSpec spec, boolean failOnViolation) throws IOException {
        Path dir = o.out.dir();
        AtomicFiles.checkWritable(dir);
        List<Strategy> strategies = o.strategies();
        List<Platform> platforms = o.targets.platforms();
        List<Scenario> scenarios = o.scenarios();
        Set<Fault> faults = o.faultSet();
        CostOptions costs = o.costs();
        Interrupt.interruptible();
        // After a signal the runs not yet started are skipped; the finished ones are reported.
        Compare.Result result = Compare.run(new Compare.Request(strategies, platforms, scenarios, o.seed.seed, faults, costs), Interrupt::requested);
        List<ScenarioResult> results = result.cells();
        boolean interrupted = result.interrupted();
        Provenance prov = provenance(Setup.start(spec, Setup.selection(strategies, platforms)), result, o.sets.sets, o.scenarios.isEmpty());
        List<String> faultNames = faults.stream().map(Fault::name).toList();
        String csv = CorrectnessCsv.render(result);
        String txt = Matrix.render(results, strategies.stream().map(Strategy::id).toList(),
                platforms.stream().map(Platform::id).toList(), scenarios.stream().map(Scenario::id).toList(), faultNames);
        if (interrupted) {
            txt = String.format("INTERRUPTED: %d of %d runs finished; '-' marks a run not made%n%n", results.size(), result.request().planned()) + txt;
        }
        txt = Columns.wrap(txt);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("correctness.csv", csv);
        files.put("correctness.txt", txt);
        files = prov.stamp(files);
        AtomicFiles.commit(dir, "compare", files);
        spec.commandLine().getOut().print(files.get("correctness.txt"));
        PrintWriter err = spec.commandLine().getErr();
        err.printf("tdisp: wrote %s and %s (%d runs%s)%n", dir.resolve("correctness.csv"), dir.resolve("correctness.txt"),
                results.size(), interrupted ? ", INTERRUPTED" : "");
        if (interrupted) return ExitCodes.INCOMPLETE;
        return failOnViolation && result.anyViolation() ? ExitCodes.NO : ExitCodes.OK;
    }

    /** compare's provenance: the run's inputs after {@code start} (the reproduce line), and its status when stopped. */
    static Provenance provenance(Provenance.Builder start, Compare.Result result, List<String> sets, boolean allScenarios) {
        Compare.Request q = result.request();
        return Setup.costs(Setup.faults(Setup.run(start, q.seed(), q.strategies(), q.platforms(), sets).add("scenarios", allScenarios
                ? List.of("all (" + q.scenarios().size() + ")") : q.scenarios().stream().map(Scenario::id).toList()), q.faults()), q.costs())
                .status(result.interrupted() ? Provenance.interrupted(result.cells().size(), q.planned()) : "").build();
    }
}
