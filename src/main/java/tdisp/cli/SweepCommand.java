package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.sweep.BringUp;
import tdisp.sweep.Sweep;
import tdisp.sweep.SweepReport;

/** {@code tdisp sweep}: contention and scale of boot-time bring-up; writes sweep.csv and sweep.txt. */
@Command(name = "sweep", description = "Simulate boot-time bring-up of N devices over M VMs per strategy and platform "
        + "(makespan, p50/p99 enablement latency) and a cost-row sensitivity sweep; write sweep.csv and sweep.txt.")
public final class SweepCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--strategies-dir", description = "directory of *.desc files (default: ${DEFAULT-VALUE})", defaultValue = "${sys:tdisp.home:-.}/strategies")
    Path strategiesDir;

    @picocli.CommandLine.Mixin
    Targets targets = new Targets();

    @Option(names = "--devices", split = ",", description = "device counts, 1..4096; each device is one DSM hosting one TDI, "
            + "so this is also the TDI count (default: ${DEFAULT-VALUE})", defaultValue = "1,8,64,512,4096")
    List<Integer> devices;

    @Option(names = "--vms", split = ",", description = "VM counts; device d is in VM d mod M (default: ${DEFAULT-VALUE})", defaultValue = "1,8")
    List<Integer> vms;

    @Option(names = "--seed", description = "seed of the model runs and the start jitter (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--start-jitter", paramLabel = "NS", description = "each device probes at a seeded time in [0, NS] (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long startJitter;

    @picocli.CommandLine.Mixin
    CostFlags costFlags = new CostFlags();

    @Option(names = "--doe-under-fw-lock", description = "queue a DOE exchange on the global firmware lock when the trace shows it held (default: DOE time is per device)")
    boolean doeUnderFwLock;

    @Option(names = "--sensitivity-devices", description = "devices at the sensitivity point (default: ${DEFAULT-VALUE})", defaultValue = "64")
    int sensitivityDevices;

    @Option(names = "--sensitivity-vms", description = "VMs at the sensitivity point (default: ${DEFAULT-VALUE})", defaultValue = "8")
    int sensitivityVms;

    @Option(names = "--tie-ns", description = "rank makespans within this many ns of each other as a tie (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long tieNs;

    @Option(names = "--no-sensitivity", description = "skip the cost-row sensitivity sweep")
    boolean noSensitivity;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results")
    Path out;

    @Override
    public Integer call() throws Exception {
        Sweep.Config c = config();
        Sweep.Report r = Sweep.run(c);
        String csv = SweepReport.csv(r);
        String txt = SweepReport.text(r);
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(out.resolve("sweep.csv"), csv);
        files.put(out.resolve("sweep.txt"), txt);
        AtomicFiles.writeAll(files);
        PrintWriter o = spec.commandLine().getOut();
        o.print(txt);
        o.printf("%nwrote %s and %s%n", out.resolve("sweep.csv"), out.resolve("sweep.txt"));
        return 0;
    }

    /** Parses and checks every option before anything runs. */
    Sweep.Config config() {
        StrategyCatalog catalog = StrategyCatalog.load(strategiesDir);
        List<Strategy> ss = targets.strategies(catalog);
        List<Platform> ps = targets.platforms();
        return new Sweep.Config(ss, ps, dedupe(devices), dedupe(vms), seed, startJitter,
                costFlags.options(), doeUnderFwLock ? BringUp.DoeScope.AS_TRACED : BringUp.DoeScope.DEVICE,
                sensitivityDevices, sensitivityVms, !noSensitivity, tieNs);
    }

    private static List<Integer> dedupe(List<Integer> l) {
        return l == null ? List.of() : List.copyOf(new LinkedHashSet<>(l));
    }
}
