package tdisp.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.sweep.BringUp;
import tdisp.sweep.Sweep;

/** sweep.csv and the plain-text sweep.txt (every line at most 72 columns). */
public final class SweepReport {
    /**
     * One sweep.csv record as written and read back: a point, or one strategy's result in a
     * sensitivity run (empty costRow: the default table). Decimals stay in their CSV form.
     */
    public record Line(String kind, String strategy, String platform, int devices, int vms, long makespanNs, long p50Ns, long p99Ns,
                       String fwWaitShare, String costRow, String costValue, String ranking) {
        public static Line of(Sweep.Row r) {
            return new Line(r.kind(), r.strategy(), r.platform().id(), r.devices(), r.vms(), r.result().makespanNs(), r.result().p50Ns(),
                    r.result().p99Ns(), String.format(Locale.ROOT, "%.4f", r.result().fwWaitShare()), r.costRow() == null ? "" : r.costRow(),
                    r.costValue() == null ? "" : number(r.costValue()), r.ranking() == null ? "" : r.ranking().toString());
        }
    }

    /** sweep.csv's columns, declared once: a point row leaves the cost_* and ranking fields empty. */
    public static final List<Column<Line>> COLUMNS = List.of(
            Column.csv("kind", Line::kind),
            Column.csv("strategy", Line::strategy),
            Column.csv("platform", Line::platform),
            Column.csv("devices", Line::devices),
            Column.csv("vms", Line::vms),
            Column.csv("makespan_ns", Line::makespanNs),
            Column.csv("p50_ns", Line::p50Ns),
            Column.csv("p99_ns", Line::p99Ns),
            Column.csv("fw_wait_share", Line::fwWaitShare),
            Column.csv("cost_row", Line::costRow),
            Column.csv("cost_value", Line::costValue),
            Column.csv("ranking", Line::ranking));

    /** sweep.csv written and read through {@link #COLUMNS}. */
    public static final CsvTable<Line> TABLE = new CsvTable<>(COLUMNS, f -> new Line(f.text("kind"), f.text("strategy"), f.text("platform"),
            (int) f.count("devices"), (int) f.count("vms"), f.count("makespan_ns"), f.count("p50_ns"), f.count("p99_ns"), f.text("fw_wait_share"),
            f.text("cost_row"), f.text("cost_value"), f.text("ranking")), List.of("kind", "makespan_ns"));

    /** The report's lines of a sweep: its points, then its sensitivity runs. */
    public static List<Line> lines(Sweep.Report r) {
        List<Line> rows = new ArrayList<>();
        for (Sweep.Row x : r.points()) rows.add(Line.of(x));
        for (Sweep.Row x : r.sensitivity()) rows.add(Line.of(x));
        return rows;
    }

    public static final List<String> HEADER = Column.names(COLUMNS);
    public static final int WIDTH = 72;
    private static final int PER_BLOCK = 5;
    private static final int CELL = 10;

    private SweepReport() {}

    public static String csv(Sweep.Report r) { return TABLE.render(lines(r)); }

    public static String text(Sweep.Report r) {
        Sweep.Config c = r.config();
        List<String> ids = c.strategies().stream().map(Strategy::id).toList();
        StringBuilder sb = new StringBuilder();
        sb.append("Boot-time bring-up of N TDISP devices over M VMs (device d in VM\n");
        sb.append("d mod M), all probing at t=0: makespan in ms of modeled time.\n");
        sb.append("Queued: firmware (one per host), VMM exit handling (one per VM).\n");
        // Name each platform's host-wide firmware lock, so a reader can check what the queue stands for.
        boolean any = false;
        for (Platform p : c.platforms()) {
            if (p.globalFirmwareLock().isEmpty()) continue;
            if (!any) sb.append("Firmware queue, the host-wide lock it stands for:\n");
            any = true;
            String l = p.globalFirmwareLock().get();
            sb.append(fit("  " + p.id() + ": " + l + p.globalFirmwareLockNote().map(n -> " (" + n + ")").orElse(""))).append('\n');
        }
        sb.append(fit("Seed " + c.seed() + (c.startJitterNs() > 0 ? ", start jitter " + c.startJitterNs() + " ns" : "")
                + ", costs " + c.costs().table().origin()
                + (c.costs().nested() ? ", nested" : "") + (c.costs().ibpb() ? ", IBPB" : "")
                + (c.doe() == BringUp.DoeScope.AS_TRACED ? ", DOE under fw lock" : "") + "."));
        sb.append('\n');
        for (int i = 0; i < ids.size(); i++) sb.append(fit("  S" + (i + 1) + " = " + ids.get(i))).append('\n');
        for (Platform p : c.platforms()) {
            for (int from = 0; from < ids.size(); from += PER_BLOCK) {
                int to = Math.min(ids.size(), from + PER_BLOCK);
                sb.append('\n').append(pad(p.id(), 12)).append(lpad("dev", 5)).append(lpad("vms", 5));
                for (int i = from; i < to; i++) sb.append(lpad("S" + (i + 1), CELL));
                sb.append('\n');
                for (int n : c.devices()) {
                    for (int m : c.vms()) {
                        sb.append(pad("", 12)).append(lpad(Integer.toString(n), 5)).append(lpad(Integer.toString(m), 5));
                        for (int i = from; i < to; i++) {
                            String id = ids.get(i);
                            var pt = r.points().stream()
                                    .filter(x -> x.platform() == p && x.devices() == n && x.vms() == m && x.strategy().equals(id))
                                    .findFirst();
                            sb.append(lpad(pt.isPresent() ? ms(pt.get().result().makespanNs()) : "-", CELL));
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        String v5v7 = BringUpTable.text("One device's uncontended bring-up to secure DMA, v5 and v7 (v7's\n"
                + "bind inside IOMMU_VDEVICE_ALLOC included):", tdisp.sweep.V5V7BringUp.capture(c));
        if (!v5v7.isEmpty()) sb.append('\n').append(v5v7);
        if (!r.notSwept().isEmpty()) {
            sb.append("\n'-': not swept, the bring-up never reaches secure DMA:\n");
            for (String why : r.notSwept()) sb.append(wrap("  ", why)).append('\n');
        }
        if (c.sensitivity()) {
            java.util.function.Function<String, String> label = s -> "S" + (ids.indexOf(s) + 1);
            sb.append('\n');
            sb.append(fit("Sensitivity at " + c.sensitivityDevices() + " devices, " + c.sensitivityVms()
                    + " VMs: every cost row that changes a")).append('\n');
            sb.append("recipe, moved to its low and to its high (others at default).\n");
            sb.append(fit("Ranking by makespan, fastest first; '=' a tie"
                    + (c.tieNs() > 0 ? " (within " + c.tieNs() + " ns);" : ";"))).append('\n');
            sb.append("[spread] = slowest minus fastest makespan.\n");
            for (Platform p : c.platforms()) {
                Sweep.Ranking d = r.defaultRanking().get(p);
                List<String> moved = r.rowsMoved().get(p);
                sb.append(wrap(p.id() + ": " + moved.size() + " rows moved; default ", d.render(label) + " " + spread(d))).append('\n');
                int n = 0;
                for (Sweep.Finding f : r.findings()) {
                    if (f.platform() != p) continue;
                    n++;
                    sb.append(wrap("  " + f.costRow() + " " + f.end() + " " + number(f.value()) + ": ", f.ranking().render(label) + " " + spread(f.ranking()))).append('\n');
                }
                sb.append(n == 0 ? "  no row changes the ranking\n" : "  no other row changes the ranking\n");
            }
        }
        return sb.toString();
    }

    /** Milliseconds with microsecond resolution while it fits a cell, coarser beyond. */
    public static String ms(long ns) {
        double v = ns / 1e6;
        for (String f : new String[] {"%.3f", "%.1f", "%.0f"}) {
            String s = String.format(Locale.ROOT, f, v);
            if (s.length() < CELL) return s;
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /** The ranking's spread in the unit that keeps it short, e.g. [2.96 us]. */
    static String spread(Sweep.Ranking r) {
        long ns = r.spreadNs();
        if (ns < 1_000) return "[" + ns + " ns]";
        if (ns < 1_000_000) return String.format(Locale.ROOT, "[%.2f us]", ns / 1e3);
        return String.format(Locale.ROOT, "[%.2f ms]", ns / 1e6);
    }

    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** prefix + body, the body moved to indented continuation lines (split at '<') when too long. */
    public static String wrap(String prefix, String body) {
        if (prefix.length() + body.length() <= WIDTH) return prefix + body;
        StringBuilder sb = new StringBuilder(fit(prefix.stripTrailing()));
        String indent = "      ";
        StringBuilder line = new StringBuilder(indent);
        for (String part : body.split("(?=<)")) {
            if (line.length() + part.length() > WIDTH && line.length() > indent.length()) {
                sb.append('\n').append(line);
                line = new StringBuilder(indent);
            }
            line.append(part);
        }
        if (line.length() > indent.length()) sb.append('\n').append(fit(line.toString()));
        return sb.toString();
    }

    static String fit(String s) {
        return s.length() <= WIDTH ? s : s.substring(0, WIDTH - 3) + "...";
    }

    private static String pad(String s, int w) {
        if (s.length() > w - 1) s = s.substring(0, w - 1);
        return s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }

}
