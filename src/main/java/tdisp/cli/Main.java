package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.CorrectnessCsv;
import tdisp.report.Matrix;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Knob;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.strategy.StrategyException;
import tdisp.world.Fault;
import tdisp.world.Invariants;

/** The tdisp command line. It parses arguments and calls the model; nothing else. */
@Command(name = "tdisp", mixinStandardHelpOptions = true, version = "tdisp-harness 0.1",
        description = "Runs each upstream TDISP routing design against one executable model of the host stack.",
        subcommands = {Main.ListCmd.class, Main.Compare.class, Main.Check.class, Main.TraceCmd.class, BenchCommand.class, SweepCommand.class,
                ExploreCommand.class, ReplayCommand.class, RediscoverCommand.class, CalibrateCommand.class})
public final class Main implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (list, compare, check, trace, bench, sweep, explore, replay, rediscover, calibrate)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tdisp: " + ex.getMessage());
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            if (ex instanceof StrategyException || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException) {
                err.println("tdisp: " + ex.getMessage());
                err.flush();
                return 2;
            }
            throw ex;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /** Options shared by the commands that select runs. */
    static class Selection {
        @Option(names = "--strategies-dir", description = "directory of *.desc files (default: ${DEFAULT-VALUE})", defaultValue = "${sys:tdisp.home:-.}/strategies")
        Path strategiesDir;

        @Option(names = "--set", description = "override a knob for every selected strategy: key=value (repeatable)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--seed", description = "seed of the run's one random source (default: ${DEFAULT-VALUE})", defaultValue = "1")
        long seed;

        @CommandLine.Mixin
        CostFlags costFlags = new CostFlags();

        @Option(names = "--fault", description = "inject a deliberate defect (non-vacuity checks): ${COMPLETION-CANDIDATES}")
        List<Fault> faults = new ArrayList<>();

        StrategyCatalog catalog() { return StrategyCatalog.load(strategiesDir); }

        tdisp.cost.CostOptions costOptions() { return costFlags.options(); }

        Set<Fault> faultSet() { return faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults); }
    }

    @Command(name = "list", description = "List strategies, platforms, scenarios, knobs and invariants.")
    static class ListCmd implements Callable<Integer> {
        @CommandLine.Mixin Selection sel;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            StrategyCatalog catalog = sel.catalog(); // fail before printing anything
            PrintWriter o = spec.commandLine().getOut();
            o.println("strategies:");
            for (Strategy s : catalog.all()) o.printf("  %-18s %s%n", s.id(), s.title());
            o.println("platforms:");
            for (Platform p : Platforms.all()) o.printf("  %-18s %s%n", p.id(), p.description());
            o.println("scenarios:");
            for (Scenario s : Scenarios.all().values()) o.printf("  %-34s %s%n", s.id(), s.title());
            o.println("knobs:");
            for (Knob k : Knob.values()) o.printf("  %-34s %s%n    %s%n", k.key(), k.allowedText(), k.description());
            o.println("invariants:");
            for (String[] i : Invariants.CATALOGUE) o.printf("  %-4s %s%n", i[0], i[1]);
            o.println("faults (--fault, for showing an invariant can fail):");
            for (Fault f : Fault.values()) o.printf("  %s%n", f);
            return 0;
        }
    }

    static class RunOptions {
        @CommandLine.Mixin Selection sel;

        @CommandLine.Mixin
        Targets targets = new Targets();

        @Option(names = "--scenarios", split = ",", description = "scenario ids; a trailing * matches a prefix (default: all)")
        List<String> scenarios = new ArrayList<>();

        @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results")
        Path out;

        List<Strategy> strategies() {
            List<Strategy> out = new ArrayList<>();
            for (Strategy s : targets.strategies(sel.catalog())) out.add(s.withOverrides(sel.sets));
            return out;
        }

        List<Platform> platforms() { return targets.platforms(); }

        List<Scenario> scenarios() {
            if (scenarios.isEmpty()) return new ArrayList<>(Scenarios.all().values());
            java.util.Set<Scenario> out = new java.util.LinkedHashSet<>();
            for (String id : scenarios) {
                if (id.endsWith("*")) {
                    String prefix = id.substring(0, id.length() - 1);
                    int before = out.size();
                    for (Scenario s : Scenarios.all().values()) if (s.id().startsWith(prefix)) out.add(s);
                    if (out.size() == before && Scenarios.all().values().stream().noneMatch(s -> s.id().startsWith(prefix))) {
                        throw new IllegalArgumentException("--scenarios: no scenario matches '" + id + "'");
                    }
                } else {
                    out.add(Scenarios.get(id));
                }
            }
            return new ArrayList<>(out);
        }
    }

    /** Runs the selection and writes correctness.csv / correctness.txt atomically. */
    static int compare(RunOptions o, PrintWriter out, boolean failOnViolation) throws java.io.IOException {
        List<Strategy> strategies = o.strategies();
        List<Platform> platforms = o.platforms();
        List<Scenario> scenarios = o.scenarios();
        Set<Fault> faults = o.sel.faultSet();
        tdisp.cost.CostOptions costs = o.sel.costOptions();
        List<Object[]> jobs = new ArrayList<>();
        for (Strategy s : strategies) for (Platform p : platforms) for (Scenario sc : scenarios) jobs.add(new Object[] {s, p, sc});
        // Runs are independent worlds: run them in parallel, keep the input order.
        List<ScenarioResult> results = jobs.parallelStream()
                .map(j -> ScenarioRunner.run((Strategy) j[0], (Platform) j[1], (Scenario) j[2], o.sel.seed, false, faults, costs))
                .toList();
        String csv = CorrectnessCsv.render(results, id -> strategies.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().knobs().describe());
        String txt = Matrix.render(results, strategies.stream().map(Strategy::id).toList(),
                platforms.stream().map(Platform::id).toList(), scenarios.stream().map(Scenario::id).toList());
        java.util.Map<Path, String> files = new java.util.LinkedHashMap<>();
        files.put(o.out.resolve("correctness.csv"), csv);
        files.put(o.out.resolve("correctness.txt"), txt);
        AtomicFiles.writeAll(files);
        out.print(txt);
        out.printf("%nwrote %s and %s (%d runs)%n", o.out.resolve("correctness.csv"), o.out.resolve("correctness.txt"), results.size());
        boolean any = results.stream().anyMatch(r -> r.verdict() == ScenarioResult.Verdict.VIOLATION);
        return failOnViolation && any ? 1 : 0;
    }

    @Command(name = "compare", description = "Run scenarios for every strategy x platform; write correctness.csv and a text matrix. "
            + "Every scenario has 2 VMs with one TDI each (no --devices): on two devices with a DSM each, or for the "
            + "shared-dsm/ scenarios on PF0 and a VF of one device.")
    static class Compare implements Callable<Integer> {
        @CommandLine.Mixin RunOptions opts;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception { return compare(opts, spec.commandLine().getOut(), false); }
    }

    @Command(name = "check", description = "Like compare, but exit 1 if any invariant is violated.")
    static class Check implements Callable<Integer> {
        @CommandLine.Mixin RunOptions opts;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception { return compare(opts, spec.commandLine().getOut(), true); }
    }

    @Command(name = "trace", description = "Print the step-by-step trace of one run in kernel names.")
    static class TraceCmd implements Callable<Integer> {
        @CommandLine.Mixin Selection sel;
        @Option(names = "--strategy", required = true) String strategy;
        @Option(names = "--platform", required = true) String platform;
        @Option(names = "--scenario", required = true) String scenario;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Strategy s = sel.catalog().get(strategy).withOverrides(sel.sets);
            Platform p = Platforms.get(platform);
            Scenario sc = Scenarios.get(scenario);
            ScenarioResult r = ScenarioRunner.run(s, p, sc, sel.seed, true, sel.faultSet(), sel.costOptions());
            PrintWriter o = spec.commandLine().getOut();
            o.printf("# strategy %s, platform %s, scenario %s, seed %d%n# knobs %s%n# left column: modeled time after the event (cost table %s)%n",
                    s.id(), p.id(), sc.id(), sel.seed, s.knobs().describe(), sel.costOptions().table().origin());
            for (String line : r.trace()) o.println(line);
            o.printf("# verdict %s%s; TDI end state %s; secure DMA %s; steps %d, VM exits %d, exits to VMM %d, ioctls %d, firmware calls %d, modeled %.3f us%n",
                    r.verdict().token(), r.violated().isEmpty() ? "" : " (" + String.join(",", r.violated()) + ")",
                    r.tdiEndState(), r.secureDma(), r.counters().steps(), r.counters().vmExits(), r.counters().userExits(),
                    r.counters().ioctls(), r.counters().fwCalls(), r.counters().modeledNs() / 1000.0);
            return 0;
        }
    }
}
