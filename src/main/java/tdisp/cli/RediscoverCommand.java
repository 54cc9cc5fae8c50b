package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.Exploration;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.RediscoveryReport;

/**
 * tdisp rediscover: the known upstream bugs, each explored twice with the same bounds,
 * once with the knob set to the buggy kernel and once fixed. Exits 1 if the explorer
 * misses a known bug; whatever the fixed runs still find is reported, not hidden.
 */
@Command(name = "rediscover", description = "Explore known upstream bugs (buggy vs fixed knob) and report whether the explorer finds each on its own.")
public final class RediscoverCommand implements Callable<Integer>, Validated {
    @CommandLine.Mixin ExploreCommand.Bounds bounds = new ExploreCommand.Bounds();

    @CommandLine.Option(names = "--check-por", description = "also run every case without partial-order reduction and check that "
            + "both report the same states and violations (invariant, breaking step, shortest length); exit 1 if not")
    boolean checkPor;
    @Spec CommandSpec spec;

    /** A known bug: where, which knobs make the kernel buggy or fixed, and the invariant it breaks. */
    public record Case(String id, String strategy, Platform platform, List<String> bug, List<String> fix, String invariant, String site, String what) {}

    public static final List<Case> CASES = List.of(
            new Case("iommufd-legacy-destroy-order", "iommufd-v5", Platforms.get("sev-tio"),
                    List.of("iommufd.destroy-order=legacy", "vfio.last-close=unbind-first"),
                    List.of("iommufd.destroy-order=vdevice-first", "vfio.last-close=unbind-first"), "I1", "pci_clear_master",
                    "pre-6.17 iommufd: the idevice dies under a live vDEVICE, so VFIO's close disables a still-bound TDI"),
            new Case("vfio-close-device-first", "iommufd-v5", Platforms.get("sev-tio"),
                    List.of("vfio.last-close=close-device-first"), List.of("vfio.last-close=unbind-first"), "I1", "pci_clear_master",
                    "vfio_df_device_last_close() runs close_device (BME=MSE=0, FLR) before the TSM unbind"),
            new Case("tdx-zap-while-bound", "vfio-ioctl", Platforms.get("tdx-connect"),
                    List.of("vfio.on-host-event=none"), List.of("vfio.on-host-event=unbind-first"), "I2", "tdx_sept_drop_private_spte",
                    "VFIO zaps private MMIO of a bound TDX TDI: TDH.MMIO.UNMAP refused"));

    @Override
    public void validate() {
        for (Case c : CASES) {
            for (List<String> knobs : List.of(c.bug(), c.fix())) {
                List<String> sets = new ArrayList<>(bounds.sets.sets);
                sets.addAll(knobs);
                bounds.catalog.catalog().get(c.strategy()).withOverrides(sets);
            }
        }
    }

    /** The same run without reduction, for --check-por. */
    private RediscoveryReport.PorCheck checkAgainstFull(Exploration.Outcome reduced, Exploration.Spec spec) {
        Exploration.Outcome full = Exploration.run(spec.withConfig(bounds.config(0).withPor(false)), bounds.catalog.catalog(), null, Interrupt.CANCEL);
        return RediscoveryReport.PorCheck.of(reduced.run(), full.run());
    }

    @Override
    public Integer call() throws Exception {
        Path dir = bounds.out.dir();
        AtomicFiles.checkWritable(dir);
        var catalog = bounds.catalog.catalog();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = bounds.progress.start(err, "rediscover");
        progress.total(CASES.size() * 2L);
        Interrupt.interruptible();
        List<Exploration.Outcome> out = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        List<RediscoveryReport.Verdict> verdicts = new ArrayList<>();
        List<RediscoveryReport.PorCheck> porChecks = new ArrayList<>();
        for (Case c : CASES) {
            for (boolean buggy : new boolean[] {true, false}) {
                if (Interrupt.requested()) break;
                String label = c.id() + (buggy ? "-bug" : "-fixed") + (bounds.sharedDsm ? "-shared-dsm" : "");
                List<String> sets = new ArrayList<>(bounds.sets.sets);
                sets.addAll(buggy ? c.bug() : c.fix());
                progress.begin(label + " (" + c.strategy() + " on " + c.platform().id() + ", " + String.join(" ", sets) + ")");
                Exploration.Spec run = new Exploration.Spec(label, c.strategy(), sets, c.platform(), bounds.vms,
                        bounds.layout(), bounds.preemptions, bounds.config(progress.intervalMillis()));
                Exploration.Outcome o = Exploration.run(run, catalog, ExploreCommand.Bounds.listener(progress.sink()), Interrupt.CANCEL);
                progress.step();
                out.add(o);
                if (checkPor) porChecks.add(checkAgainstFull(o, run));
                boolean found = o.run().result().violatedAt(c.invariant(), c.site());
                if (buggy && !found) missed.add(c.id() + " (" + c.invariant() + " at " + c.site() + ")");
                verdicts.add(new RediscoveryReport.Verdict(c.id(), buggy, found, o.run().result().exhausted(), c.invariant(), c.site()));
            }
        }
        progress.finish();
        List<Exploration.Run> runs = out.stream().map(Exploration.Outcome::run).toList();
        boolean incomplete = ExploreCommand.incomplete(runs);
        RediscoveryReport.Ending ending = porChecks.stream().anyMatch(RediscoveryReport.PorCheck::mismatch) ? RediscoveryReport.Ending.POR_MISMATCH
                : out.size() < CASES.size() * 2 ? RediscoveryReport.Ending.INTERRUPTED
                : !missed.isEmpty() ? RediscoveryReport.Ending.MISSED
                : incomplete ? RediscoveryReport.Ending.FOUND_ALL_INCOMPLETE : RediscoveryReport.Ending.FOUND_ALL;
        String summary = RediscoveryReport.text(verdicts, runs, porChecks, ending, missed, CASES.size() * 2);
        // write() prints rediscovery.txt, which opens with the summary: stdout is the file.
        int rc = ExploreCommand.write(out, dir, "rediscovery", spec, summary);
        return switch (ending) {
            case POR_MISMATCH -> ExitCodes.NO;
            case INTERRUPTED -> ExitCodes.INCOMPLETE;
            case FOUND_ALL, FOUND_ALL_INCOMPLETE -> rc;
            case MISSED -> rc == ExitCodes.INCOMPLETE ? rc : ExitCodes.NO;
        };
    }
}
