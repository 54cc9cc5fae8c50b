package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/**
 * `tdisp bench`: runs the JMH benchmarks in benchmarks/ in forked JVMs (-foe true, GC
 * profiler on) and reports each strategy as a ratio to a reference measured in the same
 * run: the unrouted baseline for the guest-request hot path, KVM-direct for the others.
 */
@Command(name = "bench", description = "Run the JMH benchmarks; write bench.csv and a text table.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> BENCHMARKS = List.of("GuestRequestBench", "SecureDmaEnableBench", "BindUnbindBench");

    @Option(names = "--quick", description = "1 fork, 2 x 500 ms warm-up, 3 x 500 ms measurement (a few minutes in all)")
    boolean quick;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results")
    Path out;

    @Option(names = "--strategies-dir", defaultValue = "${sys:tdisp.home:-.}/strategies", description = "directory of *.desc files")
    Path strategiesDir;

    @picocli.CommandLine.Mixin
    Targets targets = new Targets();

    @picocli.CommandLine.Mixin
    CostFlags costFlags = new CostFlags();

    @Option(names = "--benchmarks", split = ",", description = "any of ${COMPLETION-CANDIDATES} (default: all)")
    List<String> benchmarks = new ArrayList<>();

    @Option(names = "--forks", description = "forked JVMs per point (default: 2, quick 1)") Integer forks;

    @Option(names = "--warmup-iterations") Integer warmupIterations;

    @Option(names = "--iterations", description = "measurement iterations") Integer iterations;

    @Option(names = "--time", description = "time per iteration, e.g. 1s or 200ms") String time;

    @Option(names = "--seed", defaultValue = "1", description = "recorded in bench.csv (the benchmark worlds use seed 1)") long seed;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws RunnerException, IOException {
        StrategyCatalog catalog = StrategyCatalog.load(strategiesDir);
        List<String> ids = targets.strategies(catalog).stream().map(Strategy::id).toList();
        List<String> plats = targets.platforms().stream().map(Platform::id).toList();
        List<String> benches = benchmarks.isEmpty() ? BENCHMARKS : benchmarks;
        for (String b : benches) {
            if (!BENCHMARKS.contains(b)) throw new IllegalArgumentException("--benchmarks: unknown benchmark '" + b + "' (known: " + String.join(", ", BENCHMARKS) + ")");
        }
        int f = forks != null ? forks : quick ? 1 : 2;
        int wi = warmupIterations != null ? warmupIterations : quick ? 2 : 5;
        int mi = iterations != null ? iterations : quick ? 3 : 5;
        TimeValue tv = time != null ? parseTime(time) : quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        if (f < 1 || wi < 0 || mi < 1) throw new IllegalArgumentException("--forks and --iterations must be >= 1, --warmup-iterations >= 0");

        tdisp.cost.CostOptions costs = costFlags.options(); // a bad table fails here, before any fork

        List<String> include = new ArrayList<>(benches);
        if (benches.contains("GuestRequestBench")) include.add("BaselineBench");
        String home = System.getProperty("tdisp.home", ".");
        // One JMH run per platform, over the strategies whose bring-up works there: a pair
        // that never reaches secure DMA has no hot path to time (it is listed instead).
        List<RunResult> results = new ArrayList<>();
        List<String> notMeasured = new ArrayList<>();
        for (String p : plats) {
            List<String> ok = new ArrayList<>();
            for (String id : ids) {
                var r = tdisp.scenario.ScenarioRunner.run(catalog.get(id), tdisp.platform.Platforms.get(p),
                        tdisp.scenario.Scenarios.get("happy-bringup"), 1, false);
                if (r.secureDma().equals("yes")) ok.add(id);
                else notMeasured.add(id + " on " + p);
            }
            if (ok.isEmpty()) continue;
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include("tdisp\\.bench\\.(" + String.join("|", include) + ")\\.")
                    .param("strategy", ok.toArray(String[]::new))
                    .param("platform", p)
                    .forks(f).warmupIterations(wi).warmupTime(tv).measurementIterations(mi).measurementTime(tv)
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(true)
                    .jvmArgsAppend(forkArguments(home, costFlags));
            // JMH's own progress goes to stderr; stdout carries only the table.
            results.addAll(new Runner(ob.build(),
                    org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(System.err, org.openjdk.jmh.runner.options.VerboseMode.NORMAL)).run());
        }

        List<Row> rows = rows(results);
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        String csv = csv(rows, jdk, f, wi, mi, tv.toString());
        String txt = "cost table: " + costs.describe() + "\n" + table(rows, jdk, f, wi, mi, tv.toString());
        if (!notMeasured.isEmpty()) {
            txt += "\nnot measured (bring-up never reaches secure DMA):\n  " + String.join(",\n  ", notMeasured) + "\n";
        }
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(out.resolve("bench.csv"), csv);
        files.put(out.resolve("bench.txt"), txt);
        AtomicFiles.writeAll(files);
        PrintWriter o = spec.commandLine().getOut();
        o.print(txt);
        o.printf("%nwrote %s and %s (%d rows)%n", out.resolve("bench.csv"), out.resolve("bench.txt"), rows.size());
        return 0;
    }

    /** All -D arguments of a fork in one array: JMH's jvmArgsAppend replaces, it does not add. */
    static String[] forkArguments(String home, CostFlags costs) {
        List<String> a = new ArrayList<>(List.of("-Dtdisp.home=" + home));
        a.addAll(List.of(costs.forkArguments()));
        return a.toArray(String[]::new);
    }

    static TimeValue parseTime(String s) {
        try {
            if (s.endsWith("ms")) return TimeValue.milliseconds(Long.parseLong(s.substring(0, s.length() - 2)));
            if (s.endsWith("s")) return TimeValue.seconds(Long.parseLong(s.substring(0, s.length() - 1)));
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("--time: expected e.g. 1s or 200ms, got '" + s + "'");
    }

    /** One benchmark point with per-operation counters. */
    record Row(String benchmark, String strategy, String platform, double ns, double err, double allocBytes,
               double modeledNs, double vmExits, double userExits, double ioctls, double fwCalls, double bytesCopied,
               String ratioTo, double ratio, boolean significant) {
        Row withRatio(String to, double r, boolean sig) {
            return new Row(benchmark, strategy, platform, ns, err, allocBytes, modeledNs, vmExits, userExits, ioctls, fwCalls, bytesCopied, to, r, sig);
        }
    }

    private static double secondary(RunResult r, String key) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            String k = e.getKey().replace("\u00b7", "");
            if (k.equals(key)) return e.getValue().getScore();
        }
        return Double.NaN;
    }

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
        return withRatios(rows);
    }

    /** Ratio of each row to its reference in the same run; '*' only when error bars do not overlap. */
    static List<Row> withRatios(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        for (Row row : rows) {
            String to = row.benchmark().equals("GuestRequestBench") ? "baseline" : "kvm-direct";
            Row ref = rows.stream().filter(x -> x.benchmark().equals(row.benchmark()) && x.platform().equals(row.platform()) && x.strategy().equals(to)).findFirst().orElse(null);
            if (ref == null) {
                out.add(row);
            } else {
                boolean sig = Math.abs(row.ns() - ref.ns()) > (Double.isNaN(row.err()) ? 0 : row.err()) + (Double.isNaN(ref.err()) ? 0 : ref.err());
                out.add(row.withRatio(to, row.ns() / ref.ns(), sig && row != ref));
            }
        }
        out.sort(java.util.Comparator.comparing(Row::benchmark).thenComparing(Row::platform)
                .thenComparing(x -> x.strategy().equals("baseline") ? "" : x.strategy()));
        return out;
    }

    static String csv(List<Row> rows, String jdk, int forks, int wi, int mi, String time) {
        StringWriter w = new StringWriter();
        CSVFormat fmt = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(
                "benchmark", "strategy", "platform", "ns_op", "ns_op_error", "ratio", "ratio_to", "significant", "alloc_b_op",
                "modeled_ns_op", "vm_exits_op", "user_exits_op", "ioctls_op", "fw_calls_op", "bytes_copied_op",
                "jdk", "forks", "warmup_iterations", "measurement_iterations", "iteration_time", "seed").build();
        try (CSVPrinter p = new CSVPrinter(w, fmt)) {
            for (Row r : rows) {
                p.printRecord(r.benchmark(), r.strategy(), r.platform(), f1(r.ns()), f1(r.err()), f3(r.ratio()), r.ratioTo(), r.significant(),
                        f1(r.allocBytes()), f1(r.modeledNs()), f1(r.vmExits()), f1(r.userExits()), f1(r.ioctls()), f1(r.fwCalls()),
                        f1(r.bytesCopied()), jdk, forks, wi, mi, time, 1);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    private static String f1(double d) { return Double.isNaN(d) ? "" : String.format(java.util.Locale.ROOT, "%.1f", d); }

    private static String f3(double d) { return Double.isNaN(d) ? "" : String.format(java.util.Locale.ROOT, "%.3f", d); }

    /** Kernel-list style: reference row first, differences as percentages, '*' when error bars do not overlap. */
    static String table(List<Row> rows, String jdk, int forks, int wi, int mi, String time) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s; %d fork(s), %d+%d iterations of %s%n", jdk, forks, wi, mi, time));
        sb.append("harness ns/op (JMH avgt, 99.9% error), change vs the reference,\n");
        sb.append("allocation per op, and modeled time per op from the cost table.\n");
        String lastKey = "";
        for (Row r : rows) {
            String key = r.benchmark() + " " + r.platform();
            if (!key.equals(lastKey)) {
                sb.append(String.format("%n%-28s%9s%8s%9s%7s%11s%n", key.replace("Bench", ""), "ns/op", "+-", "change", "B/op", "model us"));
                lastKey = key;
            }
            String change = Double.isNaN(r.ratio()) ? "" : r.strategy().equals(r.ratioTo()) ? "ref"
                    : String.format(java.util.Locale.ROOT, "%+.0f%%%s", (r.ratio() - 1) * 100, r.significant() ? "*" : "");
            sb.append(String.format(java.util.Locale.ROOT, "  %-26s%9.0f%8.0f%9s%7.0f%11.1f%n", r.strategy(), r.ns(),
                    Double.isNaN(r.err()) ? 0 : r.err(), change, r.allocBytes(), r.modeledNs() / 1000.0));
        }
        return sb.toString();
    }
}
