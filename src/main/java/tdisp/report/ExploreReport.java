package tdisp.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import tdisp.explore.Exploration.Run;
import tdisp.explore.Explorer;
import tdisp.output.Csv;
import tdisp.world.Invariants;

/**
 * explore.csv and its text summary: one row per exploration (strategy x platform x knob
 * set), with the bounds, what was searched, and per invariant whether and how short a
 * counterexample was found. Nothing time-dependent goes in: a run bounded by depth or
 * state count writes the same bytes every time.
 */
public final class ExploreReport {
    private ExploreReport() {}

    static final List<String> INVARIANTS = Invariants.CATALOGUE.stream().map(a -> a[0]).toList();

    public static String csv(List<Run> runs) {
        List<String> header = new ArrayList<>(List.of("run", "strategy", "platform", "knobs", "vms", "devices", "mode",
                "depth_bound", "preemption_bound", "time_bound_s", "state_bound", "seed", "generated", "distinct",
                "depth_reached", "depth_exhausted", "stop", "exhausted", "frontier_at_bound", "fingerprints", "collision_optimistic",
                "por", "transitions_slept", "reduction"));
        header.addAll(INVARIANTS);
        header.addAll(List.of("goal", "action_coverage"));
        StringWriter sw = new StringWriter();
        CSVFormat fmt = Csv.FORMAT.builder().setHeader(header.toArray(new String[0])).build();
        try (CSVPrinter p = new CSVPrinter(sw, fmt)) {
            for (Run r : runs) {
                Explorer.Result x = r.result();
                Explorer.Config c = x.config();
                List<Object> row = new ArrayList<>(List.of(r.label(), r.strategy(), r.platform(), r.knobs(), r.vms(), r.vms(),
                        c.mode().name().toLowerCase(Locale.ROOT), c.maxDepth(), r.preemptions() < 0 ? "none" : r.preemptions(),
                        c.timeMillis() <= 0 ? "none" : c.timeMillis() / 1000.0, c.maxStates() == Long.MAX_VALUE ? "none" : c.maxStates(),
                        c.seed(), x.generated(), x.distinct(), x.depthReached(), x.depthExhausted(), x.stop().name().toLowerCase(Locale.ROOT),
                        x.exhausted() ? "yes" : "no", x.frontierAtBound(), x.fingerprints() ? "64-bit" : "exact",
                        String.format(Locale.ROOT, "%.1e", x.collisionOptimistic()), porName(x), x.slept(),
                        String.format(Locale.ROOT, "%.3f", x.reduction())));
                for (String inv : INVARIANTS) row.add(verdict(x, inv));
                row.add(r.goal() == null ? "not reached" : "reached:" + r.goal().size());
                row.add(x.coveredCount() + "/" + x.covered().length);
                p.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Whether sleep sets pruned: "sleep-sets", or "off" (asked for, or a mode other than bfs). */
    static String porName(Explorer.Result x) {
        return x.config().por() && x.config().mode() == Explorer.Mode.BFS ? "sleep-sets" : "off";
    }

    /** The reduction line of the text report. */
    static String reductionText(Explorer.Result x) {
        if (porName(x).equals("off")) return "   partial-order reduction off: every enabled transition executed\n";
        return String.format(Locale.ROOT, "   partial-order reduction (sleep sets): %,d transitions executed, %,d more skipped as commuting;"
                + " the full search executes %.2fx as many for the same %,d states%n", x.generated(), x.slept(), x.reduction(), x.distinct());
    }

    /** violated:N (shortest counterexample length), none (exhausted to the bounds), or none-partial. */
    static String verdict(Explorer.Result x, String inv) {
        Explorer.Counterexample ce = x.shortest(inv);
        if (ce != null) return "violated:" + ce.length();
        return x.exhausted() ? "none" : "none-partial";
    }

    /** A text summary in TLC's spirit, for the terminal and an LKML reply. */
    public static String text(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            Explorer.Result x = r.result();
            Explorer.Config c = x.config();
            sb.append(String.format(Locale.ROOT, "== %s: %s on %s, %d VMs x %d devices, %s, depth <= %d, preemptions <= %s, seed %d%n",
                    r.label(), r.strategy(), r.platform(), r.vms(), r.vms(), c.mode().name().toLowerCase(Locale.ROOT), c.maxDepth(),
                    r.preemptions() < 0 ? "unbounded" : String.valueOf(r.preemptions()), c.seed()));
            sb.append("   knobs ").append(r.knobs()).append('\n');
            if (!r.start().cleanBoot()) {
                // The prefix once: every path below (and its depth) starts where it ends.
                sb.append(String.format(Locale.ROOT, "   search starts at --start %s, %d actions from the clean boot; depth and every path below count from there:%n",
                        r.start().shown(), r.start().actions().size()));
                for (String a : r.start().actions()) sb.append("         ").append(a).append('\n');
            }
            sb.append(String.format(Locale.ROOT, "   %,d states generated, %,d distinct, depth %d; stopped by %s%s%n",
                    x.generated(), x.distinct(), x.depthReached(), stopText(x.stop()),
                    x.exhausted() ? (x.frontierAtBound() == 0 ? " (state space complete)" : String.format(Locale.ROOT,
                            " (exhausted to the depth bound; %,d states at the bound not expanded)", x.frontierAtBound()))
                            : String.format(Locale.ROOT, " (NOT exhausted: every state within %d actions checked; %,d states left unexpanded)",
                            x.depthExhausted(), x.frontierAtBound())));
            sb.append(reductionText(x));
            if (x.fingerprints()) {
                sb.append(String.format(Locale.ROOT, "   64-bit fingerprints past the exact limit; collision probability: calculated (optimistic) %.1e, based on the actual fingerprints %.1e%n",
                        x.collisionOptimistic(), x.collisionActual()));
            } else {
                sb.append("   every state kept whole: no fingerprint collision possible\n");
            }
            for (var e : x.counterexamples().entrySet()) {
                Explorer.Counterexample ce = e.getValue();
                sb.append(String.format(Locale.ROOT, "   %-3s VIOLATED, shortest %d actions: %s%n", ce.invariant(), ce.length(), ce.detail()));
                List<String> rests = r.restsOn(e.getKey());
                if (!rests.isEmpty()) sb.append("       [assumption] rests on ").append(String.join(", ", rests)).append('\n');
                for (int a : ce.actions()) sb.append("         ").append(r.actionNames().get(a)).append('\n');
            }
            List<String> clean = INVARIANTS.stream().filter(i -> x.shortest(i) == null).toList();
            if (!clean.isEmpty()) sb.append("   no violation found of ").append(String.join(" ", clean))
                    .append(x.exhausted() ? " within the bounds\n" : " in the part searched\n");
            sb.append("   goal (secure DMA with the TDI in RUN): ")
                    .append(r.goal() == null ? "NOT reached" : "reached in " + r.goal().size() + " actions");
            if (r.goal() != null) for (int a : r.goal()) sb.append("\n         ").append(r.actionNames().get(a));
            sb.append('\n');
            List<String> never = new ArrayList<>();
            for (int a = 0; a < x.covered().length; a++) if (!x.covered()[a]) never.add(r.actionNames().get(a));
            sb.append(String.format(Locale.ROOT, "   action coverage %d/%d%s%n", x.coveredCount(), x.covered().length,
                    never.isEmpty() ? "" : "; never enabled: " + String.join(", ", never)));
        }
        return sb.toString();
    }

    static String stopText(Explorer.Stop s) {
        return switch (s) {
            case COMPLETE -> "running out of states";
            case DEPTH -> "the depth bound";
            case STATES -> "the state bound";
            case TRANSITIONS -> "the transition bound";
            case TIME -> "the time bound";
            case WALKS -> "the walk count";
            case MEMORY -> "the memory budget";
            case INTERRUPTED -> "an interrupt (INTERRUPTED: partial result)";
        };
    }

    /**
     * The run-info sidecar: per run, what this machine made of it (threads, wall time,
     * memory). Kept apart from the csv and text so that those stay byte-identical.
     */
    public static String runInfo(List<Run> runs) {
        StringBuilder sb = new StringBuilder("# tdisp explore run-info: machine-dependent figures, never compared; one line per run\n");
        sb.append("# run threads wall_s cpu_s distinct distinct_per_s distinct_per_cpu_s depth_exhausted stop heap_after_gc_bytes heap_bytes_per_state"
                + " structure_bytes off_heap_bytes memory_budget_bytes cores max_heap_bytes por generated slept reduction\n");
        for (Run r : runs) {
            Explorer.Result x = r.result();
            Explorer.RunInfo i = x.runInfo();
            double secs = i.elapsedNanos() / 1e9;
            sb.append(String.format(Locale.ROOT, "%s threads=%d wall_s=%.2f cpu_s=%.2f distinct=%d distinct_per_s=%.0f distinct_per_cpu_s=%.0f depth_exhausted=%d stop=%s"
                            + " heap_after_gc_bytes=%d heap_bytes_per_state=%.1f structure_bytes=%d off_heap_bytes=%d memory_budget_bytes=%d"
                            + " cores=%d max_heap_bytes=%d por=%s generated=%d slept=%d reduction=%.3f%n",
                    r.label(), i.threads(), secs, i.cpuNanos() / 1e9, x.distinct(), x.distinct() / Math.max(1e-9, secs),
                    x.distinct() / Math.max(1e-9, i.cpuNanos() / 1e9), x.depthExhausted(),
                    x.stop().name().toLowerCase(Locale.ROOT), i.heapAfterGcBytes(), bytesPerState(x), i.structureBytes(), i.offHeapBytes(),
                    i.memoryBudgetBytes(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                    porName(x), x.generated(), x.slept(), x.reduction()));
            // Where the search started, only when not at the clean boot (the line's fields stay as they were).
            if (!r.start().cleanBoot()) sb.insert(sb.length() - 1, " start=" + r.start().shown().replace(' ', '_') + " start_actions=" + r.start().actions().size());
        }
        return sb.toString();
    }

    /** Heap in use after a collection, per distinct state (-1 when not measured). */
    static double bytesPerState(Explorer.Result x) {
        long h = x.runInfo().heapAfterGcBytes();
        return h < 0 ? -1 : (double) h / Math.max(1, x.distinct());
    }

    /** One line per run for the terminal: states, depth exhausted, memory per state, wall time. */
    public static String runLine(Run r) {
        Explorer.Result x = r.result();
        Explorer.RunInfo i = x.runInfo();
        return String.format(Locale.ROOT, "%s: %,d distinct, exhausted to depth %d, stopped by %s, %.0f heap bytes/state%s, %.1f s on %d threads, reduction %.2fx",
                r.label(), x.distinct(), x.depthExhausted(), stopText(x.stop()), bytesPerState(x),
                i.offHeapBytes() > 0 ? String.format(Locale.ROOT, " (+%d in the trace file)", i.offHeapBytes() / Math.max(1, x.distinct())) : "",
                i.elapsedNanos() / 1e9, i.threads(), x.reduction());
    }
}
