package tdisp.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.output.Columns;
import tdisp.report.chart.Charts;

/** The report's sweep: makespan per (devices, VMs) and the cost rows that reorder the strategies, with their charts. */
final class SweepSection {
    private SweepSection() {}

    private static List<SweepReport.Line> rows(RunReport report, String kind) {
        return report.sweep().rows().stream().filter(r -> r.kind().equals(kind)).toList();
    }

    static String text(RunReport report) {
        StringBuilder sb = new StringBuilder();
        List<SweepReport.Line> points = rows(report, "point");
        List<String> ids = ids(report, points);
        sb.append("Boot-time bring-up of N devices over M VMs: makespan in ms of\n");
        sb.append("modeled time (firmware queued once per host, exit handling once\n");
        sb.append("per VM). Columns are strategies by their S number.\n");
        for (String p : new LinkedHashSet<>(points.stream().map(SweepReport.Line::platform).toList())) {
            for (int from = 0; from < ids.size(); from += 5) {
                List<String> block = ids.subList(from, Math.min(ids.size(), from + 5));
                sb.append('\n').append(pad(p, 12)).append(lpad("dev", 5)).append(lpad("vms", 5));
                for (String id : block) sb.append(lpad(report.label(id), 10));
                sb.append('\n');
                Map<String, SweepReport.Line> cells = new LinkedHashMap<>();
                for (SweepReport.Line r : points) {
                    if (r.platform().equals(p)) cells.put(r.devices() + "|" + r.vms() + "|" + r.strategy(), r);
                }
                LinkedHashSet<String> dv = new LinkedHashSet<>();
                for (SweepReport.Line r : points) if (r.platform().equals(p)) dv.add(r.devices() + "|" + r.vms());
                for (String k : dv) {
                    String[] d = k.split("\\|");
                    sb.append(pad("", 12)).append(lpad(d[0], 5)).append(lpad(d[1], 5));
                    for (String id : block) {
                        SweepReport.Line c = cells.get(k + "|" + id);
                        sb.append(lpad(c == null ? "-" : RunReport.ms(c.makespanNs()), 10));
                    }
                    sb.append('\n');
                }
            }
        }
        List<SweepReport.Line> sens = rows(report, "sensitivity");
        if (!sens.isEmpty()) {
            sb.append("\nSensitivity at ").append(sens.get(0).devices()).append(" devices, ").append(sens.get(0).vms())
                    .append(" VMs: each cost row moved to its low and its\nhigh end; ranking by makespan, fastest first ('=' a tie),\n");
            sb.append("spread = slowest minus fastest. Rows that change the ranking:\n");
            for (SensitivityPanel sp : sensitivity(report)) {
                sb.append('\n').append(Columns.wrapLine(sp.platform() + ": default " + labels(report, sp.defaultRanking()) + ", spread "
                        + us(sp.defaultSpread()) + " us", "      ")).append('\n');
                int n = 0;
                for (SensitivityRow r : sp.rows()) {
                    for (int end = 0; end < 2; end++) {
                        String ranking = end == 0 ? r.lowRanking() : r.highRanking();
                        if (ranking.equals(sp.defaultRanking())) continue;
                        n++;
                        String v = plainNum(end == 0 ? r.lowValue() : r.highValue());
                        sb.append(Columns.wrapLine("  " + r.row() + " " + (end == 0 ? "low " : "high ") + v + ": " + labels(report, ranking)
                                + ", spread " + us(end == 0 ? r.lowSpread() : r.highSpread()) + " us", "      ")).append('\n');
                    }
                }
                if (n == 0) sb.append("  none\n");
            }
        }
        return sb.toString();
    }

    /** The swept strategies in report order (S1, S2, ...), then any the report does not list. */
    private static List<String> ids(RunReport report, List<SweepReport.Line> points) {
        List<String> ids = new ArrayList<>();
        for (RunReport.StrategyLine l : report.strategies()) if (points.stream().anyMatch(r -> r.strategy().equals(l.id()))) ids.add(l.id());
        for (SweepReport.Line r : points) if (!ids.contains(r.strategy())) ids.add(r.strategy());
        return ids;
    }

    private static final Pattern ID = Pattern.compile("[^<=]+");

    /** A ranking "a<b=c" with S numbers for ids. */
    static String labels(RunReport report, String ranking) {
        Matcher m = ID.matcher(ranking);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(report.label(m.group())));
        m.appendTail(sb);
        return sb.toString();
    }

    record SensitivityRow(String row, double lowValue, double highValue, long lowSpread, long highSpread, String lowRanking, String highRanking) {}

    record SensitivityPanel(String platform, long defaultSpread, String defaultRanking, List<SensitivityRow> rows) {}

    /** sweep.csv's sensitivity rows per platform: the default point and each moved row's two ends. */
    static List<SensitivityPanel> sensitivity(RunReport report) {
        List<SensitivityPanel> out = new ArrayList<>();
        List<SweepReport.Line> sens = rows(report, "sensitivity");
        for (String p : new LinkedHashSet<>(sens.stream().map(SweepReport.Line::platform).toList())) {
            Map<String, List<SweepReport.Line>> byEnd = new LinkedHashMap<>();
            for (SweepReport.Line r : sens) {
                if (r.platform().equals(p)) byEnd.computeIfAbsent(r.costRow() + "|" + r.costValue(), k -> new ArrayList<>()).add(r);
            }
            List<SweepReport.Line> dflt = byEnd.getOrDefault("|", List.of());
            if (dflt.isEmpty()) continue;
            Map<String, List<String>> ends = new LinkedHashMap<>();
            for (String k : byEnd.keySet()) if (!k.equals("|")) ends.computeIfAbsent(k.substring(0, k.indexOf('|')), x -> new ArrayList<>()).add(k);
            List<SensitivityRow> rows = new ArrayList<>();
            for (var e : ends.entrySet()) {
                List<String> ks = new ArrayList<>(e.getValue());
                ks.sort(Comparator.comparingDouble(k -> Double.parseDouble(k.substring(k.indexOf('|') + 1))));
                String lo = ks.get(0), hi = ks.get(ks.size() - 1);
                rows.add(new SensitivityRow(e.getKey(), Double.parseDouble(lo.substring(lo.indexOf('|') + 1)),
                        Double.parseDouble(hi.substring(hi.indexOf('|') + 1)), spread(byEnd.get(lo)), spread(byEnd.get(hi)),
                        byEnd.get(lo).get(0).ranking(), byEnd.get(hi).get(0).ranking()));
            }
            out.add(new SensitivityPanel(p, spread(dflt), dflt.get(0).ranking(), rows));
        }
        return out;
    }

    private static long spread(List<SweepReport.Line> rows) {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (SweepReport.Line r : rows) {
            long v = r.makespanNs();
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }


    static String chart(RunReport report) {
        List<SweepReport.Line> points = rows(report, "point");
        List<Charts.LinePanel> panels = new ArrayList<>();
        for (String p : new LinkedHashSet<>(points.stream().map(SweepReport.Line::platform).toList())) {
            int vms = points.stream().filter(r -> r.platform().equals(p)).mapToInt(SweepReport.Line::vms).max().orElse(1);
            List<Charts.Series> series = new ArrayList<>();
            for (String id : ids(report, points)) {
                List<SweepReport.Line> pts = points.stream().filter(r -> r.platform().equals(p) && r.strategy().equals(id)
                        && r.vms() == vms).sorted(Comparator.comparingInt(SweepReport.Line::devices)).toList();
                if (pts.isEmpty()) continue;
                double[] xs = pts.stream().mapToDouble(r -> (double) r.devices()).toArray();
                double[] ys = pts.stream().mapToDouble(r -> Math.max(1, r.makespanNs()) / 1e6).toArray();
                series.add(new Charts.Series(report.label(id) + " " + id, xs, ys, report.colour(id)));
            }
            panels.add(new Charts.LinePanel(p + ", " + vms + " VM(s)", series));
        }
        return Charts.lines("Sweep: bring-up makespan against device count (modeled)", "devices (log scale)",
                "makespan, ms (log scale)", panels, RunReport::num3);
    }

    static String sensitivityChart(RunReport report) {
        List<Charts.SwingPanel> panels = new ArrayList<>();
        for (SensitivityPanel sp : sensitivity(report)) {
            List<SensitivityRow> rows = new ArrayList<>(sp.rows());
            rows.sort(Comparator.comparingLong((SensitivityRow r) -> -Math.max(Math.abs(r.lowSpread() - sp.defaultSpread()),
                    Math.abs(r.highSpread() - sp.defaultSpread()))).thenComparing(SensitivityRow::row));
            List<Charts.Swing> swings = new ArrayList<>();
            for (SensitivityRow r : rows.subList(0, Math.min(12, rows.size()))) {
                boolean reorders = !r.lowRanking().equals(sp.defaultRanking()) || !r.highRanking().equals(sp.defaultRanking());
                swings.add(new Charts.Swing(r.row(), r.lowSpread() / 1e3, r.highSpread() / 1e3, reorders ? "(ranking changes)" : ""));
            }
            panels.add(new Charts.SwingPanel(sp.platform() + ": default ranking " + labels(report, sp.defaultRanking()), sp.defaultSpread() / 1e3, swings));
        }
        return Charts.tornado("Sensitivity: spread of makespans (slowest - fastest) per cost row (modeled)",
                "spread, us", panels, RunReport::num3);
    }

    private static String plainNum(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String us(long ns) { return String.format(Locale.ROOT, "%.1f", ns / 1000.0); }

    private static String pad(String s, int w) { return RunReport.pad(s, w); }

    private static String lpad(String s, int w) { return RunReport.lpad(s, w); }
}
