package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import tdisp.output.Columns;
import tdisp.output.Csv;
import tdisp.scenario.CellDiff;
import tdisp.scenario.ScenarioResult;

/**
 * tdisp diff's outputs, from one list of changed cells: the 72-column text for a reply on
 * the list (a count per cause and platform, then each changed cell with the first step where
 * its traces part) and diff.csv (one row a cell). The command puts the setup at the head of
 * each ({@link Provenance#stamp}).
 *
 * @param base      the base strategy's name
 * @param variant   the variant's name (e.g. "iommufd-v5+vfio.last-close=unbind-first")
 * @param platforms the platform ids run, in order
 * @param scenarios how many scenarios ran on each platform
 * @param cells     how many cells ran in all (fewer than platforms x scenarios when interrupted)
 * @param changed   the cells that differ, in platform then scenario order
 */
public record DiffReport(String base, String variant, List<String> platforms, int scenarios,
        int cells, boolean interrupted, List<CellDiff> changed) {

    /** diff.csv's columns, in order; each row is written from this list. */
    public static final List<String> HEADER = List.of(
            "platform", "scenario", "cause", "base", "variant", "base_verdict", "variant_verdict",
            "base_violated", "variant_violated", "cleared", "introduced", "base_first_violation",
            "variant_first_violation", "diverge_step", "base_steps_traced", "variant_steps_traced",
            "base_event", "variant_event", "diverge_delta_ns", "base_modeled_ns", "variant_modeled_ns",
            "modeled_delta_ns", "counter_changes");

    public DiffReport {
        platforms = List.copyOf(platforms);
        changed = List.copyOf(changed);
    }

    /** True when some cell breaks an invariant the base held there. */
    public boolean regresses() {
        return changed.stream().anyMatch(c -> c.cause() == CellDiff.Cause.INTRODUCED);
    }

    public String csv() {
        List<List<Object>> rows = new ArrayList<>();
        for (CellDiff c : changed) {
            ScenarioResult b = c.base();
            ScenarioResult v = c.variant();
            CellDiff.Divergence d = c.divergence();
            List<Object> row = List.of(b.platform(), b.scenario(), c.cause().token(), base, variant,
                    b.verdict().token(), v.verdict().token(), String.join(";", b.violated()),
                    String.join(";", v.violated()), String.join(";", c.cleared()), String.join(";", c.introduced()),
                    b.firstViolation(), v.firstViolation(),
                    d == null ? "" : d.step(), d == null ? "" : d.baseSteps(), d == null ? "" : d.variantSteps(),
                    d == null || d.baseEvent() == null ? "" : d.baseEvent(),
                    d == null || d.variantEvent() == null ? "" : d.variantEvent(),
                    d == null ? "" : d.deltaNs(), b.counters().modeledNs(), v.counters().modeledNs(),
                    c.modeledDeltaNs(), String.join(";", c.counterChanges()));
            if (row.size() != HEADER.size()) throw new IllegalStateException("diff.csv row has " + row.size() + " fields");
            rows.add(row);
        }
        return Csv.render(HEADER, rows);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        if (interrupted) {
            sb.append(String.format("INTERRUPTED: %d of %d cells ran; the rest are not compared%n%n",
                    cells, platforms.size() * scenarios));
        }
        sb.append(Columns.wrapLine("tdisp diff: " + base + " -> " + variant, "    ")).append('\n');
        if (changed.isEmpty()) {
            sb.append(String.format("no differences in %s (%s x %s)%n",
                    plural(cells, "cell"), plural(platforms.size(), "platform"), plural(scenarios, "scenario")));
            return sb.toString();
        }
        sb.append(String.format("%d of %d cells differ (%s x %s)%n",
                changed.size(), cells, plural(platforms.size(), "platform"), plural(scenarios, "scenario")));
        summary(sb);
        for (CellDiff.Cause cause : CellDiff.Cause.values()) {
            List<CellDiff> group = changed.stream().filter(c -> c.cause() == cause).toList();
            if (group.isEmpty()) continue;
            sb.append('\n').append(cause.title()).append(": ").append(group.size())
                    .append(group.size() == 1 ? " cell" : " cells").append('\n');
            if (cause == CellDiff.Cause.TRACE) {
                // Same verdict and counters: the change moved steps and nothing else. Named, not
                // detailed (diff.csv has each one's divergence).
                sb.append("  same verdict and counters, steps reordered (diff.csv has where):\n");
                for (String p : platforms) {
                    List<String> names = group.stream().filter(c -> c.base().platform().equals(p)).map(c -> c.base().scenario()).toList();
                    if (!names.isEmpty()) sb.append(Columns.wrapLine("    " + p + ": " + String.join(", ", names), "      ")).append('\n');
                }
                continue;
            }
            cells(sb, group);
        }
        sb.append('\n').append(LEGEND);
        return sb.toString();
    }

    private static final String LEGEND = Columns.wrap(
            "- base, + variant: the event at the first step where the traces part\n"
            + "(thread, then the call as `tdisp trace` prints it); modeled times are\n"
            + "the cost model's, not measurements.\n");

    private static final int CAUSE = 24;
    private static final int COL = 12;

    /** Cells per cause and platform: the shape of the change before its detail. */
    private void summary(StringBuilder sb) {
        List<List<String>> cols = new ArrayList<>();
        for (int from = 0; from < platforms.size(); from += 4) cols.add(platforms.subList(from, Math.min(platforms.size(), from + 4)));
        for (List<String> block : cols) {
            sb.append('\n').append(pad("cells by cause", CAUSE));
            for (String p : block) sb.append(lpad(p, COL));
            sb.append('\n');
            for (CellDiff.Cause cause : CellDiff.Cause.values()) {
                if (changed.stream().noneMatch(c -> c.cause() == cause)) continue;
                sb.append(pad(cause.title(), CAUSE));
                for (String p : block) {
                    long n = changed.stream().filter(c -> c.cause() == cause && c.base().platform().equals(p)).count();
                    sb.append(lpad(n == 0 ? "." : Long.toString(n), COL));
                }
                sb.append('\n');
            }
        }
    }

    /**
     * What a cell's change looks like apart from where it happened: cells with the same
     * verdicts, diverging events, deltas and counter changes are one block, each cell named
     * on its own line with the step where its traces part.
     */
    private record Shape(String verdicts, String firstViolations, String baseEvent, String variantEvent,
            Long atStepNs, long totalNs, String totalPercent, List<String> counters) {
        static Shape of(CellDiff c) {
            ScenarioResult b = c.base();
            ScenarioResult v = c.variant();
            String verdicts = verdict(b).equals(verdict(v)) ? verdict(b) + " unchanged" : verdict(b) + " -> " + verdict(v);
            if (!c.cleared().isEmpty()) verdicts += ", clears " + String.join(",", c.cleared());
            if (!c.introduced().isEmpty()) verdicts += ", breaks " + String.join(",", c.introduced());
            CellDiff.Divergence d = c.divergence();
            return new Shape(verdicts,
                    c.cause() == CellDiff.Cause.FIRST_MOVED ? b.firstViolation() + "\n" + v.firstViolation() : "",
                    d == null ? null : Objects.requireNonNullElse(d.baseEvent(), "(trace ends)"),
                    d == null ? null : Objects.requireNonNullElse(d.variantEvent(), "(trace ends)"),
                    d == null ? null : d.deltaNs(), c.modeledDeltaNs(), percent(b.counters().modeledNs(), c.modeledDeltaNs()),
                    c.counterChanges());
        }
    }

    private static void cells(StringBuilder sb, List<CellDiff> group) {
        Map<Shape, List<CellDiff>> blocks = new LinkedHashMap<>();
        for (CellDiff c : group) blocks.computeIfAbsent(Shape.of(c), k -> new ArrayList<>()).add(c);
        for (Map.Entry<Shape, List<CellDiff>> e : blocks.entrySet()) {
            Shape s = e.getKey();
            List<CellDiff> cells = e.getValue();
            sb.append(Columns.wrapLine("  " + s.verdicts() + " (" + cells.size() + (cells.size() == 1 ? " cell" : " cells")
                    + ")", "      ")).append('\n');
            for (CellDiff c : cells) {
                String name = "    " + c.base().platform() + " " + c.base().scenario();
                String step = c.divergence() == null ? "traces equal" : "step " + c.divergence().step();
                sb.append(name.length() + step.length() + 1 > Columns.WIDTH ? name + "\n" + lpad(step, Columns.WIDTH)
                        : name + lpad(step, Columns.WIDTH - name.length())).append('\n');
            }
            if (!s.firstViolations().isEmpty()) {
                String[] fv = s.firstViolations().split("\n", 2);
                sb.append(Columns.wrapLine("    first violation was " + fv[0], "        ")).append('\n');
                sb.append(Columns.wrapLine("    first violation now " + fv[1], "        ")).append('\n');
            }
            if (s.baseEvent() != null) {
                sb.append("    where the traces part:\n");
                sb.append(Columns.wrapLine("    - " + s.baseEvent(), EVENT_CONT)).append('\n');
                sb.append(Columns.wrapLine("    + " + s.variantEvent(), EVENT_CONT)).append('\n');
            }
            String time = "    modeled: " + (s.atStepNs() == null ? "" : us(s.atStepNs()) + " at that step, ")
                    + us(s.totalNs()) + " (" + s.totalPercent() + ") in all";
            sb.append(Columns.wrapLine(time, "        ")).append('\n');
            if (!s.counters().isEmpty()) sb.append(Columns.wrapLine("    " + String.join(", ", s.counters()), "        ")).append('\n');
        }
    }

    /** Under the call, past "- [thread ] ". */
    private static final String EVENT_CONT = " ".repeat(18);

    private static String verdict(ScenarioResult r) {
        return switch (r.verdict()) {
            case PASS -> "pass";
            case NOT_APPLICABLE -> "n/a";
            case NOT_REACHED -> "not reached";
            case VIOLATION -> String.join(",", r.violated());
        };
    }

    /** mmtests' change column: the variant against the base, in percent. */
    private static String percent(long baseNs, long deltaNs) {
        if (deltaNs == 0) return "0.0%";
        if (baseNs == 0) return "new";
        double pct = 100.0 * deltaNs / baseNs;
        // a few ns on a scenario of milliseconds still shows, instead of rounding to "-0.0%"
        if (Math.abs(pct) < 0.001) return (pct < 0 ? "-" : "+") + "<0.001%";
        return String.format(Locale.ROOT, Math.abs(pct) < 0.1 ? "%+.3f%%" : "%+.1f%%", pct);
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%+.3f us", ns / 1000.0);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s.substring(0, w - 1) + " " : s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(1, w - s.length())) + s;
    }
}
