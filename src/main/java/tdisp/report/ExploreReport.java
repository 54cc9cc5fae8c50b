package tdisp.report;

import tdisp.explore.RunInfo;
import tdisp.explore.ExplorerConfig;
import tdisp.explore.ExplorerResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.explore.ActionFilter;
import tdisp.explore.Counterexample;
import tdisp.explore.Exploration.Run;
import tdisp.explore.Explorer;
import tdisp.world.Invariants;

/**
 * explore.csv and its text summary: one row per exploration (strategy x platform x knob
 * set), with the bounds, what was searched, and per invariant whether and how short a
 * counterexample was found. Nothing time-dependent goes in: a run bounded by depth or
 * state count writes the same bytes every time.
 */
public final class ExploreReport {
    private ExploreReport() {}

    static final List<String> INVARIANTS = Invariants.ids();

    /**
     * One explore.csv (or rediscovery.csv) record as written and read back: the bounds, what
     * was searched, per invariant "violated:N", "none" or "none-partial" (in header order),
     * and the goal. Fields that are a number or "none" keep their CSV text.
     */
    public record Line(String run, String strategy, String platform, String knobs, long vms, long devices, String mode, long depthBound,
                       String preemptionBound, String timeBound, String stateBound, long seed, long generated, long distinct,
                       long depthReached, long depthExhausted, String stop, String exhausted, long frontierAtBound, String fingerprints,
                       String collisionOptimistic, String por, long slept, String reduction, Map<String, String> invariants, String goal,
                       String actionCoverage) {
        public Line {
            invariants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(invariants));
        }

        public static Line of(Run r) {
            ExplorerResult x = r.result();
            ExplorerConfig c = x.config();
            Map<String, String> inv = new LinkedHashMap<>();
            for (String i : INVARIANTS) inv.put(i, verdict(x, i));
            return new Line(r.label(), r.strategy(), r.platform(), r.knobs(), r.vms(), r.vms(), c.mode().name().toLowerCase(Locale.ROOT),
                    c.maxDepth(), r.preemptions() < 0 ? "none" : String.valueOf(r.preemptions()),
                    c.timeMillis() <= 0 ? "none" : String.valueOf(c.timeMillis() / 1000.0),
                    c.maxStates() == Long.MAX_VALUE ? "none" : String.valueOf(c.maxStates()), c.seed(), x.generated(), x.distinct(),
                    x.depthReached(), x.depthExhausted(), x.stop().name().toLowerCase(Locale.ROOT), x.exhausted() ? "yes" : "no",
                    x.frontierAtBound(), x.fingerprints() ? "64-bit" : "exact", String.format(Locale.ROOT, "%.1e", x.collisionOptimistic()),
                    porName(x), x.slept(), String.format(Locale.ROOT, "%.3f", x.reduction()), inv,
                    r.goal() == null ? "not reached" : "reached:" + r.goal().size(), x.coveredCount() + "/" + x.covered().length);
        }
    }

    /** The columns before the invariants', declared once. */
    private static final List<Column<Line>> HEAD = List.of(
            Column.csv("run", Line::run), Column.csv("strategy", Line::strategy), Column.csv("platform", Line::platform),
            Column.csv("knobs", Line::knobs), Column.csv("vms", Line::vms), Column.csv("devices", Line::devices), Column.csv("mode", Line::mode),
            Column.csv("depth_bound", Line::depthBound), Column.csv("preemption_bound", Line::preemptionBound),
            Column.csv("time_bound_s", Line::timeBound), Column.csv("state_bound", Line::stateBound), Column.csv("seed", Line::seed),
            Column.csv("generated", Line::generated), Column.csv("distinct", Line::distinct), Column.csv("depth_reached", Line::depthReached),
            Column.csv("depth_exhausted", Line::depthExhausted), Column.csv("stop", Line::stop), Column.csv("exhausted", Line::exhausted),
            Column.csv("frontier_at_bound", Line::frontierAtBound), Column.csv("fingerprints", Line::fingerprints),
            Column.csv("collision_optimistic", Line::collisionOptimistic), Column.csv("por", Line::por),
            Column.csv("transitions_slept", Line::slept), Column.csv("reduction", Line::reduction));

    /** explore.csv's columns: the head, one per invariant of the catalogue, the goal and the coverage. */
    public static final List<Column<Line>> COLUMNS = columns();

    private static List<Column<Line>> columns() {
        List<Column<Line>> cols = new ArrayList<>(HEAD);
        for (String inv : INVARIANTS) cols.add(Column.csv(inv, l -> l.invariants().getOrDefault(inv, "")));
        cols.add(Column.csv("goal", Line::goal));
        cols.add(Column.csv("action_coverage", Line::actionCoverage));
        return List.copyOf(cols);
    }

    /** explore.csv and rediscovery.csv, written and read through {@link #COLUMNS}; a file's invariant columns are the ones in its header. */
    public static final CsvTable<Line> TABLE = new CsvTable<>(COLUMNS, ExploreReport::read, List.of("run"));

    private static Line read(CsvTable.Fields f) {
        Map<String, String> inv = new LinkedHashMap<>();
        for (String h : f.header()) if (h.matches("I[0-9]+") && INVARIANTS.contains(h)) inv.put(h, f.text(h));
        return new Line(f.text("run"), f.text("strategy"), f.text("platform"), f.text("knobs"), f.count("vms"), f.count("devices"),
                f.text("mode"), f.count("depth_bound"), f.text("preemption_bound"), f.text("time_bound_s"), f.text("state_bound"),
                f.count("seed"), f.count("generated"), f.count("distinct"), f.count("depth_reached"), f.count("depth_exhausted"),
                f.text("stop"), f.text("exhausted"), f.count("frontier_at_bound"), f.text("fingerprints"), f.text("collision_optimistic"),
                f.text("por"), f.count("transitions_slept"), f.text("reduction"), inv, f.text("goal"), f.text("action_coverage"));
    }

    public static List<Line> lines(List<Run> runs) { return runs.stream().map(Line::of).toList(); }

    public static String csv(List<Run> runs) { return TABLE.render(lines(runs)); }

    /** Whether sleep sets pruned: "sleep-sets", or "off" (asked for, or a mode other than bfs). */
    static String porName(ExplorerResult x) {
        return x.config().por() && x.config().mode() == Explorer.Mode.BFS ? "sleep-sets" : "off";
    }

    /** The reduction line of the text report. */
    static String reductionText(ExplorerResult x) {
        if (porName(x).equals("off")) return "   partial-order reduction off: every enabled transition executed\n";
        return String.format(Locale.ROOT, "   partial-order reduction (sleep sets): %,d transitions executed, %,d more skipped as commuting;"
                + " the full search executes %.2fx as many for the same %,d states%n", x.generated(), x.slept(), x.reduction(), x.distinct());
    }

    /** violated:N (shortest counterexample length), none (exhausted to the bounds), or none-partial. */
    static String verdict(ExplorerResult x, String inv) {
        Counterexample ce = x.shortest(inv);
        if (ce != null) return "violated:" + ce.length();
        return x.exhausted() ? "none" : "none-partial";
    }

    /** A text summary in TLC's spirit, for the terminal and an LKML reply. */
    public static String text(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            ExplorerResult x = r.result();
            ExplorerConfig c = x.config();
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
            if (!r.actions().all()) {
                // A narrower question than the whole alphabet: say so before any count.
                sb.append(String.format(Locale.ROOT, "   actions: %s (%d of %d startable actions; a started one always continues);"
                        + " what is not found here is only not found within them%n", r.actions().shown(),
                        r.actions().allowedCount(r.actionNames()), ActionFilter.ALL.allowedCount(r.actionNames())));
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
                Counterexample ce = e.getValue();
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
            ExplorerResult x = r.result();
            RunInfo i = x.runInfo();
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
            if (!r.actions().all()) sb.insert(sb.length() - 1, " actions=" + r.actions().shown().replace(' ', '_'));
        }
        return sb.toString();
    }

    /** Heap in use after a collection, per distinct state (-1 when not measured). */
    static double bytesPerState(ExplorerResult x) {
        long h = x.runInfo().heapAfterGcBytes();
        return h < 0 ? -1 : (double) h / Math.max(1, x.distinct());
    }

    /**
     * One line per run: states, depth exhausted, why it stopped, the reduction. The same on
     * every machine and thread count; heap per state, threads and wall time are the
     * run-info sidecar's.
     */
    public static String runLine(Run r) {
        ExplorerResult x = r.result();
        return String.format(Locale.ROOT, "%s: %,d distinct, exhausted to depth %d, stopped by %s, reduction %.2fx",
                r.label(), x.distinct(), x.depthExhausted(), stopText(x.stop()), x.reduction());
    }
}
