package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.calibrate.Calibration;
import tdisp.calibrate.HostInfo;
import tdisp.calibrate.KvmDevice;
import tdisp.calibrate.KvmUnavailableException;
import tdisp.calibrate.RoutingDelta;
import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.report.AtomicFiles;
import tdisp.report.CalibrationReport;
import tdisp.report.Provenance;
import tdisp.strategy.StrategyCatalog;

/**
 * `tdisp calibrate`: runs the JMH benchmarks of benchmarks/tdisp/calibrate/ against this
 * host's /dev/kvm and writes costs-measured.csv, the built-in table with the measured rows
 * in place (readable by --costs), and calibrate.txt, which sets them beside the estimates
 * and shows what they do to the modeled routing delta.
 */
@Command(name = "calibrate", description = "Measure exit, ioctl and user-copy costs on this host's /dev/kvm with JMH; "
        + "write costs-measured.csv (a --costs table) and calibrate.txt.")
final class CalibrateCommand implements Callable<Integer> {
    static final String INCLUDE = "tdisp\\.calibrate\\.(NativeCallBench|IoctlBench|UserCopyBench|KvmExitBench)\\.";

    @Option(names = "--quick", description = "1 fork, 3 x 500 ms warm-up, 5 x 500 ms measurement (under a minute)")
    boolean quick;

    @picocli.CommandLine.Mixin OutOption out = new OutOption();

    @Option(names = "--forks", description = "forked JVMs per benchmark (default: 2, quick 1)") Integer forks;

    @Option(names = "--warmup-iterations", description = "warm-up iterations (default: 5, quick 3)") Integer warmupIterations;

    @Option(names = "--iterations", description = "measurement iterations (default: 10, quick 5)") Integer iterations;

    @Option(names = "--iteration-time", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "time per JMH iteration, e.g. 1s or 200ms (default: 1s, quick 500ms)") java.time.Duration time;

    @Option(names = "--strategies-dir", defaultValue = "${sys:tdisp.home:-.}/strategies", description = "directory of *.desc files (for the routing delta)")
    Path strategiesDir;

    @Option(names = "--kvm-device", hidden = true, defaultValue = KvmDevice.DEFAULT, description = "KVM device to open (tests point it elsewhere)")
    String device;

    @Spec CommandSpec spec;

    /** What to measure: JMH's settings, the KVM device, and the catalogue the routing delta is taken over. */
    record Request(StrategyCatalog catalog, String device, int forks, int warmupIterations, int iterations, TimeValue time, String how) {}

    /**
     * What a calibration gives: the derived rows against the built-in table, the table as
     * --costs reads it, the routing delta it makes, and JMH's scores (wall clock and CPU time).
     */
    record Result(Request request, CostTable base, HostInfo host, Calibration.Result derived, String csv, CostTable measured,
                  List<RoutingDelta.Line> delta, Map<String, Calibration.Score> wall, Map<String, Calibration.Score> cpu, int runs) {}

    /** A host this cannot measure on: no /dev/kvm, or another JMH run holding its lock. */
    static final class Unavailable extends Exception {
        Unavailable(String why) { super(why); }
    }

    /** The service: probe the device, run the benchmarks, derive the rows, and the delta they make. */
    static Result measure(Request q) throws RunnerException, Unavailable {
        try {
            KvmDevice.probe(q.device());
        } catch (KvmUnavailableException e) {
            throw new Unavailable(e.getMessage());
        }
        HostInfo host = HostInfo.detect();
        OptionsBuilder ob = new OptionsBuilder();
        ob.include(INCLUDE).forks(q.forks()).warmupIterations(q.warmupIterations()).warmupTime(q.time())
                .measurementIterations(q.iterations()).measurementTime(q.time())
                .shouldFailOnError(true).addProfiler(tdisp.calibrate.CpuTimeProfiler.class).jvmArgsAppend("-D" + KvmDevice.PROPERTY + "=" + q.device());
        // JMH's progress goes to stderr; stdout carries only the summary.
        Collection<RunResult> results;
        try {
            results = new Runner(ob.build(), OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
        } catch (RunnerException e) {
            // Another JMH run on this machine would skew every figure: say so, do not wait or force.
            if (e.getMessage() == null || !e.getMessage().contains("JMH lock")) throw e;
            throw new Unavailable("another JMH run is measuring on this host (" + e.getMessage().replaceFirst("^ERROR: ", "").split("\\. ")[0] + ")");
        }
        CostTable base = CostTable.defaults();
        Map<String, Calibration.Score> cpu = scores(results, true);
        Calibration.Result r = Calibration.derive(cpu, base, host, q.how() + ", CPU time per op");
        String csv = Calibration.table(base, r.rows());
        CostTable measured = CostTable.parse(csv, "costs-measured.csv"); // what --costs will read
        List<RoutingDelta.Line> delta = RoutingDelta.bringUp(q.catalog(), CostOptions.defaults(), new CostOptions(measured, false, false));
        return new Result(q, base, host, r, csv, measured, delta, scores(results, false), cpu, results.size());
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        int f = forks != null ? forks : quick ? 1 : 2;
        int wi = warmupIterations != null ? warmupIterations : quick ? 3 : 5;
        int mi = iterations != null ? iterations : quick ? 5 : 10;
        TimeValue tv = time != null ? TimeValue.milliseconds(Math.max(1, time.toMillis())) : quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        if (f < 1 || wi < 0 || mi < 1) throw new UsageException("--forks and --iterations must be >= 1, --warmup-iterations >= 0");
        Path dir = out.dir();
        AtomicFiles.checkWritable(dir);
        long started = System.nanoTime();
        StrategyCatalog catalog = StrategyCatalog.load(strategiesDir);
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        String how = String.format(Locale.ROOT, "%s%s, %d fork(s), %d+%d x %s, %s", spec.root().version()[0], quick ? " --quick" : "", f, wi, mi, tv, jdk);
        Result r;
        try {
            r = measure(new Request(catalog, device, f, wi, mi, tv, how));
        } catch (Unavailable e) {
            return unavailable(e.getMessage());
        }

        Path csvPath = dir.resolve("costs-measured.csv");
        String txt = CalibrationReport.text(r.derived(), r.base(), r.host(), how, r.delta(), csvPath, r.wall(), r.cpu());
        Provenance prov = Setup.start(spec)
                .add("jmh", String.format(Locale.ROOT, "%d fork(s), %d warm-up + %d measured iterations of %s, CPU time per op", f, wi, mi, tv))
                .add("base", r.base().origin() + " " + r.base().digest())
                .add("host", r.host().cpuModel() + ", Linux " + r.host().kernel()).build();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("costs-measured.csv", r.csv());
        files.put("calibrate.txt", txt);
        files.put("calibrate.run-info", BenchCommand.runInfo("calibrate", started, r.runs()));
        files = prov.stamp(files);
        AtomicFiles.commit(dir, "calibrate", files);
        spec.commandLine().getOut().print(files.get("calibrate.txt"));
        spec.commandLine().getErr().printf("tdisp: wrote %s (costs-measured.csv, calibrate.txt)%n", dir);
        return ExitCodes.OK;
    }

    private int unavailable(String why) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("tdisp: calibrate: unavailable: " + why);
        err.flush();
        return ExitCodes.UNAVAILABLE;
    }

    /**
     * JMH results keyed as {@link Calibration} expects (Class.method, plus :bytes for
     * parameterised ones): CPU time per op from {@link tdisp.calibrate.CpuTimeProfiler}, or
     * JMH's wall-clock score.
     */
    static Map<String, Calibration.Score> scores(Collection<RunResult> results, boolean cpu) {
        Map<String, Calibration.Score> s = new LinkedHashMap<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String bytes = rr.getParams().getParam("bytes");
            if (bytes != null) key += ":" + bytes;
            org.openjdk.jmh.results.Result<?> res = cpu ? rr.getSecondaryResults().get(tdisp.calibrate.CpuTimeProfiler.LABEL) : rr.getPrimaryResult();
            if (res == null) throw new IllegalStateException(key + ": JMH returned no " + tdisp.calibrate.CpuTimeProfiler.LABEL + " result");
            s.put(key, new Calibration.Score(res.getScore(), res.getScoreError()));
        }
        return s;
    }
}
