package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
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
        List<Object[]> jobs = new ArrayList<>();
        for (Strategy s : strategies) for (Platform p : platforms) for (Scenario sc : scenarios) jobs.add(new Object[] {s, p, sc});
        Interrupt.interruptible();
        // Runs are independent worlds: run them in parallel, keep the input order. After a
        // signal the runs not yet started are skipped; the finished ones are reported.
        List<ScenarioResult> results = jobs.parallelStream()
                .map(j -> Interrupt.requested() ? null
                        : ScenarioRunner.run(ScenarioRun.builder((Strategy) j[0], (Platform) j[1], (Scenario) j[2]).seed(o.seed.seed).faults(faults).costs(costs).build()))
                .filter(Objects::nonNull)
                .toList();
        boolean interrupted = results.size() < jobs.size();
        Provenance prov = Setup.costs(Setup.faults(Setup.run(Setup.start(spec, Setup.selection(strategies, platforms)),
                o.seed.seed, strategies, platforms, o.sets.sets).add("scenarios", o.scenarios.isEmpty()
                ? List.of("all (" + scenarios.size() + ")") : scenarios.stream().map(Scenario::id).toList()), faults), costs)
                .status(interrupted ? Provenance.interrupted(results.size(), jobs.size()) : "").build();
        List<String> faultNames = faults.stream().map(Fault::name).toList();
        String csv = CorrectnessCsv.render(results, id -> strategies.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().knobs().describe());
        String txt = Matrix.render(results, strategies.stream().map(Strategy::id).toList(),
                platforms.stream().map(Platform::id).toList(), scenarios.stream().map(Scenario::id).toList(), faultNames);
        if (interrupted) {
            txt = String.format("INTERRUPTED: %d of %d runs finished; '-' marks a run not made%n%n", results.size(), jobs.size()) + txt;
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
        boolean any = results.stream().anyMatch(r -> r.verdict() == ScenarioResult.Verdict.VIOLATION);
        return failOnViolation && any ? ExitCodes.NO : ExitCodes.OK;
    }
}
