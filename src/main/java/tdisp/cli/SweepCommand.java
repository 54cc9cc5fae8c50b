package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.report.Provenance;
import tdisp.report.SweepReport;
import tdisp.strategy.Strategy;
import tdisp.sweep.BringUp;
import tdisp.sweep.Sweep;

/** {@code tdisp sweep}: contention and scale of boot-time bring-up; writes sweep.csv and sweep.txt. */
@Command(name = "sweep", description = "Simulate boot-time bring-up of N devices over M VMs per strategy and platform "
        + "(makespan, p50/p99 enablement latency) and a cost-row sensitivity sweep; write sweep.csv and sweep.txt.")
final class SweepCommand implements Callable<Integer>, Validated {
    @Spec CommandSpec spec;

    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin Targets targets = new Targets();
    @Mixin SeedOption seed = new SeedOption();
    @Mixin CostFlags costFlags = new CostFlags();
    @Mixin OutOption out = new OutOption();
    @Mixin ProgressOptions progressOptions = new ProgressOptions();

    @Option(names = "--devices", paramLabel = "N", split = ",", defaultValue = Sweep.Builder.DEVICES_OPTION, description = "device counts to sweep, 1..4096: devices, each one TDI on its own DSM (as explore's --devices)")
    List<Integer> devices;

    @Option(names = "--vms", paramLabel = "N", split = ",", defaultValue = Sweep.Builder.VMS_OPTION, description = "VM counts; device d is in VM d mod M")
    List<Integer> vms;

    @Option(names = "--start-jitter", paramLabel = "NS", defaultValue = "" + Sweep.Builder.START_JITTER_NS, description = "each device probes at a seeded time in [0, NS]")
    long startJitter;

    @Option(names = "--doe-under-fw-lock",
            description = "queue a DOE exchange on the global firmware lock when the trace shows it held (default: DOE time is per device)")
    boolean doeUnderFwLock;

    @Option(names = "--sensitivity-devices", paramLabel = "N", defaultValue = "" + Sweep.Builder.SENSITIVITY_DEVICES, description = "devices at the sensitivity point")
    int sensitivityDevices;

    @Option(names = "--sensitivity-vms", paramLabel = "N", defaultValue = "" + Sweep.Builder.SENSITIVITY_VMS, description = "VMs at the sensitivity point")
    int sensitivityVms;

    @Option(names = "--tie-ns", paramLabel = "NS", defaultValue = "" + Sweep.Builder.TIE_NS, description = "rank makespans within this many ns of each other as a tie")
    long tieNs;

    @Option(names = "--no-sensitivity", description = "skip the cost-row sensitivity sweep")
    boolean noSensitivity;

    private Sweep.Config config;

    @Override
    public void validate() { config = config(); }

    @Override
    public Integer call() throws Exception {
        Path dir = out.dir();
        AtomicFiles.checkWritable(dir);
        Progress progress = progressOptions.start(spec.commandLine().getErr(), "sweep");
        Sweep.Report r = Sweep.run(config, progress::at);
        progress.finish();
        Provenance prov = provenance(Setup.start(spec, Setup.selection(config.strategies(), config.platforms())), config);
        String txt = Columns.wrap(SweepReport.text(r));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("sweep.csv", SweepReport.csv(r));
        files.put("sweep.txt", txt);
        files = prov.stamp(files);
        AtomicFiles.commit(dir, "sweep", files);
        spec.commandLine().getOut().print(files.get("sweep.txt"));
        spec.commandLine().getErr().printf("tdisp: wrote %s (sweep.csv, sweep.txt)%n", dir);
        return ExitCodes.OK;
    }

    /** Parses and checks every option before anything runs. */
    Sweep.Config config() {
        List<Strategy> ss = targets.strategies(catalog.catalog());
        List<Platform> ps = targets.platforms();
        try {
            return Sweep.Config.builder(ss, ps).devices(dedupe(devices)).vms(dedupe(vms)).seed(seed.seed).startJitterNs(startJitter)
                    .costs(costFlags.options()).doe(doeUnderFwLock ? BringUp.DoeScope.AS_TRACED : BringUp.DoeScope.DEVICE)
                    .sensitivityDevices(sensitivityDevices).sensitivityVms(sensitivityVms).sensitivity(!noSensitivity).tieNs(tieNs).build();
        } catch (Sweep.BadSetting e) {
            // each setting is the option of the same name: bad input, not a bug
            throw new UsageException("--" + e.setting() + ": " + e.problem());
        } catch (IllegalArgumentException e) {
            if (e instanceof tdisp.cost.CostException) throw e;
            // an empty selection: bad input, not a bug
            throw new UsageException(e.getMessage());
        }
    }

    private static List<Integer> dedupe(List<Integer> l) {
        return l == null ? List.of() : List.copyOf(new LinkedHashSet<>(l));
    }

    /** sweep's provenance after {@code start} (the reproduce line): sweep takes no --set or --fault. */
    static Provenance provenance(Provenance.Builder start, Sweep.Config config) {
        return Setup.costs(Setup.run(start, config.seed(), config.strategies(), config.platforms(), List.of()), config.costs()).build();
    }
}
