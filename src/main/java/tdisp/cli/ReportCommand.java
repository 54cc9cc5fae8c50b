package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import org.openjdk.jmh.runner.RunnerException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.cost.CostOptions;
import tdisp.explore.Exploration;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.BenchReport;
import tdisp.report.CorrectnessCsv;
import tdisp.report.CsvInput;
import tdisp.report.ExploreReport;
import tdisp.report.Input;
import tdisp.report.Provenance;
import tdisp.report.RunReport;
import tdisp.report.SweepReport;
import tdisp.scenario.Compare;
import tdisp.scenario.ModeledLatency;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.strategy.Strategy;
import tdisp.sweep.Sweep;

/**
 * {@code tdisp report}: compare, sweep, a small explore run and bench (read from an earlier
 * run unless asked to run) in one report. Each part is its command's service, called with
 * the request that command would make; its result goes to the report as records and to
 * data/ as the CSV the command writes. A report read from an earlier results directory
 * ({@code --from}) reads those CSVs through the same column declarations, so both are
 * rendered by the same code from the same records.
 */
@Command(name = "report", description = "Run compare, sweep and a small explore search (or read them with --from), "
        + "take bench from an earlier run unless --bench, and write report.txt (a 72-column mail body), report.md and "
        + "report.html: the same text plus SVG charts (charts/) and sequence diagrams of traced runs.")
final class ReportCommand implements Callable<Integer>, Validated {
    static final String SHIPPED_BENCH = "results/bench/bench.csv";
    static final List<String> DEFAULT_TRACES = List.of("iommufd-v5:tdx-connect:close-vfio-bound",
            "iommufd-v5:tdx-connect:unbind-races-request:guest-request.entry=vfio");

    @Mixin RunOptions run = new RunOptions();
    @Mixin ProgressOptions progressOptions = new ProgressOptions();
    @Spec CommandSpec spec;

    @Option(names = "--from", paramLabel = "DIR",
            description = "read DIR/compare/correctness.csv, DIR/sweep/sweep.csv, DIR/bench/bench.csv, DIR/explore/explore.csv "
                    + "and DIR/rediscover/rediscovery.csv (each but compare's optional) instead of running, e.g. --from results")
    Path from;

    @Option(names = "--bench", description = "run a short JMH point (GuestRequestBench, 1 fork, 1+3 iterations of 200 ms) "
            + "instead of reading bench.csv")
    boolean runBench;

    @Option(names = "--bench-csv", paramLabel = "FILE",
            description = "bench.csv to read (default: DIR/bench/bench.csv with --from, else the shipped " + SHIPPED_BENCH + " when present)")
    Path benchCsv;

    @Option(names = "--explore-strategy", paramLabel = "ID", defaultValue = "iommufd-v5", description = "strategy of the explore search")
    String exploreStrategy;

    @Option(names = "--explore-platform", paramLabel = "ID", defaultValue = "sev-tio",
            completionCandidates = Converters.PlatformIds.class, converter = Converters.PlatformConverter.class,
            description = "platform of the explore search")
    Platform explorePlatform;

    @Option(names = "--explore-depth", paramLabel = "N", defaultValue = "" + tdisp.explore.ExplorerConfig.REPORT_DEPTH, description = "depth bound of the explore search; 0 = no search")
    int exploreDepth;

    @Option(names = "--trace", paramLabel = "STRATEGY:PLATFORM:SCENARIO[:KEY=VALUE,...]", showDefaultValue = Visibility.NEVER,
            description = "a run to draw as a sequence diagram, with optional knob overrides (repeatable; default: "
                    + "iommufd-v5 on tdx-connect, close-vfio-bound and unbind-races-request with guest-request.entry=vfio)")
    List<String> traces = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "ID", defaultValue = "kvm-direct",
            description = "strategy the modeled latency table compares the others with (the first selected if not selected)")
    String baseline;

    @Option(names = "--latency-scenario", paramLabel = "ID", defaultValue = "happy-bringup", description = "scenario whose modeled time the latency table shows")
    String latencyScenario;

    /** A --trace argument, checked. */
    record TraceSpec(Strategy strategy, Platform platform, Scenario scenario, List<String> sets) {}

    private List<TraceSpec> traceSpecs;
    private Scenario latencySc;

    @Override
    public void validate() {
        if (exploreDepth < 0) throw new UsageException("--explore-depth " + exploreDepth + ": must be >= 0");
        if (runBench && benchCsv != null) throw new UsageException("--bench and --bench-csv: give one");
        if (from != null) {
            Path c = from.resolve("compare/correctness.csv");
            if (!Files.exists(c, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new UsageException("--from " + from + ": no compare/correctness.csv in it");
            InputFiles.check(c, "--from");
        }
        if (benchCsv != null) InputFiles.check(benchCsv, "--bench-csv");
        run.catalog.catalog().get(exploreStrategy).withOverrides(run.sets.sets);
        checkBaseline();
        latencySc = RunOptions.scenario(latencyScenario);
        traceSpecs = new ArrayList<>();
        for (String t : traces.isEmpty() ? DEFAULT_TRACES : traces) traceSpecs.add(traceSpec(t));
    }

    private TraceSpec traceSpec(String arg) {
        String[] f = arg.split(":", 4);
        if (f.length < 3) throw new UsageException("--trace " + arg + ": expected STRATEGY:PLATFORM:SCENARIO[:KEY=VALUE,...]");
        List<String> sets = new ArrayList<>(run.sets.sets);
        List<String> own = f.length == 4 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
        sets.addAll(own);
        Strategy s = run.catalog.catalog().get(f[0]).withOverrides(sets);
        Platform p;
        try {
            p = Platforms.get(f[1]);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--trace " + arg + ": " + e.getMessage());
        }
        return new TraceSpec(s, p, RunOptions.scenario(f[2]), own);
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        Path dir = run.out.dir();
        AtomicFiles.checkWritable(dir);
        Interrupt.nothingPartial();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = progressOptions.start(err, "report");
        Map<String, String> files = new LinkedHashMap<>();
        Input<ScenarioResult> correctness;
        Input<SweepReport.Line> sweep = null;
        Input<BenchReport.Line> bench = null;
        List<Input<ExploreReport.Line>> explore = new ArrayList<>();
        if (from != null) {
            progress.total(1);
            progress.begin("reading " + from);
            correctness = read(from.resolve("compare/correctness.csv"), from + "/compare/correctness.csv", CorrectnessCsv::parse);
            sweep = readIfPresent(from.resolve("sweep/sweep.csv"), from + "/sweep/sweep.csv", SweepReport.TABLE::parse);
            Input<ExploreReport.Line> ex = readIfPresent(from.resolve("explore/explore.csv"), from + "/explore/explore.csv", ExploreReport.TABLE::parse);
            if (ex != null) explore.add(ex);
            Input<ExploreReport.Line> rd = readIfPresent(from.resolve("rediscover/rediscovery.csv"), from + "/rediscover/rediscovery.csv",
                    ExploreReport.TABLE::parse);
            if (rd != null) explore.add(rd);
            if (!runBench && benchCsv == null) bench = readIfPresent(from.resolve("bench/bench.csv"), from + "/bench/bench.csv", BenchReport.TABLE::parse);
            progress.step();
        } else {
            progress.total(3 + (exploreDepth > 0 ? 1 : 0) + (runBench ? 1 : 0));
            progress.begin("compare");
            Compare.Result cr = Compare.run(new Compare.Request(run.strategies(), run.targets.platforms(), run.scenarios(), run.seed.seed,
                    run.faultSet(), run.costs()), Interrupt::requested);
            if (cr.interrupted()) return stopped("compare", "a signal stopped it");
            Provenance cp = CompareCommand.provenance(Setup.startAs(new CompareCommand(), ReportRuns.compare(run), ReportRuns.costFlags(run)),
                    cr, run.sets.sets, run.scenarios.isEmpty());
            correctness = keep(files, "compare/correctness.csv", cp, CorrectnessCsv.render(cr), CorrectnessCsv.HEADER, cr.cells());
            progress.step();
            progress.begin("sweep");
            // sweep takes no --set: its strategies are the catalogue's, as `tdisp sweep` selects them
            Sweep.Config sc = Sweep.Config.builder(run.targets.strategies(run.catalog.catalog()), run.targets.platforms())
                    .seed(run.seed.seed).costs(run.costs()).build();
            Sweep.Report sr = Sweep.run(sc);
            Provenance sp = SweepCommand.provenance(Setup.startAs(new SweepCommand(), ReportRuns.seeded(run), ReportRuns.costFlags(run)), sc);
            List<SweepReport.Line> lines = SweepReport.lines(sr);
            sweep = keep(files, "sweep/sweep.csv", sp, SweepReport.TABLE.render(lines), SweepReport.HEADER, lines);
            progress.step();
            if (exploreDepth > 0) {
                progress.begin("explore");
                Exploration.Outcome o = Exploration.run(ReportRuns.exploreSpec(run, exploreStrategy, explorePlatform, exploreDepth), run.catalog.catalog(), null, Interrupt.CANCEL);
                List<Exploration.Run> runs = List.of(o.run());
                // explore's violated invariant is a finding, shown in the report; a search cut short is not
                if (ExploreCommand.incomplete(runs)) return stopped("explore", "the search stopped before its bounds were exhausted");
                Provenance ep = Setup.explore(Setup.startAs(new ExploreCommand(), ReportRuns.explore(run, exploreStrategy, explorePlatform, exploreDepth),
                        Set.of()), runs, run.sets.sets);
                List<ExploreReport.Line> el = ExploreReport.lines(runs);
                explore.add(keep(files, "explore/explore.csv", ep, ExploreReport.TABLE.render(el), ExploreReport.TABLE.header(), el));
                progress.step();
            }
        }
        if (runBench) {
            progress.begin("bench");
            BenchCommand.checkAvailable();
            BenchCommand.Result br = BenchCommand.measure(ReportRuns.bench(run), Progress.of(Progress.Mode.NONE, err, "bench", java.time.Duration.ofSeconds(3)));
            Provenance bp = BenchCommand.provenance(Setup.startAs(new BenchCommand(), ReportRuns.benchOptions(run), ReportRuns.costFlags(run)),
                    br, run.costs());
            String text = bp.stamp(Map.of("bench.csv", BenchReport.csv(br.rows(), br.settings()))).get("bench.csv");
            files.put("data/bench/bench.csv", text);
            // read back: the report shows bench.csv's precision, so this report and one --from its data/ agree
            bench = BenchReport.TABLE.parse(text, "data/bench/bench.csv");
            progress.step();
        } else if (benchCsv != null) {
            bench = read(benchCsv, benchCsv.toString(), BenchReport.TABLE::parse);
        } else if (from == null) {
            Path shipped = Path.of(System.getProperty("tdisp.home", ".")).resolve(SHIPPED_BENCH);
            // named relative to the harness, never by this machine's absolute path
            bench = readIfPresent(shipped, SHIPPED_BENCH + " (the shipped reference run)", BenchReport.TABLE::parse);
        }
        progress.begin("latency and traces");
        List<Input<?>> inputs = new ArrayList<>(List.of(correctness));
        if (bench != null) inputs.add(bench);
        if (sweep != null) inputs.add(sweep);
        inputs.addAll(explore);
        List<ModeledLatency> latency = ModeledLatency.of(run.strategies(), run.targets.platforms(), latencySc, run.seed.seed, run.faultSet(), run.costs());
        RunReport report = new RunReport(setup(bench, inputs), strategyLines(), correctness, baselineId(), latency, bench, sweep, explore, traceRuns());
        progress.finish();
        String txt = report.text();
        files.put("report.txt", txt);
        files.put("report.md", report.markdown());
        files.put("report.html", report.html());
        Map<String, String> charts = report.charts();
        for (var e : charts.entrySet()) files.put("charts/" + e.getKey() + ".svg", e.getValue());
        AtomicFiles.commit(dir, "report", files);
        spec.commandLine().getOut().print(txt);
        err.printf("tdisp: wrote %s (report.txt, report.md, report.html, %d charts)%n", dir, charts.size());
        return ExitCodes.OK;
    }

    /** A part that cannot be shown whole: one line, nothing written, exit 3 (incomplete). */
    private int stopped(String part, String why) {
        spec.commandLine().getErr().printf("tdisp: report: %s: %s; no report written%n", part, why);
        return ExitCodes.INCOMPLETE;
    }

    /** A result the report made, kept under data/ as its command would have written it (with its provenance). */
    private static <R> Input<R> keep(Map<String, String> files, String rel, Provenance prov, String csv, List<String> header, List<R> rows) {
        files.put("data/" + rel, prov.stamp(Map.of(rel.substring(rel.lastIndexOf('/') + 1), csv)).values().iterator().next());
        return new Input<>("data/" + rel, prov, header, rows);
    }

    private static <R> Input<R> read(Path file, String source, BiFunction<String, String, Input<R>> parse) {
        InputFiles.check(file, "input");
        try {
            return parse.apply(Files.readString(file), source);
        } catch (IOException e) {
            throw new UsageException(source + ": cannot read: " + e.getMessage());
        } catch (CsvInput.BadCsvException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static <R> Input<R> readIfPresent(Path file, String source, BiFunction<String, String, Input<R>> parse) {
        return Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? read(file, source, parse) : null;
    }

    /**
     * An unknown --baseline is bad input (it used to be replaced by another strategy without
     * a word); one given but not selected too. Only the default falls back to the first
     * selected strategy, as its help says.
     */
    private void checkBaseline() {
        if (!run.catalog.catalog().ids().contains(baseline)) {
            throw new UsageException("--baseline " + baseline + ": unknown strategy (known: " + String.join(", ", run.catalog.catalog().ids()) + ")");
        }
        boolean given = spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--baseline");
        if (given && run.strategies().stream().noneMatch(s -> s.id().equals(baseline))) {
            throw new UsageException("--baseline " + baseline + ": not among the selected --strategies");
        }
    }

    private String baselineId() {
        List<Strategy> ss = run.strategies();
        return ss.stream().anyMatch(s -> s.id().equals(baseline)) ? baseline : ss.get(0).id();
    }

    private List<RunReport.StrategyLine> strategyLines() {
        return run.strategies().stream().map(s -> new RunReport.StrategyLine(s.id(), s.title())).toList();
    }

    private List<RunReport.TraceRun> traceRuns() {
        List<RunReport.TraceRun> out = new ArrayList<>();
        for (TraceSpec t : traceSpecs) {
            ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(t.strategy(), t.platform(), t.scenario()).seed(run.seed.seed).trace(ScenarioRun.Trace.RECORDED).faults(run.faultSet()).costs(run.costs()).build());
            String verdict = r.verdict().token() + (r.violated().isEmpty() ? "" : " (" + String.join(",", r.violated()) + ")");
            out.add(new RunReport.TraceRun(t.strategy().id(), t.platform().id(), t.scenario().id(), t.sets(), verdict, r.events()));
        }
        return out;
    }

    /** How this report was made: the command line, then every input that changes a number. */
    private Provenance setup(Input<BenchReport.Line> bench, List<Input<?>> inputs) {
        CostOptions c = run.costs();
        List<Strategy> ss = run.strategies();
        List<Platform> ps = run.targets.platforms();
        Provenance.Builder b = Setup.run(Setup.start(spec, Setup.selection(ss, ps)), run.seed.seed, ss, ps, run.sets.sets)
                .add("scenarios", run.scenarios.isEmpty() ? List.of("all (" + run.scenarios().size() + ")")
                        : run.scenarios().stream().map(Scenario::id).toList());
        b = Setup.costs(Setup.faults(b, run.faultSet()), c);
        if (from != null) {
            b.add("results", "read from " + from + " (their own setup follows each source below)");
        } else {
            b.add("results", "compare and sweep run by this report (sweep takes no --set or --fault)"
                    + (exploreDepth > 0 ? "; explore " + exploreStrategy + " on " + explorePlatform.id() + ", depth <= " + exploreDepth : ""));
        }
        if (bench == null || bench.rows().isEmpty()) {
            b.add("jmh", "none (no bench run or bench.csv)");
        } else {
            BenchReport.Settings st = bench.rows().get(0).settings();
            b.add("jmh", st.jdk() + ", " + st.forks() + " fork(s), " + st.warmupIterations() + "+" + st.iterations() + " iterations of " + st.time()
                    + (runBench ? ", run by this report (GuestRequestBench)" : ", read from " + bench.source()));
        }
        b.add("latency", latencyScenario + " modeled by this report; baseline " + baselineId());
        // an input a signal or a bound cut short makes this report partial too: said in its own provenance
        List<String> partial = inputs.stream().filter(in -> in.provenance().status() != null).map(Input::source).toList();
        b.status(partial.isEmpty() ? "" : "PARTIAL INPUT: " + String.join(", ", partial) + " (see Answer)");
        return b.build();
    }
}
