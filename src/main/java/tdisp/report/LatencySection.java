package tdisp.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import tdisp.report.chart.Charts;
import tdisp.scenario.ModeledLatency;

/** The report's modeled latency table and chart: the baseline first, the others as a change from it. */
final class LatencySection {
    private LatencySection() {}

    static String text(RunReport report) {
        StringBuilder sb = new StringBuilder();
        String scenario = report.latency().get(0).scenario();
        sb.append("Modeled time of ").append(scenario).append(" (two VMs, a TDI each, up to\n");
        sb.append("secure DMA) from the cost table, in ms; low/high: every row at its\n");
        sb.append("low or high end. Baseline first, the others as a change from it\n");
        sb.append("(mmtests style). Modeled, not measured: no significance marks.\n");
        for (String p : platforms(report)) {
            List<ModeledLatency> ls = on(report, p);
            ModeledLatency base = ls.stream().filter(l -> l.strategy().equals(report.baseline())).findFirst().orElse(ls.get(0));
            sb.append('\n').append(pad(p + ", ms", 26)).append(lpad("modeled", 11)).append(lpad("low", 11)).append(lpad("high", 11))
                    .append(lpad("change", 10)).append('\n');
            for (ModeledLatency l : ls) {
                String name = "  " + report.label(l.strategy()) + " " + l.strategy() + (l == base ? " (base)" : "");
                String change = !l.secureDma() ? "no DMA" : l == base ? "-"
                        : String.format(Locale.ROOT, "%+.3f%%", 100.0 * (l.ns() - base.ns()) / base.ns());
                sb.append(pad(name, 26)).append(lpad(msOf(l.ns()), 11)).append(lpad(msOf(l.lowNs()), 11)).append(lpad(msOf(l.highNs()), 11))
                        .append(lpad(change, 10)).append('\n');
            }
        }
        if (report.latency().stream().anyMatch(l -> !l.secureDma())) sb.append("\nno DMA: the bring-up never reaches secure DMA; its time is not a\nlatency.\n");
        String v5v7 = BringUpTable.text("v5 and v7 side by side (" + scenario + "; v7's bind inside\nIOMMU_VDEVICE_ALLOC counted, its unbind at the vDEVICE's destroy\nfalls outside the scenario):",
                tdisp.sweep.V5V7BringUp.of(report.latency().stream()
                        .map(l -> new tdisp.sweep.V5V7BringUp.Sample(l.strategy(), l.platform(), l.ns(), l.secureDma())).toList()));
        if (!v5v7.isEmpty()) sb.append('\n').append(v5v7);
        return sb.toString();
    }

    /** Base first, the rest in strategy order. */
    private static List<ModeledLatency> on(RunReport report, String p) {
        List<ModeledLatency> ls = new ArrayList<>(report.latency().stream().filter(l -> l.platform().equals(p)).toList());
        ls.sort(Comparator.comparing(l -> !l.strategy().equals(report.baseline())));
        return ls;
    }

    private static List<String> platforms(RunReport report) {
        return new ArrayList<>(new LinkedHashSet<>(report.latency().stream().map(ModeledLatency::platform).toList()));
    }

    static String msOf(long ns) { return String.format(Locale.ROOT, "%.3f", ns / 1e6); }

    static String us(long ns) { return String.format(Locale.ROOT, "%.1f", ns / 1000.0); }

    /** Bars per platform: the modeled time, whiskers from every row low to every row high. */
    static String chart(RunReport report) {
        List<Charts.BarPanel> panels = new ArrayList<>();
        for (String p : platforms(report)) {
            List<Charts.Bar> bars = new ArrayList<>();
            for (ModeledLatency l : on(report, p)) {
                bars.add(new Charts.Bar(report.label(l.strategy()) + " " + l.strategy(), l.ns() / 1e3, l.lowNs() / 1e3, l.highNs() / 1e3,
                        l.secureDma() ? "" : "(no secure DMA)", report.colour(l.strategy())));
            }
            panels.add(new Charts.BarPanel(p, bars));
        }
        return Charts.rangeBars("Modeled latency of " + report.latency().get(0).scenario() + " (modeled, not measured)",
                "us of modeled time (log scale); whisker: all rows low..high", panels, Double.NaN, RunReport::num3, true);
    }

    private static String pad(String s, int w) { return RunReport.pad(s, w); }

    private static String lpad(String s, int w) { return RunReport.lpad(s, w); }
}
