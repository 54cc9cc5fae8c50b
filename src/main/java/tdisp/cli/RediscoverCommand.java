package tdisp.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.Exploration;
import tdisp.explore.Explorer;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.ExploreReport;

/**
 * tdisp rediscover: the known upstream bugs, each explored twice with the same bounds,
 * once with the knob set to the buggy kernel and once fixed. Exits 1 if the explorer
 * misses a known bug; whatever the fixed runs still find is reported, not hidden.
 */
@Command(name = "rediscover", description = "Explore known upstream bugs (buggy vs fixed knob) and report whether the explorer finds each on its own.")
public final class RediscoverCommand implements Callable<Integer> {
    @CommandLine.Mixin ExploreCommand.Bounds bounds = new ExploreCommand.Bounds();
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
    public Integer call() throws Exception {
        Explorer.Config cfg = bounds.config();
        var catalog = bounds.catalog();
        PrintWriter err = spec.commandLine().getErr();
        List<Exploration.Outcome> out = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (Case c : CASES) {
            for (boolean buggy : new boolean[] {true, false}) {
                String label = c.id() + (buggy ? "-bug" : "-fixed") + (bounds.sharedDsm ? "-shared-dsm" : "");
                List<String> sets = new ArrayList<>(bounds.sets);
                sets.addAll(buggy ? c.bug() : c.fix());
                if (bounds.progressSeconds > 0) err.println("rediscover: " + label + " (" + c.strategy() + " on " + c.platform().id() + ", " + String.join(" ", sets) + ")");
                Exploration.Outcome o = bounds.withInterruptStop(() -> Exploration.run(new Exploration.Spec(label, c.strategy(), sets,
                        c.platform(), bounds.vms, bounds.layout(), bounds.preemptions, cfg), catalog, bounds.progress(err)));
                out.add(o);
                boolean found = o.run().result().violatedAt(c.invariant(), c.site());
                if (buggy && !found) missed.add(c.id() + " (" + c.invariant() + " at " + c.site() + ")");
                verdicts.add(String.format("%-32s %-6s %s at %s: %s", c.id(), buggy ? "bug" : "fixed", c.invariant(), c.site(),
                        found ? "FOUND" : o.run().result().exhausted() ? "not found (space exhausted to the bounds)" : "not found in the part searched"));
            }
        }
        ExploreCommand.write(out, bounds.out, "rediscovery", spec.commandLine().getOut());
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        for (String v : verdicts) o.println("rediscover: " + v);
        for (Exploration.Outcome x : out) o.println("rediscover: " + ExploreReport.runLine(x.run()));
        if (missed.isEmpty()) {
            o.println("rediscover: every known bug found within the bounds");
            return ExploreCommand.incomplete(out) ? ExitCodes.INCOMPLETE : ExitCodes.OK;
        }
        o.println("rediscover: MISSED " + String.join(", ", missed));
        return ExitCodes.FINDINGS;
    }
}
