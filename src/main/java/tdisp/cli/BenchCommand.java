package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.VerboseMode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.report.BenchReport.Row;
import tdisp.report.BenchReport;
import tdisp.report.Provenance;
import tdisp.strategy.Strategy;

/**
 * `tdisp bench`: runs the JMH benchmarks in benchmarks/ in forked JVMs (-foe true, GC
 * profiler on) and reports each strategy as a ratio to a reference measured in the same
 * run: the unrouted baseline for the guest-request hot path, KVM-direct for the others.
 */
@Command(name = "bench", description = "Run the JMH benchmarks in forked JVMs; write bench.csv and bench.txt "
        + "(the table is also printed on stdout).")
final class BenchCommand implements Callable<Integer>, Validated {
    static final List<String> BENCHMARKS = List.of("GuestRequestBench", "SecureDmaEnableBench", "BindUnbindBench");
    /** A point whose 99.9% error exceeds this share of its value is flagged (and warned about). */
    static final String DEFAULT_ERROR_SHARE = "0.25";
    /** The measurement's defaults and --quick's, declared once: validate() reads them and the options' help shows them. */
    static final int FORKS = 2, QUICK_FORKS = 1, WARMUP_ITERATIONS = 5, QUICK_WARMUP_ITERATIONS = 2, ITERATIONS = 5, QUICK_ITERATIONS = 3;
    static final long ITERATION_MS = 1000, QUICK_ITERATION_MS = 500;

    @Option(names = "--quick", description = QUICK_FORKS + " fork, " + QUICK_WARMUP_ITERATIONS + " x " + QUICK_ITERATION_MS + " ms warm-up, "
            + QUICK_ITERATIONS + " x " + QUICK_ITERATION_MS + " ms measurement (a few minutes in all)")
    boolean quick;

    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin Targets targets = new Targets();
    @Mixin CostFlags costFlags = new CostFlags();
    @Mixin OutOption out = new OutOption();
    @Mixin ProgressOptions progressOptions = new ProgressOptions();

    @Option(names = "--benchmarks", paramLabel = "NAME", split = ",", completionCandidates = Names.class, showDefaultValue = Visibility.NEVER,
            description = "any of ${COMPLETION-CANDIDATES} (default: all)")
    List<String> benchmarks = new ArrayList<>();

    @Option(names = "--forks", paramLabel = "N", description = "forked JVMs per point (default: " + FORKS + ", with --quick " + QUICK_FORKS + ")")
    Integer forks;

    @Option(names = "--warmup-iterations", paramLabel = "N", description = "warm-up iterations per fork (default: " + WARMUP_ITERATIONS
            + ", with --quick " + QUICK_WARMUP_ITERATIONS + ")")
    Integer warmupIterations;

    @Option(names = "--iterations", paramLabel = "N", description = "measured iterations per fork (default: " + ITERATIONS + ", with --quick " + QUICK_ITERATIONS + ")")
    Integer iterations;

    // Not --time: explore's --time bounds the whole run; one name, one meaning.
    @Option(names = "--iteration-time", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "time per JMH iteration, e.g. 1s or 200ms (default: " + ITERATION_MS / 1000 + "s, with --quick " + QUICK_ITERATION_MS + "ms)")
    Duration time;

    @Option(names = "--error-share", paramLabel = "X", defaultValue = DEFAULT_ERROR_SHARE,
            description = "flag (!) and warn about points whose error exceeds this share of the value")
    double errorShare;

    @Spec CommandSpec spec;

    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() { return BENCHMARKS.iterator(); }
    }

    private List<String> ids;
    private int f, wi, mi;
    private TimeValue tv;
    private tdisp.cost.CostOptions costs;

    @Override
    public void validate() {
        ids = targets.strategies(catalog.catalog()).stream().map(Strategy::id).toList();
        for (String b : benchmarks) {
            if (!BENCHMARKS.contains(b)) throw new UsageException("--benchmarks: unknown benchmark '" + b + "' (known: " + String.join(", ", BENCHMARKS) + ")");
        }
        f = forks != null ? forks : quick ? QUICK_FORKS : FORKS;
        wi = warmupIterations != null ? warmupIterations : quick ? QUICK_WARMUP_ITERATIONS : WARMUP_ITERATIONS;
        mi = iterations != null ? iterations : quick ? QUICK_ITERATIONS : ITERATIONS;
        Duration t = time != null ? time : Duration.ofMillis(quick ? QUICK_ITERATION_MS : ITERATION_MS);
        if (f < 1 || wi < 0 || mi < 1) throw new UsageException("--forks and --iterations must be >= 1, --warmup-iterations >= 0");
        if (t.toMillis() < 1) throw new UsageException("--iteration-time " + t.toMillis() + "ms: an iteration needs at least 1ms");
        if (!(errorShare > 0)) throw new UsageException("--error-share " + errorShare + ": must be > 0");
        tv = TimeValue.milliseconds(t.toMillis());
        costs = costFlags.options(); // a bad table fails here, before any fork
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        checkAvailable();
        Path dir = out.dir();
        AtomicFiles.checkWritable(dir);
        long started = System.nanoTime();
        List<String> benches = benchmarks.isEmpty() ? BENCHMARKS : List.copyOf(new java.util.LinkedHashSet<>(benchmarks));
        Progress progress = progressOptions.start(spec.commandLine().getErr(), "bench");
        Result result = measure(new Request(catalog.catalog(), ids, targets.platforms(), benches, f, wi, mi, tv, errorShare,
                forkArguments(System.getProperty("tdisp.home", "."), catalog, costFlags)), progress);
        progress.finish();
        List<Row> rows = result.rows();
        List<String> notMeasured = result.notMeasured();
        BenchReport.Settings settings = result.settings();
        String csv = BenchReport.csv(rows, settings);
        String txt = "cost table: " + costs.describe() + "\n" + BenchReport.table(rows, settings);
        if (!notMeasured.isEmpty()) {
            txt += "\nnot measured (bring-up never reaches secure DMA):\n  " + String.join(",\n  ", notMeasured) + "\n";
        }
        txt = Columns.wrap(txt);
        Provenance prov = provenance(Setup.start(spec, Setup.selection(catalog.catalog().select(ids), targets.platforms())), result, costs);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("bench.csv", csv);
        files.put("bench.txt", txt);
        files.put("bench.run-info", runInfo("bench", started, rows.size()));
        files = prov.stamp(files);
        AtomicFiles.commit(dir, "bench", files);
        spec.commandLine().getOut().print(files.get("bench.txt"));
        PrintWriter err = spec.commandLine().getErr();
        long noisy = rows.stream().filter(r -> BenchReport.noisy(r, errorShare)).count();
        if (noisy > 0) {
            err.printf(java.util.Locale.ROOT, "tdisp: warning: %d of %d points have an error above %.0f%% of the value (marked !); "
                    + "rerun them with more --forks, --iterations or a longer --iteration-time%n", noisy, rows.size(), errorShare * 100);
        }
        err.printf("tdisp: wrote %s (bench.csv, bench.txt; %d rows)%n", dir, rows.size());
        return ExitCodes.OK;
    }

    /** The annotation processor writes the list at build time; without it JMH finds nothing to run. */
    static void checkAvailable() {
        if (BenchCommand.class.getResource("/META-INF/BenchmarkList") == null) {
            throw new UnavailableException("no JMH benchmark list (META-INF/BenchmarkList) on the class path; "
                    + "run bench from the jar ./tdisp builds");
        }
    }

    /** What to measure: the benchmarks, over which strategies and platforms, with which JMH settings. */
    record Request(tdisp.strategy.StrategyCatalog catalog, List<String> strategies, List<Platform> platforms, List<String> benchmarks,
                   int forks, int warmupIterations, int iterations, TimeValue time, double errorShare, String[] forkArguments) {}

    /** The points measured (with their ratios), the settings they were measured with, and the pairs left out. */
    record Result(Request request, List<Row> rows, BenchReport.Settings settings, List<String> notMeasured) {}

    /**
     * The bench service: one JMH run per platform, over the strategies whose bring-up works
     * there (a pair that never reaches secure DMA has no hot path to time; it is listed instead).
     * JMH's own lines go to stderr in lines mode; a bar replaces them on a terminal.
     */
    static Result measure(Request q, Progress progress) throws RunnerException {
        List<String> include = new ArrayList<>(q.benchmarks());
        if (q.benchmarks().contains("GuestRequestBench")) include.add("BaselineBench");
        OutputFormat jmh = org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(System.err,
                progress.mode() == Progress.Mode.LINES ? VerboseMode.NORMAL : VerboseMode.SILENT);
        List<RunResult> results = new ArrayList<>();
        List<String> notMeasured = new ArrayList<>();
        List<List<String>> perPlatform = new ArrayList<>();
        for (JmhParams jp : JmhParams.of(q.platforms(), q.strategies().stream().map(q.catalog()::get).toList())) {
            perPlatform.add(jp.strategies());
            for (String id : jp.notMeasured()) notMeasured.add(id + " on " + jp.platform());
        }
        long points = 0;
        for (List<String> ok : perPlatform) {
            points += (long) q.benchmarks().size() * ok.size() + (!ok.isEmpty() && q.benchmarks().contains("GuestRequestBench") ? 1 : 0);
        }
        progress.total(points);
        for (int i = 0; i < q.platforms().size(); i++) {
            List<String> ok = perPlatform.get(i);
            if (ok.isEmpty()) continue;
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include("tdisp\\.bench\\.(" + String.join("|", include) + ")\\.")
                    .param("strategy", ok.toArray(String[]::new))
                    .param("platform", q.platforms().get(i).id())
                    .forks(q.forks()).warmupIterations(q.warmupIterations()).warmupTime(q.time())
                    .measurementIterations(q.iterations()).measurementTime(q.time())
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(true)
                    .jvmArgsAppend(q.forkArguments());
            results.addAll(new Runner(ob.build(), new BenchProgress(jmh, progress)).run());
        }
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        return new Result(q, rows(results), new BenchReport.Settings(jdk, q.forks(), q.warmupIterations(), q.iterations(), q.time().toString(),
                q.errorShare()), notMeasured);
    }

    /** bench's provenance after {@code start} (the reproduce line): the selection, the benchmarks, JMH's settings and the cost table. */
    static Provenance provenance(Provenance.Builder start, Result r, tdisp.cost.CostOptions costs) {
        Request q = r.request();
        return Setup.costs(start.add("strategies", q.strategies()).add("platforms", q.platforms().stream().map(Platform::id).toList())
                .add("benchmarks", q.benchmarks())
                .add("jmh", String.format(java.util.Locale.ROOT, "%d fork(s), %d warm-up + %d measured iterations of %s, avgt, -prof gc",
                        q.forks(), q.warmupIterations(), q.iterations(), q.time())), costs).build();
    }

    /** The run-info sidecar of a measuring command: this machine's figures, never compared. */
    static String runInfo(String command, long startedNanos, int points) {
        return String.format(java.util.Locale.ROOT, "# tdisp %s run-info: machine-dependent figures, never compared%n"
                        + "wall_s=%.1f points=%d cores=%d max_heap_bytes=%d%n", command, (System.nanoTime() - startedNanos) / 1e9, points,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /** All -D arguments of a fork in one array: JMH's jvmArgsAppend replaces, it does not add. */
    static String[] forkArguments(String home, CatalogOptions catalog, CostFlags costs) {
        List<String> a = new ArrayList<>(List.of("-Dtdisp.home=" + home, "-Dtdisp.strategies=" + catalog.strategiesDir.toAbsolutePath()));
        a.addAll(List.of(costs.forkArguments()));
        return a.toArray(String[]::new);
    }

    @SuppressWarnings("rawtypes") // JMH declares getSecondaryResults() as Map<String, Result>, raw
    private static double secondary(RunResult r, String key) {
        for (var e : r.getSecondaryResults().entrySet()) {
            String k = e.getKey().replace("\u00b7", "");
            if (k.equals(key)) return e.getValue().getScore();
        }
        return Double.NaN;
    }

    /** The JMH results as report rows, per operation, with their ratios. */
    static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String cls = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1, name.lastIndexOf('.'));
            String strategy = cls.equals("BaselineBench") ? "baseline" : r.getParams().getParam("strategy");
            String bench = cls.equals("BaselineBench") ? "GuestRequestBench" : cls;
            double ops = secondary(r, "ops");
            rows.add(new Row(bench, strategy, r.getParams().getParam("platform"),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), secondary(r, "gc.alloc.rate.norm"),
                    secondary(r, "modeledNs") / ops, secondary(r, "vmExits") / ops, secondary(r, "userExits") / ops,
                    secondary(r, "ioctls") / ops, secondary(r, "fwCalls") / ops, secondary(r, "bytesCopied") / ops, "", Double.NaN, false));
        }
        return BenchReport.withRatios(rows);
    }
}
