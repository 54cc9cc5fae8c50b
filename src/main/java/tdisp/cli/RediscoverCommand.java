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
import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.ExploreReport;

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

    private final List<String> porChecks = new ArrayList<>();

    /** The same run without reduction: same states, same violations, or a mismatch line. */
    private String checkAgainstFull(Exploration.Outcome reduced, Case c, List<String> sets) {
        Exploration.Outcome full = Exploration.run(new Exploration.Spec(reduced.run().label(), c.strategy(), sets, c.platform(), bounds.vms,
                bounds.layout(), bounds.preemptions, bounds.config(0).withPor(false)), bounds.catalog.catalog(), null);
        var r = reduced.run().result();
        var f = full.run().result();
        boolean same = r.distinct() == f.distinct() && r.violationSites().equals(f.violationSites())
                && (r.goal() == null ? -1 : r.goal().size()) == (f.goal() == null ? -1 : f.goal().size());
        if (!r.exhausted() || !f.exhausted()) {
            return String.format("POR unchecked (a run was not exhausted): %s", reduced.run().label());
        }
        return same
                ? String.format(java.util.Locale.ROOT, "reduced = full: %s, %,d states, %d violation sites, %,d transitions against %,d (%.2fx)",
                        reduced.run().label(), r.distinct(), r.violationSites().size(), r.generated(), f.generated(), (double) f.generated() / Math.max(1, r.generated()))
                : String.format("POR MISMATCH %s: reduced %,d states %s, full %,d states %s", reduced.run().label(), r.distinct(), r.violationSites(),
                        f.distinct(), f.violationSites());
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
        List<String> verdicts = new ArrayList<>();
        porChecks.clear();
        for (Case c : CASES) {
            for (boolean buggy : new boolean[] {true, false}) {
                if (Interrupt.requested()) break;
                String label = c.id() + (buggy ? "-bug" : "-fixed") + (bounds.sharedDsm ? "-shared-dsm" : "");
                List<String> sets = new ArrayList<>(bounds.sets.sets);
                sets.addAll(buggy ? c.bug() : c.fix());
                progress.begin(label + " (" + c.strategy() + " on " + c.platform().id() + ", " + String.join(" ", sets) + ")");
                Exploration.Outcome o = Exploration.run(new Exploration.Spec(label, c.strategy(), sets, c.platform(), bounds.vms,
                        bounds.layout(), bounds.preemptions, bounds.config(progress.intervalMillis())), catalog, ExploreCommand.Bounds.listener(progress.sink()));
                progress.step();
                out.add(o);
                if (checkPor) porChecks.add(checkAgainstFull(o, c, sets));
                boolean found = o.run().result().violatedAt(c.invariant(), c.site());
                if (buggy && !found) missed.add(c.id() + " (" + c.invariant() + " at " + c.site() + ")");
                // The verdict first, so that it stays on the prefixed line when the 72-column wrap splits it.
                verdicts.add(String.format("%s: %s %s, %s at %s",
                        found ? "FOUND" : o.run().result().exhausted() ? "absent (exhausted)" : "absent (partial)",
                        c.id(), buggy ? "bug" : "fixed", c.invariant(), c.site()));
            }
        }
        progress.finish();
        int rc = ExploreCommand.write(out, dir, "rediscovery", spec);
        PrintWriter o = spec.commandLine().getOut();
        StringBuilder sb = new StringBuilder("\n");
        for (String v : verdicts) sb.append("rediscover: ").append(v).append('\n');
        for (Exploration.Outcome x : out) sb.append("rediscover: ").append(ExploreReport.runLine(x.run())).append('\n');
        boolean porMismatch = false;
        for (String p : porChecks) {
            sb.append("rediscover: ").append(p).append('\n');
            porMismatch |= p.startsWith("POR MISMATCH");
        }
        if (porMismatch) {
            sb.append("rediscover: the reduced search differs from the full one\n");
            o.print(Columns.wrap(sb.toString()));
            return ExitCodes.NO;
        }
        if (out.size() < CASES.size() * 2) {
            sb.append("rediscover: INTERRUPTED after ").append(out.size()).append(" of ").append(CASES.size() * 2).append(" runs\n");
            o.print(Columns.wrap(sb.toString()));
            return ExitCodes.INCOMPLETE;
        }
        if (missed.isEmpty()) {
            sb.append(rc == ExitCodes.INCOMPLETE
                    ? "rediscover: every known bug found; INCOMPLETE: a run stopped on --time or --max-states before its bounds were exhausted\n"
                    : "rediscover: every known bug found within the bounds\n");
            o.print(Columns.wrap(sb.toString()));
            return rc;
        }
        sb.append("rediscover: MISSED ").append(String.join(", ", missed)).append('\n');
        o.print(Columns.wrap(sb.toString()));
        return rc == ExitCodes.INCOMPLETE ? rc : ExitCodes.NO;
    }
}
