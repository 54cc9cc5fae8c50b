package tdisp.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.output.Columns;
import tdisp.report.chart.Charts;
import tdisp.report.chart.SequenceDiagram;
import tdisp.report.chart.Svg;
import tdisp.report.chart.Xml;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.sim.Trace;

/**
 * `tdisp report`'s content: the results of compare, bench, sweep and explore (run or read
 * back from their CSVs), the modeled latency of each design with the cost table's range,
 * and traces of chosen runs; rendered as a 72-column mail body, as Markdown and as one
 * self-contained HTML page. The three carry the same text; Markdown and HTML add the charts
 * and sequence diagrams ({@link #charts()}). Modeled values never carry a significance
 * mark: only bench's measured rows do.
 *
 * @param strategies id and title of each strategy, in report order (S1, S2, ...)
 * @param correctness compare's correctness.csv
 * @param baseline the strategy the latency table compares the others with
 * @param latency modeled latency per strategy x platform (empty: not computed)
 * @param bench bench.csv, or null when neither run nor read
 * @param sweep sweep.csv, or null
 * @param explore explore.csv / rediscovery.csv files, each a search
 * @param traces runs drawn as sequence diagrams
 */
public record RunReport(Provenance setup, List<StrategyLine> strategies, CsvInput correctness, String baseline,
                        List<Latency> latency, CsvInput bench, CsvInput sweep, List<CsvInput> explore, List<TraceRun> traces) {
    public static final int WIDTH = Columns.WIDTH;

    public record StrategyLine(String id, String title) {}

    /** Modeled time of one scenario run at the table's defaults, with every row at its low and at its high end. */
    public record Latency(String strategy, String platform, String scenario, long ns, long lowNs, long highNs, boolean secureDma) {}

    /** One traced run: what it was and its trace lines as ScenarioRunner prints them. */
    public record TraceRun(String strategy, String platform, String scenario, List<String> sets, String verdict, List<String> lines) {
        public String title() {
            return strategy + (sets.isEmpty() ? "" : " (" + String.join(", ", sets) + ")") + " on " + platform + ", " + scenario;
        }
    }

    /** A section: its heading, the text every format shows, and the charts Markdown and HTML add. */
    record Section(String title, String text, List<String> charts) {}

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
            String text = s.title().equals(SETUP) ? "The inputs, each with the setup it was made with:\n" + sourcesText() : s.text();
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
        List<String> seq = traceChartNames();
        out.add(new Section(ANSWER, answerText(), seq.isEmpty() ? List.of() : seq.subList(0, 1)));
        out.add(new Section("Correctness (compare)", correctnessText(), List.of()));
        out.add(new Section("Strategies", strategiesText(), List.of()));
        out.add(new Section("Counterexamples", counterexamplesText(), seq.size() > 1 ? seq.subList(1, seq.size()) : List.of()));
        if (!latency.isEmpty()) out.add(new Section("Modeled latency", latencyText(), List.of("latency")));
        out.add(new Section("Bench (JMH)", benchText(), bench == null || benchRows().isEmpty() ? List.of() : List.of("bench")));
        if (sweep != null) out.add(new Section("Sweep", sweepText(), List.of("sweep", "sensitivity")));
        if (!explore.isEmpty()) out.add(new Section("Explore", exploreText(), List.of()));
        out.add(new Section(SETUP, setup.text() + sourcesText(), List.of()));
        return out;
    }

    // ---- the answer ------------------------------------------------------------------------

    /** Inputs a signal or a bound cut short (their "status" provenance fact): "source: status". */
    public List<String> partialInputs() {
        List<CsvInput> inputs = new ArrayList<>();
        inputs.add(correctness);
        if (bench != null) inputs.add(bench);
        if (sweep != null) inputs.add(sweep);
        inputs.addAll(explore);
        List<String> out = new ArrayList<>();
        for (CsvInput c : inputs) if (c.provenance().status() != null) out.add(c.source() + ": " + c.provenance().status());
        return out;
    }

    private static final Pattern SITE = Pattern.compile("^(I[0-9]+): (.*?)(?: \\[at ([^\\]]*)\\])?$");

    /**
     * What each routing breaks on each platform (the invariants of its violated scenarios),
     * then why: per invariant and platform the commonest first break, in the kernel's words,
     * from compare's first_violation column. Computed from correctness.csv alone, so it says
     * what the data says and no more.
     */
    private String answerText() {
        StringBuilder sb = new StringBuilder();
        for (String p : partialInputs()) sb.append(Columns.wrapLine("PARTIAL INPUT: " + p, "    ")).append('\n');
        if (!partialInputs().isEmpty()) sb.append('\n');
        List<ScenarioResult> rs = results();
        List<String> ids = new ArrayList<>(strategies.stream().map(StrategyLine::id).toList());
        for (String id : distinct(correctness, "strategy")) if (!ids.contains(id)) ids.add(id);
        List<String> ps = platforms();
        Map<String, TreeSet<String>> broken = new LinkedHashMap<>();
        TreeSet<String> all = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        int cellsBroken = 0, cells = 0;
        for (String id : ids) {
            for (String p : ps) {
                TreeSet<String> inv = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
                boolean ran = false;
                for (ScenarioResult r : rs) {
                    if (!r.strategy().equals(id) || !r.platform().equals(p)) continue;
                    ran = true;
                    if (r.verdict() == ScenarioResult.Verdict.VIOLATION) inv.addAll(r.violated());
                }
                if (!ran) continue;
                cells++;
                if (!inv.isEmpty()) cellsBroken++;
                broken.put(id + "|" + p, inv);
                all.addAll(inv);
            }
        }
        sb.append(cellsBroken == cells ? "Every routing breaks an invariant on every platform."
                : cellsBroken + " of " + cells + " routing x platform cells break an invariant.");
        sb.append(" The invariants\neach breaks (how many scenarios fail: the matrix below):\n\n");
        int col = 16, lab = 22;
        boolean table = broken.values().stream().allMatch(v -> String.join(" ", v).length() < col) && lab + col * ps.size() <= WIDTH;
        if (table) {
            StringBuilder head = new StringBuilder(pad("", lab));
            for (String p : ps) head.append(pad(p, col));
            sb.append(head.toString().stripTrailing()).append('\n');
        }
        for (String id : ids) {
            if (table) {
                StringBuilder row = new StringBuilder(pad(label(id) + " " + id, lab));
                for (String p : ps) {
                    TreeSet<String> v = broken.get(id + "|" + p);
                    row.append(pad(v == null ? "-" : v.isEmpty() ? "none" : String.join(" ", v), col));
                }
                sb.append(row.toString().stripTrailing()).append('\n');
            } else {
                sb.append(label(id)).append(' ').append(id).append('\n');
                for (String p : ps) {
                    TreeSet<String> v = broken.get(id + "|" + p);
                    sb.append(Columns.wrapLine("    " + p + ": " + (v == null ? "-" : v.isEmpty() ? "none" : String.join(" ", v)), "      ")).append('\n');
                }
            }
        }
        // why: the commonest first break per invariant and platform
        Map<String, Map<String, Integer>> firsts = new LinkedHashMap<>();
        for (Map<String, String> r : correctness.rows()) {
            Matcher m = SITE.matcher(r.getOrDefault("first_violation", ""));
            if (!m.matches()) continue;
            String what = m.group(2).replaceAll("\\b(dev|vmm|vm)[0-9]+\\b", "$1N") + (m.group(3) == null ? "" : " [at " + m.group(3) + "]");
            firsts.computeIfAbsent(m.group(1) + "|" + r.get("platform"), k -> new LinkedHashMap<>()).merge(what, 1, Integer::sum);
        }
        if (!all.isEmpty()) sb.append("\nWhy: the commonest first break of each, per platform:\n");
        for (String inv : all) {
            // A policy's break is the project's rule, not a kernel bug: say which it is (#22.9).
            sb.append("  ").append(inv).append(' ').append(meaning(inv)).append(" (")
              .append(tdisp.world.Invariants.kind(inv).token()).append(")\n");
            // platforms with the same first break share a line
            Map<String, List<String>> byWhy = new LinkedHashMap<>();
            for (String p : ps) {
                if (broken.entrySet().stream().noneMatch(e -> e.getKey().endsWith("|" + p) && e.getValue().contains(inv))) continue;
                Map<String, Integer> f = firsts.get(inv + "|" + p);
                String why = f == null ? "never the first break; violated after another"
                        : f.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
                byWhy.computeIfAbsent(why, k -> new ArrayList<>()).add(p);
            }
            for (var e : byWhy.entrySet()) {
                sb.append(Columns.wrapLine("    " + String.join(", ", e.getValue()) + ": " + e.getKey(), "      ")).append('\n');
            }
        }
        if (!traces.isEmpty()) sb.append(Columns.wrapLine("\nPictured: " + traces.get(0).title() + ".", "")).append('\n');
        return sb.toString();
    }

    /** The invariant's name from the model's catalogue ("I2 firmware-refusal-handled"). */
    private static String meaning(String inv) {
        for (tdisp.world.Invariant i : tdisp.world.Invariants.CATALOGUE) if (i.id().equals(inv)) return i.name();
        return "";
    }

    private String sourcesText() {
        StringBuilder sb = new StringBuilder();
        List<CsvInput> inputs = new ArrayList<>();
        inputs.add(correctness);
        if (bench != null) inputs.add(bench);
        if (sweep != null) inputs.add(sweep);
        inputs.addAll(explore);
        for (CsvInput c : inputs) {
            sb.append(Columns.wrapLine("source: " + c.source() + ", " + c.rows().size() + " rows", "        ")).append('\n');
            for (Provenance.Fact f : c.provenance().facts()) {
                sb.append(Columns.wrapLine("  " + f.key() + ": " + f.value(), "      ")).append('\n');
            }
        }
        return sb.toString();
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

    // ---- correctness -----------------------------------------------------------------------

    /** correctness.csv back as results (no traces): what Matrix renders. */
    List<ScenarioResult> results() {
        List<ScenarioResult> out = new ArrayList<>();
        for (Map<String, String> r : correctness.rows()) {
            TreeSet<String> violated = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
            for (String v : r.get("violated").split(";")) if (!v.isBlank()) violated.add(v.strip());
            ScenarioResult.Verdict verdict = null;
            for (ScenarioResult.Verdict x : ScenarioResult.Verdict.values()) if (x.token().equals(r.get("verdict"))) verdict = x;
            if (verdict == null) throw new CsvInput.BadCsvException(correctness.source() + ": unknown verdict '" + r.get("verdict") + "'");
            java.util.Set<tdisp.sim.Assumption> assumed = java.util.EnumSet.noneOf(tdisp.sim.Assumption.class);
            tdisp.world.Stage needs, reached;
            try {
                for (String a : r.getOrDefault("assumptions", "").split(";")) if (!a.isBlank()) assumed.add(tdisp.sim.Assumption.byId(a.strip()));
                needs = tdisp.world.Stage.parse(r.getOrDefault("stage_needed", "none"));
                reached = tdisp.world.Stage.parse(r.getOrDefault("stage_reached", "none"));
            } catch (IllegalArgumentException e) {
                throw new CsvInput.BadCsvException(correctness.source() + ": " + e.getMessage());
            }
            out.add(new ScenarioResult(r.get("strategy"), r.get("platform"), r.get("scenario"), verdict, violated, r.get("tdi_end_state"),
                    new Trace.Counters(num(r, "steps"), num(r, "vm_exits"), num(r, "user_exits"), num(r, "ioctls"), num(r, "fw_calls"),
                            num(r, "modeled_ns")), r.get("secure_dma"), r.get("first_violation"), List.of(), assumed, needs, reached));
        }
        return out;
    }

    private long num(Map<String, String> r, String col) {
        try {
            return Long.parseLong(r.get(col));
        } catch (NumberFormatException e) {
            throw new CsvInput.BadCsvException(correctness.source() + ": column " + col + " '" + r.get(col) + "' is not a count");
        }
    }

    List<String> platforms() { return distinct(correctness, "platform"); }

    private static List<String> distinct(CsvInput c, String col) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        for (Map<String, String> r : c.rows()) s.add(r.get(col));
        return new ArrayList<>(s);
    }

    private String correctnessText() {
        List<ScenarioResult> rs = results();
        List<String> ids = new ArrayList<>(strategies.stream().map(StrategyLine::id).toList());
        for (String id : distinct(correctness, "strategy")) if (!ids.contains(id)) ids.add(id);
        List<String> ps = platforms();
        List<String> scs = distinct(correctness, "scenario");
        StringBuilder sb = new StringBuilder();
        countTable(sb, "Scenarios with a violated invariant, per strategy and platform:", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.VIOLATION);
        countTable(sb, "Of those, scenarios breaking a rule (spec, firmware, kernel):", rs, ids, ps,
                r -> !r.rulesViolated().isEmpty());
        countTable(sb, "Of those, scenarios breaking only a policy (" + String.join(", ", Matrix.policies()) + "):", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.VIOLATION && r.rulesViolated().isEmpty());
        countTable(sb, "Scenarios not reached (bring-up stopped short; no pass):", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.NOT_REACHED);
        sb.append(Matrix.render(rs, ids, ps, scs));
        return sb.toString();
    }

    private void countTable(StringBuilder sb, String title, List<ScenarioResult> rs, List<String> ids, List<String> ps,
                            java.util.function.Predicate<ScenarioResult> counted) {
        sb.append(Columns.wrapLine(title, "  ")).append("\n\n");
        sb.append(pad("", 24));
        for (String p : ps) sb.append(lpad(p, 13));
        sb.append('\n');
        for (String id : ids) {
            sb.append(pad("  " + label(id) + " " + id, 24));
            for (String p : ps) {
                long run = rs.stream().filter(r -> r.strategy().equals(id) && r.platform().equals(p)).count();
                long n = rs.stream().filter(r -> r.strategy().equals(id) && r.platform().equals(p) && counted.test(r)).count();
                sb.append(lpad(run == 0 ? "-" : n + "/" + run, 13));
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    // ---- counterexamples -------------------------------------------------------------------

    private String counterexamplesText() {
        StringBuilder sb = new StringBuilder();
        if (traces.isEmpty()) sb.append("No run traced.\n");
        for (TraceRun t : traces) {
            sb.append(Columns.wrapLine(t.title() + ": " + t.verdict(), "    ")).append('\n');
            List<SequenceDiagram.Row> rows = TraceLanes.rows(t.lines());
            List<SequenceDiagram.Row> excerpt = excerpt(rows);
            if (excerpt.isEmpty()) sb.append("  no invariant violated\n");
            for (SequenceDiagram.Row r : excerpt) {
                sb.append(r == null ? "         ...\n" : String.format("%11s us [%-7s] %s%n", r.time(), r.thread(), r.text()));
            }
            sb.append('\n');
        }
        sb.append("Sequence diagrams of these runs are in report.html and report.md\n(the first under Answer).\n");
        return sb.toString();
    }

    /** The lines leading to the first violation (at most 8, from the action that led there) and every violation line; null = elided. */
    static List<SequenceDiagram.Row> excerpt(List<SequenceDiagram.Row> rows) {
        int first = -1;
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).violation()) { first = i; break; }
        List<SequenceDiagram.Row> out = new ArrayList<>();
        if (first < 0) return out;
        List<SequenceDiagram.Row> lead = TraceLanes.window(rows, 24, 0);
        int cut = 0;
        while (!lead.get(cut).violation()) cut++;
        lead = lead.subList(0, cut + 1);
        if (lead.size() > 8) {
            out.add(lead.get(0));
            out.add(null);
            out.addAll(lead.subList(lead.size() - 6, lead.size()));
        } else {
            out.addAll(lead);
        }
        for (int i = first + 1; i < rows.size(); i++) if (rows.get(i).violation()) out.add(rows.get(i));
        return out;
    }

    private List<String> traceChartNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < traces.size(); i++) names.add("sequence-" + (i + 1));
        return names;
    }

    // ---- modeled latency -------------------------------------------------------------------

    private String latencyText() {
        StringBuilder sb = new StringBuilder();
        String scenario = latency.get(0).scenario();
        sb.append("Modeled time of ").append(scenario).append(" (two VMs, a TDI each, up to\n");
        sb.append("secure DMA) from the cost table, in ms; low/high: every row at its\n");
        sb.append("low or high end. Baseline first, the others as a change from it\n");
        sb.append("(mmtests style). Modeled, not measured: no significance marks.\n");
        for (String p : latencyPlatforms()) {
            List<Latency> ls = latencyOn(p);
            Latency base = ls.stream().filter(l -> l.strategy().equals(baseline)).findFirst().orElse(ls.get(0));
            sb.append('\n').append(pad(p + ", ms", 26)).append(lpad("modeled", 11)).append(lpad("low", 11)).append(lpad("high", 11))
                    .append(lpad("change", 10)).append('\n');
            for (Latency l : ls) {
                String name = "  " + label(l.strategy()) + " " + l.strategy() + (l == base ? " (base)" : "");
                String change = !l.secureDma() ? "no DMA" : l == base ? "-"
                        : String.format(Locale.ROOT, "%+.3f%%", 100.0 * (l.ns() - base.ns()) / base.ns());
                sb.append(pad(name, 26)).append(lpad(msOf(l.ns()), 11)).append(lpad(msOf(l.lowNs()), 11)).append(lpad(msOf(l.highNs()), 11))
                        .append(lpad(change, 10)).append('\n');
            }
        }
        if (latency.stream().anyMatch(l -> !l.secureDma())) sb.append("\nno DMA: the bring-up never reaches secure DMA; its time is not a\nlatency.\n");
        return sb.toString();
    }

    /** Base first, the rest in strategy order. */
    private List<Latency> latencyOn(String p) {
        List<Latency> ls = new ArrayList<>(latency.stream().filter(l -> l.platform().equals(p)).toList());
        ls.sort(Comparator.comparing(l -> !l.strategy().equals(baseline)));
        return ls;
    }

    private List<String> latencyPlatforms() {
        return new ArrayList<>(new LinkedHashSet<>(latency.stream().map(Latency::platform).toList()));
    }

    static String msOf(long ns) { return String.format(Locale.ROOT, "%.3f", ns / 1e6); }

    static String us(long ns) { return String.format(Locale.ROOT, "%.1f", ns / 1000.0); }

    // ---- bench -----------------------------------------------------------------------------

    List<Map<String, String>> benchRows() { return bench == null ? List.of() : bench.rows(); }

    private String benchText() {
        if (bench == null) {
            return "Not run and no bench.csv given: `tdisp report --bench` runs a\nshort JMH point, --bench-csv FILE reads an earlier run.\n";
        }
        StringBuilder sb = new StringBuilder();
        Map<String, String> first = bench.rows().isEmpty() ? Map.of() : bench.rows().get(0);
        sb.append(Columns.wrapLine("JMH " + first.getOrDefault("jdk", "?") + "; " + first.getOrDefault("forks", "?") + " fork(s), "
                + first.getOrDefault("warmup_iterations", "?") + "+" + first.getOrDefault("measurement_iterations", "?")
                + " iterations of " + first.getOrDefault("iteration_time", "?") + " (from " + bench.source() + ")", "    ")).append('\n');
        sb.append("measured ns/op is harness time: the model's own cost (its Java\n");
        sb.append("step machinery running the path), measured by JMH with its 99.9%\n");
        sb.append("error; it is not a kernel cost. change: against the reference\n");
        sb.append("row in the same run; '*' only where the error bars do not overlap.\n");
        sb.append("modeled us: the cost table's time for the same op (not measured).\n");
        String last = "";
        for (Map<String, String> r : bench.rows()) {
            String key = r.get("benchmark").replace("Bench", "") + " " + r.get("platform");
            if (!key.equals(last)) {
                sb.append('\n').append(pad(key, 30)).append(lpad("measured", 10)).append(lpad("+-", 8)).append(lpad("change", 9))
                        .append(lpad("modeled us", 12)).append('\n');
                last = key;
            }
            sb.append(pad("  " + r.get("strategy"), 30)).append(lpad(f0(r.get("ns_op")), 10)).append(lpad(f0(r.get("ns_op_error")), 8))
                    .append(lpad(change(r), 9)).append(lpad(modeledUs(r.get("modeled_ns_op")), 12)).append('\n');
        }
        return sb.toString();
    }

    private static String change(Map<String, String> r) {
        String ratio = r.getOrDefault("ratio", "");
        if (ratio.isEmpty()) return "";
        if (r.get("strategy").equals(r.get("ratio_to"))) return "ref";
        return String.format(Locale.ROOT, "%+.0f%%", (Double.parseDouble(ratio) - 1) * 100) + ("true".equals(r.get("significant")) ? "*" : "");
    }

    private static String f0(String s) {
        return s == null || s.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", Double.parseDouble(s));
    }

    private static String modeledUs(String ns) {
        return ns == null || ns.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(ns) / 1000.0);
    }

    // ---- sweep -----------------------------------------------------------------------------

    private List<Map<String, String>> sweepRows(String kind) {
        return sweep.rows().stream().filter(r -> r.get("kind").equals(kind)).toList();
    }

    private String sweepText() {
        StringBuilder sb = new StringBuilder();
        List<Map<String, String>> points = sweepRows("point");
        List<String> ids = sweepIds(points);
        sb.append("Boot-time bring-up of N devices over M VMs: makespan in ms of\n");
        sb.append("modeled time (firmware queued once per host, exit handling once\n");
        sb.append("per VM). Columns are strategies by their S number.\n");
        for (String p : new LinkedHashSet<>(points.stream().map(r -> r.get("platform")).toList())) {
            for (int from = 0; from < ids.size(); from += 5) {
                List<String> block = ids.subList(from, Math.min(ids.size(), from + 5));
                sb.append('\n').append(pad(p, 12)).append(lpad("dev", 5)).append(lpad("vms", 5));
                for (String id : block) sb.append(lpad(label(id), 10));
                sb.append('\n');
                Map<String, Map<String, String>> cells = new LinkedHashMap<>();
                for (Map<String, String> r : points) {
                    if (r.get("platform").equals(p)) cells.put(r.get("devices") + "|" + r.get("vms") + "|" + r.get("strategy"), r);
                }
                LinkedHashSet<String> dv = new LinkedHashSet<>();
                for (Map<String, String> r : points) if (r.get("platform").equals(p)) dv.add(r.get("devices") + "|" + r.get("vms"));
                for (String k : dv) {
                    String[] d = k.split("\\|");
                    sb.append(pad("", 12)).append(lpad(d[0], 5)).append(lpad(d[1], 5));
                    for (String id : block) {
                        Map<String, String> c = cells.get(k + "|" + id);
                        sb.append(lpad(c == null ? "-" : ms(Long.parseLong(c.get("makespan_ns"))), 10));
                    }
                    sb.append('\n');
                }
            }
        }
        List<Map<String, String>> sens = sweepRows("sensitivity");
        if (!sens.isEmpty()) {
            sb.append("\nSensitivity at ").append(sens.get(0).get("devices")).append(" devices, ").append(sens.get(0).get("vms"))
                    .append(" VMs: each cost row moved to its low and its\nhigh end; ranking by makespan, fastest first ('=' a tie),\n");
            sb.append("spread = slowest minus fastest. Rows that change the ranking:\n");
            for (SensitivityPanel sp : sensitivity()) {
                sb.append('\n').append(Columns.wrapLine(sp.platform() + ": default " + labels(sp.defaultRanking()) + ", spread "
                        + us(sp.defaultSpread()) + " us", "      ")).append('\n');
                int n = 0;
                for (SensitivityRow r : sp.rows()) {
                    for (int end = 0; end < 2; end++) {
                        String ranking = end == 0 ? r.lowRanking() : r.highRanking();
                        if (ranking.equals(sp.defaultRanking())) continue;
                        n++;
                        String v = plainNum(end == 0 ? r.lowValue() : r.highValue());
                        sb.append(Columns.wrapLine("  " + r.row() + " " + (end == 0 ? "low " : "high ") + v + ": " + labels(ranking)
                                + ", spread " + us(end == 0 ? r.lowSpread() : r.highSpread()) + " us", "      ")).append('\n');
                    }
                }
                if (n == 0) sb.append("  none\n");
            }
        }
        return sb.toString();
    }

    /** The swept strategies in report order (S1, S2, ...), then any the report does not list. */
    private List<String> sweepIds(List<Map<String, String>> points) {
        List<String> ids = new ArrayList<>();
        for (StrategyLine l : strategies) if (points.stream().anyMatch(r -> r.get("strategy").equals(l.id()))) ids.add(l.id());
        for (Map<String, String> r : points) if (!ids.contains(r.get("strategy"))) ids.add(r.get("strategy"));
        return ids;
    }

    private static final Pattern ID = Pattern.compile("[^<=]+");

    /** A ranking "a<b=c" with S numbers for ids. */
    String labels(String ranking) {
        Matcher m = ID.matcher(ranking);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(label(m.group())));
        m.appendTail(sb);
        return sb.toString();
    }

    record SensitivityRow(String row, double lowValue, double highValue, long lowSpread, long highSpread, String lowRanking, String highRanking) {}

    record SensitivityPanel(String platform, long defaultSpread, String defaultRanking, List<SensitivityRow> rows) {}

    /** sweep.csv's sensitivity rows per platform: the default point and each moved row's two ends. */
    List<SensitivityPanel> sensitivity() {
        List<SensitivityPanel> out = new ArrayList<>();
        List<Map<String, String>> sens = sweepRows("sensitivity");
        for (String p : new LinkedHashSet<>(sens.stream().map(r -> r.get("platform")).toList())) {
            Map<String, List<Map<String, String>>> byEnd = new LinkedHashMap<>();
            for (Map<String, String> r : sens) {
                if (r.get("platform").equals(p)) byEnd.computeIfAbsent(r.get("cost_row") + "|" + r.get("cost_value"), k -> new ArrayList<>()).add(r);
            }
            List<Map<String, String>> dflt = byEnd.getOrDefault("|", List.of());
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
                        byEnd.get(lo).get(0).get("ranking"), byEnd.get(hi).get(0).get("ranking")));
            }
            out.add(new SensitivityPanel(p, spread(dflt), dflt.get(0).get("ranking"), rows));
        }
        return out;
    }

    private static long spread(List<Map<String, String>> rows) {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Map<String, String> r : rows) {
            long v = Long.parseLong(r.get("makespan_ns"));
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
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

    // ---- explore ---------------------------------------------------------------------------

    private String exploreText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Bounded exhaustive searches: per invariant, the length (in actions)\n");
        sb.append("of the shortest counterexample found; 'goal': the shortest path to\n");
        sb.append("secure DMA. Counts are the explorer's own, not wall time.\n");
        for (CsvInput c : explore) {
            sb.append('\n').append("from ").append(c.source()).append(":\n");
            for (Map<String, String> r : c.rows()) {
                sb.append(Columns.wrapLine("  " + r.getOrDefault("run", "?") + ": " + r.getOrDefault("strategy", "?") + " on "
                        + r.getOrDefault("platform", "?") + ", " + r.getOrDefault("vms", "?") + " VM(s), " + r.getOrDefault("mode", "?")
                        + " depth <= " + r.getOrDefault("depth_bound", "?") + ", preemptions <= " + r.getOrDefault("preemption_bound", "?"), "      "))
                        .append('\n');
                sb.append(Columns.wrapLine("    " + r.getOrDefault("distinct", "?") + " distinct states, depth " + r.getOrDefault("depth_reached", "?")
                        + ", stop " + r.getOrDefault("stop", "?") + ", exhausted " + r.getOrDefault("exhausted", "?"), "      ")).append('\n');
                List<String> found = new ArrayList<>();
                for (String h : c.header()) {
                    if (!h.matches("I[0-9]+")) continue;
                    String v = r.get(h);
                    if (v.startsWith("violated:")) found.add(h + " " + v.substring("violated:".length()));
                }
                String goal = r.getOrDefault("goal", "");
                sb.append(Columns.wrapLine("    violated: " + (found.isEmpty() ? "none" : String.join(", ", found))
                        + (goal.startsWith("reached:") ? "; goal " + goal.substring("reached:".length()) : goal.isEmpty() ? "" : "; goal " + goal), "      "))
                        .append('\n');
            }
        }
        return sb.toString();
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
                    TraceLanes.window(TraceLanes.rows(t.lines()), 24, 30)));
        }
        if (!latency.isEmpty()) {
            List<Charts.BarPanel> panels = new ArrayList<>();
            for (String p : latencyPlatforms()) {
                List<Charts.Bar> bars = new ArrayList<>();
                for (Latency l : latencyOn(p)) {
                    bars.add(new Charts.Bar(label(l.strategy()) + " " + l.strategy(), l.ns() / 1e3, l.lowNs() / 1e3, l.highNs() / 1e3,
                            l.secureDma() ? "" : "(no secure DMA)", colour(l.strategy())));
                }
                panels.add(new Charts.BarPanel(p, bars));
            }
            out.put("latency", Charts.rangeBars("Modeled latency of " + latency.get(0).scenario() + " (modeled, not measured)",
                    "us of modeled time (log scale); whisker: all rows low..high", panels, Double.NaN, RunReport::num3, true));
        }
        if (bench != null && !benchRows().isEmpty()) out.put("bench", benchChart());
        if (sweep != null) {
            out.put("sweep", sweepChart());
            out.put("sensitivity", sensitivityChart());
        }
    }

    private String benchChart() {
        Map<String, List<Charts.Bar>> panels = new LinkedHashMap<>();
        for (Map<String, String> r : bench.rows()) {
            String ratio = r.getOrDefault("ratio", "");
            if (ratio.isEmpty()) continue;
            Map<String, String> ref = bench.rows().stream().filter(x -> x.get("benchmark").equals(r.get("benchmark"))
                    && x.get("platform").equals(r.get("platform")) && x.get("strategy").equals(r.get("ratio_to"))).findFirst().orElse(null);
            double q = Double.parseDouble(ratio), err = Double.NaN;
            if (ref != null) {
                double a = rel(r), b = rel(ref);
                err = q * Math.sqrt(a * a + (ref == r ? 0 : b * b));
            }
            String note = r.get("strategy").equals(r.get("ratio_to")) ? "ref" : "true".equals(r.get("significant")) ? "*" : "";
            panels.computeIfAbsent(r.get("benchmark").replace("Bench", "") + " " + r.get("platform"), k -> new ArrayList<>())
                    .add(new Charts.Bar(r.get("strategy"), q, Double.isNaN(err) ? Double.NaN : q - err, Double.isNaN(err) ? Double.NaN : q + err, note,
                            colour(r.get("strategy"))));
        }
        List<Charts.BarPanel> ps = new ArrayList<>();
        for (var e : panels.entrySet()) ps.add(new Charts.BarPanel(e.getKey(), e.getValue()));
        return Charts.rangeBars("Measured harness time per op (the model's own cost, JMH), ratio to the reference",
                "ratio; whisker: 99.9% error; * error bars do not overlap", ps, 1.0, v -> String.format(Locale.ROOT, "%.2f", v));
    }

    /** A strategy's colour in every chart: its S number's series (the unrouted baseline takes the last). */
    private int colour(String id) {
        for (int i = 0; i < strategies.size(); i++) if (strategies.get(i).id().equals(id)) return i;
        return 7;
    }

    private static double rel(Map<String, String> r) {
        String e = r.getOrDefault("ns_op_error", "");
        double ns = Double.parseDouble(r.get("ns_op"));
        return e.isEmpty() || ns <= 0 ? 0 : Double.parseDouble(e) / ns;
    }

    private String sweepChart() {
        List<Map<String, String>> points = sweepRows("point");
        List<Charts.LinePanel> panels = new ArrayList<>();
        for (String p : new LinkedHashSet<>(points.stream().map(r -> r.get("platform")).toList())) {
            int vms = points.stream().filter(r -> r.get("platform").equals(p)).mapToInt(r -> Integer.parseInt(r.get("vms"))).max().orElse(1);
            List<Charts.Series> series = new ArrayList<>();
            for (String id : sweepIds(points)) {
                List<Map<String, String>> pts = points.stream().filter(r -> r.get("platform").equals(p) && r.get("strategy").equals(id)
                        && Integer.parseInt(r.get("vms")) == vms).sorted(Comparator.comparingInt(r -> Integer.parseInt(r.get("devices")))).toList();
                if (pts.isEmpty()) continue;
                double[] xs = pts.stream().mapToDouble(r -> Double.parseDouble(r.get("devices"))).toArray();
                double[] ys = pts.stream().mapToDouble(r -> Math.max(1, Long.parseLong(r.get("makespan_ns"))) / 1e6).toArray();
                series.add(new Charts.Series(label(id) + " " + id, xs, ys, colour(id)));
            }
            panels.add(new Charts.LinePanel(p + ", " + vms + " VM(s)", series));
        }
        return Charts.lines("Sweep: bring-up makespan against device count (modeled)", "devices (log scale)",
                "makespan, ms (log scale)", panels, RunReport::num3);
    }

    private String sensitivityChart() {
        List<Charts.SwingPanel> panels = new ArrayList<>();
        for (SensitivityPanel sp : sensitivity()) {
            List<SensitivityRow> rows = new ArrayList<>(sp.rows());
            rows.sort(Comparator.comparingLong((SensitivityRow r) -> -Math.max(Math.abs(r.lowSpread() - sp.defaultSpread()),
                    Math.abs(r.highSpread() - sp.defaultSpread()))).thenComparing(SensitivityRow::row));
            List<Charts.Swing> swings = new ArrayList<>();
            for (SensitivityRow r : rows.subList(0, Math.min(12, rows.size()))) {
                boolean reorders = !r.lowRanking().equals(sp.defaultRanking()) || !r.highRanking().equals(sp.defaultRanking());
                swings.add(new Charts.Swing(r.row(), r.lowSpread() / 1e3, r.highSpread() / 1e3, reorders ? "(ranking changes)" : ""));
            }
            panels.add(new Charts.SwingPanel(sp.platform() + ": default ranking " + labels(sp.defaultRanking()), sp.defaultSpread() / 1e3, swings));
        }
        return Charts.tornado("Sensitivity: spread of makespans (slowest - fastest) per cost row (modeled)",
                "spread, us", panels, RunReport::num3);
    }

    private static String plainNum(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
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

    private static String pad(String s, int w) {
        if (s.length() > w - 1) s = s.substring(0, w - 1);
        return s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
