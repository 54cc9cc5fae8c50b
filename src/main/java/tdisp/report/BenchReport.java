package tdisp.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;


/**
 * bench.csv and the bench table: each strategy as a ratio to a reference measured in the
 * same JMH run (the unrouted baseline for the guest-request hot path, KVM-direct for the
 * others). The columns are declared once ({@link #columns}); the table shows five of them.
 */
public final class BenchReport {
    private BenchReport() {}

    /** The JMH settings a run used: every row carries them, and so does the provenance. */
    public record Settings(String jdk, int forks, int warmupIterations, int iterations, String time, double errorShare) {}

    /** One benchmark point with per-operation counters. */
    public record Row(String benchmark, String strategy, String platform, double ns, double err, double allocBytes,
                      double modeledNs, double vmExits, double userExits, double ioctls, double fwCalls, double bytesCopied,
                      String ratioTo, double ratio, boolean significant) {
        Row withRatio(String to, double r, boolean sig) {
            return new Row(benchmark, strategy, platform, ns, err, allocBytes, modeledNs, vmExits, userExits, ioctls, fwCalls, bytesCopied, to, r, sig);
        }
    }

    /** One bench.csv record: the point and the JMH settings of its run. */
    public record Line(Row row, Settings settings) {}

    /** bench.csv's columns in order, declared once; those with a text cell are the table's, left to right. */
    public static final List<Column<Line>> COLUMNS = List.of(
            Column.csv("benchmark", l -> l.row().benchmark()),
            Column.csv("strategy", l -> l.row().strategy()),
            Column.csv("platform", l -> l.row().platform()),
            Column.both("ns_op", l -> f1(l.row().ns()), "ns/op", 9, l -> fit(l.row().ns(), 8)),
            // the '!' (too noisy) keeps its own column: the number fits in 7 however large
            Column.both("ns_op_error", l -> f1(l.row().err()), "+-", 8, l -> String.format(Locale.ROOT, "%7s%s",
                    fit(Double.isNaN(l.row().err()) ? 0 : l.row().err(), 7), noisy(l.row(), l.settings().errorShare()) ? "!" : " ")),
            Column.both("ratio", l -> f3(l.row().ratio()), "change", 9, l -> change(l.row())),
            Column.csv("ratio_to", l -> l.row().ratioTo()),
            Column.csv("significant", l -> l.row().significant()),
            Column.both("alloc_b_op", l -> f1(l.row().allocBytes()), "B/op", 7, l -> String.format(Locale.ROOT, "%.0f", l.row().allocBytes())),
            Column.both("modeled_ns_op", l -> f1(l.row().modeledNs()), "model us", 11,
                    l -> String.format(Locale.ROOT, "%.1f", l.row().modeledNs() / 1000.0)),
            Column.csv("vm_exits_op", l -> f1(l.row().vmExits())),
            Column.csv("user_exits_op", l -> f1(l.row().userExits())),
            Column.csv("ioctls_op", l -> f1(l.row().ioctls())),
            Column.csv("fw_calls_op", l -> f1(l.row().fwCalls())),
            Column.csv("bytes_copied_op", l -> f1(l.row().bytesCopied())),
            Column.csv("jdk", l -> l.settings().jdk()),
            Column.csv("forks", l -> l.settings().forks()),
            Column.csv("warmup_iterations", l -> l.settings().warmupIterations()),
            Column.csv("measurement_iterations", l -> l.settings().iterations()),
            Column.csv("iteration_time", l -> l.settings().time()),
            Column.csv("seed", l -> 1));

    /** bench.csv written and read through {@link #COLUMNS} (a file read back has no error share: NaN). */
    public static final CsvTable<Line> TABLE = new CsvTable<>(COLUMNS, f -> new Line(new Row(f.text("benchmark"), f.text("strategy"),
            f.text("platform"), f.decimal("ns_op"), f.decimal("ns_op_error"), f.decimal("alloc_b_op"), f.decimal("modeled_ns_op"),
            f.decimal("vm_exits_op"), f.decimal("user_exits_op"), f.decimal("ioctls_op"), f.decimal("fw_calls_op"), f.decimal("bytes_copied_op"),
            f.text("ratio_to"), f.decimal("ratio"), "true".equals(f.text("significant"))), new Settings(f.text("jdk"), (int) f.count("forks"),
            (int) f.count("warmup_iterations"), (int) f.count("measurement_iterations"), f.text("iteration_time"), Double.NaN)), List.of("ns_op"));

    /** The columns over rows of one run, whose settings are {@code s}. */
    public static List<Column<Row>> columns(Settings s) {
        return COLUMNS.stream().map(c -> new Column<Row>(c.name(), r -> c.csv().apply(new Line(r, s)), c.heading(), c.width(),
                c.text() == null ? null : r -> c.text().apply(new Line(r, s)))).toList();
    }

    /** A whole number in at most {@code w} characters: plain while it fits, else like 1.1e12. */
    static String fit(double v, int w) {
        String t = String.format(Locale.ROOT, "%.0f", v);
        if (t.length() <= w) return t;
        for (int d = 2; d >= 0; d--) {
            t = String.format(Locale.ROOT, "%." + d + "e", v).replace("e+", "e").replace("e0", "e");
            if (t.length() <= w) return t;
        }
        return t;
    }

    public static boolean noisy(Row r, double share) {
        return !Double.isNaN(r.err()) && r.ns() > 0 && r.err() > share * r.ns();
    }

    /** Ratio of each row to its reference in the same run; '*' only when error bars do not overlap. */
    public static List<Row> withRatios(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        for (Row row : rows) {
            String to = row.benchmark().equals("GuestRequestBench") ? "baseline" : "kvm-direct";
            Row ref = rows.stream().filter(x -> x.benchmark().equals(row.benchmark()) && x.platform().equals(row.platform()) && x.strategy().equals(to)).findFirst().orElse(null);
            if (ref == null) {
                out.add(row);
            } else {
                boolean sig = Math.abs(row.ns() - ref.ns()) > (Double.isNaN(row.err()) ? 0 : row.err()) + (Double.isNaN(ref.err()) ? 0 : ref.err());
                out.add(row.withRatio(to, row.ns() / ref.ns(), sig && row != ref));
            }
        }
        out.sort(Comparator.comparing(Row::benchmark).thenComparing(Row::platform)
                .thenComparing(x -> x.strategy().equals("baseline") ? "" : x.strategy()));
        return out;
    }

    public static String csv(List<Row> rows, Settings s) { return TABLE.render(rows.stream().map(r -> new Line(r, s)).toList()); }

    /**
     * Kernel-list style: reference row first, differences as percentages, '*' when error bars
     * do not overlap, '!' after the error when it exceeds the settings' error share.
     */
    public static String table(List<Row> rows, Settings s) {
        List<Column<Row>> shown = Column.shown(columns(s));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s; %d fork(s), %d+%d iterations of %s%n", s.jdk(), s.forks(), s.warmupIterations(), s.iterations(), s.time()));
        sb.append("harness ns/op (JMH avgt, 99.9% error), change vs the reference,\n");
        sb.append("allocation per op, and modeled time per op from the cost table.\n");
        // The two time columns measure different things; a reader quoting "+51%" must see which.
        sb.append("Harness time is measured: the model's own Java step machinery on\n");
        sb.append("this host, not a kernel cost. Model us is modeled, from the cost\n");
        sb.append("table: the kernel's and firmware's time for the same op.\n");
        String lastKey = "";
        for (Row r : rows) {
            String key = r.benchmark() + " " + r.platform();
            if (!key.equals(lastKey)) {
                sb.append(String.format("%n%-28s", key.replace("Bench", "")));
                for (Column<Row> c : shown) sb.append(lpad(c.heading(), c.width()));
                sb.append('\n');
                lastKey = key;
            }
            sb.append(String.format("  %-26s", r.strategy()));
            for (Column<Row> c : shown) sb.append(lpad(c.text().apply(r), c.width()));
            sb.append('\n');
        }
        long noisy = rows.stream().filter(r -> noisy(r, s.errorShare())).count();
        if (noisy > 0) {
            sb.append(String.format(Locale.ROOT, "%n! %d point(s) with an error above %.0f%% of the value: too noisy%n"
                    + "  to compare; rerun with more forks, iterations or time.%n", noisy, s.errorShare() * 100));
        }
        return sb.toString();
    }

    private static String change(Row r) {
        return Double.isNaN(r.ratio()) ? "" : r.strategy().equals(r.ratioTo()) ? "ref"
                : String.format(Locale.ROOT, "%+.0f%%%s", (r.ratio() - 1) * 100, r.significant() ? "*" : "");
    }

    private static String f1(double d) { return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.1f", d); }

    private static String f3(double d) { return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d); }

    private static String lpad(String s, int w) { return " ".repeat(Math.max(0, w - s.length())) + s; }
}
