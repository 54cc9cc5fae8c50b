package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

import tdisp.output.Columns;
import tdisp.report.chart.SequenceDiagram;
import tdisp.scenario.ScenarioResult;

/** The report's correctness counts and matrix (compare's cells) and its counterexample excerpts (the traced runs). */
final class CorrectnessSection {
    private CorrectnessSection() {}

    static List<String> platforms(RunReport r) { return distinct(r, ScenarioResult::platform); }

    static List<String> distinct(RunReport r, Function<ScenarioResult, String> col) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        for (ScenarioResult x : r.correctness().rows()) s.add(col.apply(x));
        return new ArrayList<>(s);
    }

    static String text(RunReport report) {
        List<ScenarioResult> rs = report.correctness().rows();
        List<String> ids = new ArrayList<>(report.strategies().stream().map(RunReport.StrategyLine::id).toList());
        for (String id : distinct(report, ScenarioResult::strategy)) if (!ids.contains(id)) ids.add(id);
        List<String> ps = platforms(report);
        List<String> scs = distinct(report, ScenarioResult::scenario);
        StringBuilder sb = new StringBuilder();
        countTable(report, sb, "Scenarios with a violated invariant, per strategy and platform:", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.VIOLATION);
        countTable(report, sb, "Of those, scenarios breaking a rule (spec, firmware, kernel):", rs, ids, ps,
                r -> !r.rulesViolated().isEmpty());
        countTable(report, sb, "Of those, scenarios breaking only a policy (" + String.join(", ", Matrix.policies()) + "):", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.VIOLATION && r.rulesViolated().isEmpty());
        countTable(report, sb, "Scenarios not reached (bring-up stopped short; no pass):", rs, ids, ps,
                r -> r.verdict() == ScenarioResult.Verdict.NOT_REACHED);
        sb.append(Matrix.render(rs, ids, ps, scs));
        return sb.toString();
    }

    private static void countTable(RunReport report, StringBuilder sb, String title, List<ScenarioResult> rs, List<String> ids, List<String> ps,
                            java.util.function.Predicate<ScenarioResult> counted) {
        sb.append(Columns.wrapLine(title, "  ")).append("\n\n");
        sb.append(pad("", 24));
        for (String p : ps) sb.append(lpad(p, 13));
        sb.append('\n');
        for (String id : ids) {
            sb.append(pad("  " + report.label(id) + " " + id, 24));
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

    static String counterexamples(RunReport report) {
        StringBuilder sb = new StringBuilder();
        if (report.traces().isEmpty()) sb.append("No run traced.\n");
        for (RunReport.TraceRun t : report.traces()) {
            sb.append(Columns.wrapLine(t.title() + ": " + t.verdict(), "    ")).append('\n');
            List<SequenceDiagram.Row> rows = TraceLanes.rows(t.events());
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

    static List<String> traceChartNames(RunReport report) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < report.traces().size(); i++) names.add("sequence-" + (i + 1));
        return names;
    }

    private static String pad(String s, int w) { return RunReport.pad(s, w); }

    private static String lpad(String s, int w) { return RunReport.lpad(s, w); }
}
