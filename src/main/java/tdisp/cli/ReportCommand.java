package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.CsvInput;
import tdisp.report.Provenance;
import tdisp.report.RunReport;
import tdisp.scenario.Scenario;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/**
 * {@code tdisp report}: compare, sweep, a small explore run and bench (read from an earlier
 * run unless asked to run) in one report. Each part runs as its own command would, into a
 * scratch directory, and the report reads the CSVs back, so a report run and a report read
 * from an earlier results directory ({@code --from}) are rendered by the same code.
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

    @Option(names = "--explore-depth", paramLabel = "N", defaultValue = "6", description = "depth bound of the explore search; 0 = no search")
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
    public Integer call() throws IOException {
        Path dir = run.out.dir();
        AtomicFiles.checkWritable(dir);
        Interrupt.nothingPartial();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = progressOptions.start(err, "report");
        Map<String, String> files = new LinkedHashMap<>();
        CsvInput correctness, sweep = null, bench = null;
        List<CsvInput> explore = new ArrayList<>();
        Path scratch = Files.createTempDirectory("tdisp-report-");
        try {
            if (from != null) {
                progress.total(1);
                progress.begin("reading " + from);
                correctness = read(from.resolve("compare/correctness.csv"), from + "/compare/correctness.csv", "strategy", "verdict");
                sweep = readIfPresent(from.resolve("sweep/sweep.csv"), from + "/sweep/sweep.csv", "kind", "makespan_ns");
                CsvInput ex = readIfPresent(from.resolve("explore/explore.csv"), from + "/explore/explore.csv", "run");
                if (ex != null) explore.add(ex);
                CsvInput rd = readIfPresent(from.resolve("rediscover/rediscovery.csv"), from + "/rediscover/rediscovery.csv", "run");
                if (rd != null) explore.add(rd);
                if (!runBench && benchCsv == null) bench = readIfPresent(from.resolve("bench/bench.csv"), from + "/bench/bench.csv", "ns_op");
                progress.step();
            } else {
                progress.total(3 + (exploreDepth > 0 ? 1 : 0) + (runBench ? 1 : 0));
                progress.begin("compare");
                List<String> cmp = new ArrayList<>(seeded());
                for (String s : run.sets.sets) cmp.addAll(List.of("--set", s));
                for (Fault f : run.faults.faults) cmp.addAll(List.of("--fault", f.name()));
                if (!run.scenarios.isEmpty()) cmp.addAll(List.of("--scenarios", String.join(",", run.scenarios)));
                int rc = sub("compare", cmp, scratch);
                if (rc != ExitCodes.OK) return rc;
                correctness = keep(files, scratch, "compare/correctness.csv", "strategy", "verdict");
                progress.step();
                progress.begin("sweep");
                rc = sub("sweep", seeded(), scratch);
                if (rc != ExitCodes.OK) return rc;
                sweep = keep(files, scratch, "sweep/sweep.csv", "kind", "makespan_ns");
                progress.step();
                if (exploreDepth > 0) {
                    progress.begin("explore");
                    List<String> ex = new ArrayList<>(catalogArgs());
                    ex.addAll(List.of("--strategy", exploreStrategy, "--platform", explorePlatform.id(), "--depth", "" + exploreDepth,
                            "--seed", "" + run.seed.seed));
                    for (String s : run.sets.sets) ex.addAll(List.of("--set", s));
                    rc = sub("explore", ex, scratch);
                    // explore's 1 is a finding (a violated invariant), shown in the report, not a failure.
                    if (rc != ExitCodes.OK && rc != ExitCodes.NO) return rc;
                    explore.add(keep(files, scratch, "explore/explore.csv", "run"));
                    progress.step();
                }
            }
            if (runBench) {
                progress.begin("bench");
                List<String> b = new ArrayList<>(common());
                b.addAll(List.of("--benchmarks", "GuestRequestBench", "--forks", "1", "--warmup-iterations", "1", "--iterations", "3",
                        "--iteration-time", "200ms"));
                int rc = sub("bench", b, scratch);
                if (rc != ExitCodes.OK) return rc;
                bench = keep(files, scratch, "bench/bench.csv", "ns_op");
                progress.step();
            } else if (benchCsv != null) {
                bench = read(benchCsv, benchCsv.toString(), "ns_op");
            } else if (from == null) {
                Path shipped = Path.of(System.getProperty("tdisp.home", ".")).resolve(SHIPPED_BENCH);
                // named relative to the harness, never by this machine's absolute path
                bench = readIfPresent(shipped, SHIPPED_BENCH + " (the shipped reference run)", "ns_op");
            }
        } finally {
            deleteTree(scratch);
        }
        progress.begin("latency and traces");
        List<CsvInput> inputs = new ArrayList<>(List.of(correctness));
        if (bench != null) inputs.add(bench);
        if (sweep != null) inputs.add(sweep);
        inputs.addAll(explore);
        RunReport report = new RunReport(setup(bench, inputs), strategyLines(), correctness, baselineId(), latency(), bench, sweep, explore, traceRuns());
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

    /** Runs one command as `tdisp NAME ARGS --out SCRATCH/NAME`; its stdout is dropped, its stderr kept for a failure. */
    private int sub(String name, List<String> args, Path scratch) {
        List<String> a = new ArrayList<>();
        a.add(name);
        a.addAll(args);
        if (!name.equals("compare")) a.addAll(List.of("--progress", "none")); // compare has no progress to show
        a.addAll(List.of("--out", scratch.resolve(name).toString()));
        StringWriter err = new StringWriter();
        int rc = Main.execute(a.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        if (rc != ExitCodes.OK && !(rc == ExitCodes.NO && name.equals("explore"))) {
            PrintWriter e = spec.commandLine().getErr();
            for (String line : err.toString().lines().toList()) if (!line.startsWith("tdisp: wrote")) e.println(line);
            e.printf("tdisp: report: %s exited %d; no report written%n", name, rc);
        }
        return rc;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    private List<String> catalogArgs() {
        List<String> a = new ArrayList<>(List.of("--strategies-dir", run.catalog.strategiesDir.toString()));
        for (Path p : run.catalog.overlays) a.addAll(List.of("--add-strategies", p.toString()));
        if (!run.catalog.replace.isEmpty()) a.addAll(List.of("--replace-strategy", String.join(",", run.catalog.replace)));
        return a;
    }

    /** Strategy, platform and cost arguments compare, sweep and bench share (bench has no seed). */
    private List<String> common() {
        List<String> a = new ArrayList<>(catalogArgs());
        if (!run.targets.strategies.isEmpty()) a.addAll(List.of("--strategies", String.join(",", run.targets.strategies)));
        if (!run.targets.platforms.isEmpty()) {
            a.addAll(List.of("--platforms", String.join(",", run.targets.platforms().stream().map(Platform::id).toList())));
        }
        if (run.costFlags.costs != null) a.addAll(List.of("--costs", run.costFlags.costs.toString()));
        if (run.costFlags.nested) a.add("--nested");
        if (run.costFlags.ibpb) a.add("--ibpb");
        return a;
    }

    private List<String> seeded() {
        List<String> a = new ArrayList<>(common());
        a.addAll(List.of("--seed", Long.toString(run.seed.seed)));
        return a;
    }

    private static CsvInput keep(Map<String, String> files, Path scratch, String rel, String... required) throws IOException {
        String text = Files.readString(scratch.resolve(rel));
        files.put("data/" + rel, text);
        return CsvInput.parse(text, "data/" + rel, required);
    }

    private static CsvInput read(Path file, String source, String... required) {
        InputFiles.check(file, "input");
        try {
            return CsvInput.parse(Files.readString(file), source, required);
        } catch (IOException e) {
            throw new UsageException(source + ": cannot read: " + e.getMessage());
        } catch (CsvInput.BadCsvException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static CsvInput readIfPresent(Path file, String source, String... required) {
        return Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? read(file, source, required) : null;
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

    /** The latency scenario per strategy x platform at the defaults and with every cost row at its low and its high end. */
    private List<RunReport.Latency> latency() {
        CostOptions c = run.costs();
        CostTable low = c.table(), high = c.table();
        for (CostTable.Row r : c.table().rows().values()) {
            low = low.with(r.name(), r.low());
            high = high.with(r.name(), r.high());
        }
        CostOptions lo = new CostOptions(low, c.nested(), c.ibpb()), hi = new CostOptions(high, c.nested(), c.ibpb());
        List<RunReport.Latency> out = new ArrayList<>();
        for (Platform p : run.targets.platforms()) {
            for (Strategy s : run.strategies()) {
                ScenarioResult d = ScenarioRunner.run(ScenarioRun.builder(s, p, latencySc).seed(run.seed.seed).faults(run.faultSet()).costs(c).build());
                if (d.verdict() == ScenarioResult.Verdict.NOT_APPLICABLE) continue;
                long l = ScenarioRunner.run(ScenarioRun.builder(s, p, latencySc).seed(run.seed.seed).faults(run.faultSet()).costs(lo).build()).counters().modeledNs();
                long h = ScenarioRunner.run(ScenarioRun.builder(s, p, latencySc).seed(run.seed.seed).faults(run.faultSet()).costs(hi).build()).counters().modeledNs();
                out.add(new RunReport.Latency(s.id(), p.id(), latencySc.id(), d.counters().modeledNs(), l, h, "yes".equals(d.secureDma())));
            }
        }
        return out;
    }

    private List<RunReport.TraceRun> traceRuns() {
        List<RunReport.TraceRun> out = new ArrayList<>();
        for (TraceSpec t : traceSpecs) {
            ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(t.strategy(), t.platform(), t.scenario()).seed(run.seed.seed).trace(ScenarioRun.Trace.RECORDED).faults(run.faultSet()).costs(run.costs()).build());
            String verdict = r.verdict().token() + (r.violated().isEmpty() ? "" : " (" + String.join(",", r.violated()) + ")");
            out.add(new RunReport.TraceRun(t.strategy().id(), t.platform().id(), t.scenario().id(), t.sets(), verdict, r.trace()));
        }
        return out;
    }

    /** How this report was made: the command line, then every input that changes a number. */
    private Provenance setup(CsvInput bench, List<CsvInput> inputs) {
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
            Map<String, String> r = bench.rows().get(0);
            b.add("jmh", r.getOrDefault("jdk", "?") + ", " + r.getOrDefault("forks", "?") + " fork(s), " + r.getOrDefault("warmup_iterations", "?")
                    + "+" + r.getOrDefault("measurement_iterations", "?") + " iterations of " + r.getOrDefault("iteration_time", "?")
                    + (runBench ? ", run by this report (GuestRequestBench)" : ", read from " + bench.source()));
        }
        b.add("latency", latencyScenario + " modeled by this report; baseline " + baselineId());
        // an input a signal or a bound cut short makes this report partial too: said in its own provenance
        List<String> partial = inputs.stream().filter(in -> in.provenance().status() != null).map(CsvInput::source).toList();
        b.status(partial.isEmpty() ? "" : "PARTIAL INPUT: " + String.join(", ", partial) + " (see Answer)");
        return b.build();
    }
}
