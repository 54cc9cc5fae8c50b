package tdisp.sweep;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import tdisp.platform.Platform;
import tdisp.strategy.Strategy;

/** sweep.csv and the plain-text sweep.txt (every line at most 72 columns). */
public final class SweepReport {
    public static final String[] HEADER = {
        "kind", "strategy", "platform", "devices", "vms", "makespan_ns", "p50_ns", "p99_ns", "fw_wait_share",
        "cost_row", "cost_value", "ranking"};
    public static final int WIDTH = 72;
    private static final int PER_BLOCK = 5;
    private static final int CELL = 10;

    private SweepReport() {}

    public static String csv(Sweep.Report r) {
        CSVFormat fmt = CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator('\n').build();
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, fmt)) {
            List<Sweep.Row> rows = new ArrayList<>(r.points());
            rows.addAll(r.sensitivity());
            for (Sweep.Row row : rows) {
                BootSim.Result x = row.result();
                p.printRecord(row.kind(), row.strategy(), row.platform().id(), row.devices(), row.vms(), x.makespanNs(),
                        x.p50Ns(), x.p99Ns(), String.format(Locale.ROOT, "%.4f", x.fwWaitShare()),
                        row.costRow() == null ? "" : row.costRow(), row.costValue() == null ? "" : number(row.costValue()),
                        row.ranking() == null ? "" : row.ranking().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringWriter does not fail
        }
        return out.toString();
    }

    public static String text(Sweep.Report r) {
        Sweep.Config c = r.config();
        List<String> ids = c.strategies().stream().map(Strategy::id).toList();
        StringBuilder sb = new StringBuilder();
        sb.append("Boot-time bring-up of N TDISP devices over M VMs (device d in VM\n");
        sb.append("d mod M), all probing at t=0: makespan in ms of modeled time.\n");
        sb.append("Queued: firmware (one per host), VMM exit handling (one per VM).\n");
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
    static String ms(long ns) {
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
    static String wrap(String prefix, String body) {
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
