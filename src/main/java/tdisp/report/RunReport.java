package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.output.Columns;
import tdisp.report.chart.SequenceDiagram;
import tdisp.report.chart.Svg;
import tdisp.report.chart.Xml;
import tdisp.scenario.ModeledLatency;
import tdisp.scenario.ScenarioResult;

/**
 * `tdisp report`'s content: the results of compare, bench, sweep and explore (returned
 * by their services, or read back from their CSVs through the same column declarations), the modeled latency of each design with the cost table's range,
 * and traces of chosen runs; rendered as a 72-column mail body, as Markdown and as one
 * self-contained HTML page. The three carry the same text; Markdown and HTML add the charts
 * and sequence diagrams ({@link #charts()}). Modeled values never carry a significance
 * mark: only bench's measured rows do.
 *
 * @param strategies id and title of each strategy, in report order (S1, S2, ...)
 * @param correctness compare's cells
 * @param baseline the strategy the latency table compares the others with
 * @param latency modeled latency per strategy x platform (empty: not computed)
 * @param bench bench's points, or null when neither run nor read
 * @param sweep sweep's points and sensitivity runs, or null
 * @param explore explore.csv / rediscovery.csv, each a list of searches
 * @param traces runs drawn as sequence diagrams
 */
public record RunReport(Provenance setup, List<StrategyLine> strategies, Input<ScenarioResult> correctness, String baseline,
                        List<ModeledLatency> latency, Input<BenchReport.Line> bench, Input<SweepReport.Line> sweep,
                        List<Input<ExploreReport.Line>> explore, List<TraceRun> traces) {
    public static final int WIDTH = Columns.WIDTH;

    public record StrategyLine(String id, String title) {}

    /** One traced run: what it was and its recorded events (typed, with time and thread). */
    public record TraceRun(String strategy, String platform, String scenario, List<String> sets, String verdict,
                           List<tdisp.sim.Trace.Entry> events) {
        public String title() {
            return strategy + (sets.isEmpty() ? "" : " (" + String.join(", ", sets) + ")") + " on " + platform + ", " + scenario;
        }
    }

    /** A section: its heading, the text every format shows, and the charts Markdown and HTML add. */
    record Section(String title, String text, List<String> charts) {}

    /** Whether bench has rows to show (its table and chart). */
    boolean hasBench() { return bench != null && !bench.rows().isEmpty(); }

    public RunReport {
        strategies = List.copyOf(strategies);
        latency = List.copyOf(latency);
        explore = List.copyOf(explore);
        traces = List.copyOf(traces);
    }

    // ---- text ------------------------------------------------------------------------------

    /** The mail body: ASCII, every line at most 72 columns. */
    public String text() {
        // the report's own setup block first, as every text output opens (Provenance#head);
        // then the answer; the inputs' own provenance (long) closes the report
        StringBuilder sb = new StringBuilder(setup.text()).append('\n');
        sb.append("tdisp report: correctness, modeled latency, bench, sweep, explore\n\n");
        for (Section s : sections()) {
            String text = s.title().equals(SETUP) ? "The inputs, each with the setup it was made with:\n" + AnswerSection.sources(this) : s.text();
            sb.append("== ").append(s.title()).append(" ==\n\n").append(text);
            if (!text.endsWith("\n")) sb.append('\n');
            sb.append('\n');
        }
        return ascii(Columns.wrap(sb.toString().stripTrailing() + "\n"));
    }

    static final String ANSWER = "Answer";
    static final String SETUP = "Setup";

    /**
     * The answer first (what each routing breaks, where, why, and the one diagram that shows
     * it), then the matrix, the rest, and the setup last: a reader arriving from a link reads
     * the finding before the provenance.
     */
    List<Section> sections() {
        List<Section> out = new ArrayList<>();
        List<String> seq = CorrectnessSection.traceChartNames(this);
        out.add(new Section(ANSWER, AnswerSection.text(this), seq.isEmpty() ? List.of() : seq.subList(0, 1)));
        out.add(new Section("Correctness (compare)", CorrectnessSection.text(this), List.of()));
        out.add(new Section("Strategies", strategiesText(), List.of()));
        out.add(new Section("Counterexamples", CorrectnessSection.counterexamples(this), seq.size() > 1 ? seq.subList(1, seq.size()) : List.of()));
        if (!latency.isEmpty()) out.add(new Section("Modeled latency", LatencySection.text(this), List.of("latency")));
        out.add(new Section("Bench (JMH)", BenchSection.text(this), hasBench() ? List.of("bench") : List.of()));
        if (sweep != null) out.add(new Section("Sweep", SweepSection.text(this), List.of("sweep", "sensitivity")));
        if (!explore.isEmpty()) out.add(new Section("Explore", ExploreSection.text(this), List.of()));
        out.add(new Section(SETUP, setup.text() + AnswerSection.sources(this), List.of()));
        return out;
    }

    /** Every input the report shows, compare first: their sources and provenance close the report. */
    List<Input<?>> inputs() {
        List<Input<?>> inputs = new ArrayList<>();
        inputs.add(correctness);
        if (bench != null) inputs.add(bench);
        if (sweep != null) inputs.add(sweep);
        inputs.addAll(explore);
        return inputs;
    }

    /** Inputs a signal or a bound cut short (their "status" provenance fact): "source: status". */
    public List<String> partialInputs() {
        List<String> out = new ArrayList<>();
        for (Input<?> c : inputs()) if (c.provenance().status() != null) out.add(c.source() + ": " + c.provenance().status());
        return out;
    }

    private String strategiesText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < strategies.size(); i++) {
            StrategyLine s = strategies.get(i);
            sb.append(Columns.wrapLine(String.format("S%-2d %s: %s", i + 1, s.id(), s.title()), "      ")).append('\n');
        }
        return sb.toString();
    }

    String label(String id) {
        for (int i = 0; i < strategies.size(); i++) if (strategies.get(i).id().equals(id)) return "S" + (i + 1);
        return id;
    }


    /** Milliseconds in at most 9 characters. */
    static String ms(long ns) {
        double v = ns / 1e6;
        for (String f : new String[] {"%.3f", "%.2f", "%.1f", "%.0f"}) {
            String s = String.format(Locale.ROOT, f, v);
            if (s.length() <= 9) return s;
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }


    // ---- charts ----------------------------------------------------------------------------

    /** Every chart and diagram by name (charts/NAME.svg beside report.md, inline in report.html). */
    public Map<String, String> charts() {
        Map<String, String> out = new LinkedHashMap<>();
        charts(out);
        // each chart file says how it was made, in its description (XML comments may not hold the "--" of options)
        String desc = "<desc>" + Xml.escape(setup.text()) + "</desc>\n";
        out.replaceAll((name, svg) -> svg.replaceFirst("</title>\n", "</title>\n" + java.util.regex.Matcher.quoteReplacement(desc)));
        return out;
    }

    private void charts(Map<String, String> out) {
        for (int i = 0; i < traces.size(); i++) {
            TraceRun t = traces.get(i);
            out.put("sequence-" + (i + 1), SequenceDiagram.render(t.title() + ": " + t.verdict(), TraceLanes.LANES,
                    TraceLanes.window(TraceLanes.rows(t.events()), 24, 30)));
        }
        if (!latency.isEmpty()) out.put("latency", LatencySection.chart(this));
        if (hasBench()) out.put("bench", BenchSection.chart(this));
        if (sweep != null) {
            out.put("sweep", SweepSection.chart(this));
            out.put("sensitivity", SweepSection.sensitivityChart(this));
        }
    }

    /** A strategy's colour in every chart: its S number's series (the unrouted baseline takes the last). */
    int colour(String id) {
        for (int i = 0; i < strategies.size(); i++) if (strategies.get(i).id().equals(id)) return i;
        return 7;
    }

    static String num3(double v) {
        if (v == 0) return "0";
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (Math.abs(v) >= 1) return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
        return String.format(Locale.ROOT, "%.3g", v);
    }

    // ---- markdown and html -----------------------------------------------------------------

    /** Markdown: the text in code blocks, the charts as images from charts/ beside it. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# tdisp report\n\n");
        sb.append("Correctness, modeled latency, bench, sweep and explore results of one run;\n");
        sb.append("the same text as report.txt, with charts (charts/*.svg).\n");
        Map<String, String> titles = chartTitles();
        for (Section s : sections()) {
            String body = ascii(Columns.wrap(s.text()));
            // a descriptor title holding ``` must not end the block early
            String fence = body.contains("```") ? "~~~~" : "```";
            sb.append("\n## ").append(s.title()).append("\n\n").append(fence).append("text\n").append(body);
            if (!body.endsWith("\n")) sb.append('\n');
            sb.append(fence).append('\n');
            for (String c : s.charts()) sb.append("\n![").append(mdAlt(titles.get(c))).append("](charts/").append(c).append(".svg)\n");
        }
        return sb.toString();
    }

    /** One HTML page, nothing fetched: the text in pre blocks, every chart inline as SVG. */
    public String html() {
        Map<String, String> charts = charts();
        Map<String, String> titles = chartTitles();
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>tdisp report</title>\n<style>\n")
                .append("body { font-family: ").append(Svg.FONT).append("; margin: 1em 2em; color: #000; background: #fff; }\n")
                .append("h1 { font-size: 1.5em; margin: 0.2em 0; }\n")
                // the answer and the top of its diagram fit a laptop's first screen (1280 x 800)
                .append("#answer pre { font-size: 12px; line-height: 1.15; margin: 0.4em 0; }\n#answer figure { margin-top: 0.3em; }\n")
                .append("pre { font-size: 13px; line-height: 1.3; }\nfigure { margin: 1em 0; overflow-x: auto; }\n")
                // a diagram wider than the page is scaled to it, not cut at its edge
                .append("figure svg { max-width: 100%; height: auto; }\n")
                .append("figcaption { font-size: 13px; color: #444; }\nh2 { border-bottom: 1px solid #ccc; font-size: 1.3em; margin: 0.6em 0 0.3em; }\n</style>\n</head>\n<body>\n")
                .append("<h1>tdisp report</h1>\n");
        for (Section s : sections()) {
            sb.append("<section id=\"").append(s.title().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", ""))
                    .append("\">\n<h2>").append(Xml.escape(s.title())).append("</h2>\n<pre>")
                    .append(Xml.escape(Columns.wrap(s.text()))).append("</pre>\n");
            for (String c : s.charts()) {
                sb.append("<figure class=\"chart\" data-chart=\"").append(c).append("\">\n").append(charts.get(c))
                        .append("<figcaption>").append(Xml.escape(titles.get(c))).append("</figcaption>\n</figure>\n");
            }
            sb.append("</section>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private Map<String, String> chartTitles() {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < traces.size(); i++) {
            t.put("sequence-" + (i + 1), "Sequence diagram: " + traces.get(i).title() + " (one lane per actor; red: a violation)");
        }
        t.put("latency", "Modeled latency per strategy and platform, with the cost table's range");
        t.put("bench", "Bench: measured harness time as a ratio to the reference, with error bars");
        t.put("sweep", "Sweep: makespan against device count");
        t.put("sensitivity", "Sensitivity: how each cost row moves the spread between strategies");
        return t;
    }

    private static String mdAlt(String s) { return s.replace("[", "(").replace("]", ")"); }

    /** Non-ASCII characters (a descriptor's title, say) as '?': the mail body is ASCII. */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '\n' || (c >= 0x20 && c < 0x7f) ? c : '?');
        }
        return sb.toString();
    }

    static String pad(String s, int w) {
        if (s.length() > w - 1) s = s.substring(0, w - 1);
        return s + " ".repeat(w - s.length());
    }

    static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
