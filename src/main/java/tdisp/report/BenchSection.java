package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.output.Columns;
import tdisp.report.chart.Charts;

/** The report's bench table and chart: measured harness time, each row against its reference in the same run. */
final class BenchSection {
    private BenchSection() {}

    static String text(RunReport report) {
        Input<BenchReport.Line> bench = report.bench();
        if (bench == null) {
            return "Not run and no bench.csv given: `tdisp report --bench` runs a\nshort JMH point, --bench-csv FILE reads an earlier run.\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Columns.wrapLine("JMH " + settings(bench) + " (from " + bench.source() + ")", "    ")).append('\n');
        sb.append("measured ns/op is harness time: the model's own cost (its Java\n");
        sb.append("step machinery running the path), measured by JMH with its 99.9%\n");
        sb.append("error; it is not a kernel cost. change: against the reference\n");
        sb.append("row in the same run; '*' only where the error bars do not overlap.\n");
        sb.append("modeled us: the cost table's time for the same op (not measured).\n");
        String last = "";
        for (BenchReport.Line l : bench.rows()) {
            BenchReport.Row r = l.row();
            String key = r.benchmark().replace("Bench", "") + " " + r.platform();
            if (!key.equals(last)) {
                sb.append('\n').append(pad(key, 30)).append(lpad("measured", 10)).append(lpad("+-", 8)).append(lpad("change", 9))
                        .append(lpad("modeled us", 12)).append('\n');
                last = key;
            }
            sb.append(pad("  " + r.strategy(), 30)).append(lpad(f0(r.ns()), 10)).append(lpad(f0(r.err()), 8))
                    .append(lpad(change(r), 9)).append(lpad(modeledUs(r.modeledNs()), 12)).append('\n');
        }
        return sb.toString();
    }

    private static String change(BenchReport.Row r) {
        if (Double.isNaN(r.ratio())) return "";
        if (r.strategy().equals(r.ratioTo())) return "ref";
        return String.format(Locale.ROOT, "%+.0f%%", (r.ratio() - 1) * 100) + (r.significant() ? "*" : "");
    }

    /** "JDK; N fork(s), W+M iterations of T" of the run (every row carries its settings), '?' for an empty file. */
    static String settings(Input<BenchReport.Line> bench) {
        if (bench.rows().isEmpty()) return "?; ? fork(s), ?+? iterations of ?";
        BenchReport.Settings s = bench.rows().get(0).settings();
        return s.jdk() + "; " + s.forks() + " fork(s), " + s.warmupIterations() + "+" + s.iterations() + " iterations of " + s.time();
    }

    private static String f0(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.0f", v); }

    private static String modeledUs(double ns) { return Double.isNaN(ns) ? "" : String.format(Locale.ROOT, "%.1f", ns / 1000.0); }

    static String chart(RunReport report) {
        Input<BenchReport.Line> bench = report.bench();
        Map<String, List<Charts.Bar>> panels = new LinkedHashMap<>();
        List<BenchReport.Row> rows = bench.rows().stream().map(BenchReport.Line::row).toList();
        for (BenchReport.Row r : rows) {
            if (Double.isNaN(r.ratio())) continue;
            BenchReport.Row ref = rows.stream().filter(x -> x.benchmark().equals(r.benchmark())
                    && x.platform().equals(r.platform()) && x.strategy().equals(r.ratioTo())).findFirst().orElse(null);
            double q = r.ratio(), err = Double.NaN;
            if (ref != null) {
                double a = rel(r), b = rel(ref);
                err = q * Math.sqrt(a * a + (ref == r ? 0 : b * b));
            }
            String note = r.strategy().equals(r.ratioTo()) ? "ref" : r.significant() ? "*" : "";
            panels.computeIfAbsent(r.benchmark().replace("Bench", "") + " " + r.platform(), k -> new ArrayList<>())
                    .add(new Charts.Bar(r.strategy(), q, Double.isNaN(err) ? Double.NaN : q - err, Double.isNaN(err) ? Double.NaN : q + err, note,
                            report.colour(r.strategy())));
        }
        List<Charts.BarPanel> ps = new ArrayList<>();
        for (var e : panels.entrySet()) ps.add(new Charts.BarPanel(e.getKey(), e.getValue()));
        return Charts.rangeBars("Measured harness time per op (the model's own cost, JMH), ratio to the reference",
                "ratio; whisker: 99.9% error; * error bars do not overlap", ps, 1.0, v -> String.format(Locale.ROOT, "%.2f", v));
    }

    private static double rel(BenchReport.Row r) {
        return Double.isNaN(r.err()) || r.ns() <= 0 ? 0 : r.err() / r.ns();
    }

    private static String pad(String s, int w) { return RunReport.pad(s, w); }

    private static String lpad(String s, int w) { return RunReport.lpad(s, w); }
}
