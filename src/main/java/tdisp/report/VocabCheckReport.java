package tdisp.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tdisp.output.Columns;
import tdisp.output.Csv;
import tdisp.vocab.DefinitionIndex;
import tdisp.vocab.SourceCheck;

/**
 * tdisp vocab-check's outputs: the index (every definition site of every vocabulary name),
 * the verdict table as CSV (one record a vocabulary row) and as 72-column text (the counts,
 * the rows that fail, then every row). The command puts the setup at the head of each.
 *
 * @param tree the checked tree's release, e.g. "7.2.13"
 */
public record VocabCheckReport(String tree, List<SourceCheck.Row> rows, DefinitionIndex index) {
    public static final List<String> VERDICT_HEADER = List.of("name", "platform", "kind", "label", "verdict", "path", "sites", "checked");

    public VocabCheckReport {
        rows = List.copyOf(rows);
    }

    public String indexCsv() {
        List<List<Object>> out = new ArrayList<>();
        for (DefinitionIndex.Site s : index.all()) out.add(List.of(s.name(), s.kind(), s.path(), s.line(), s.detail()));
        return Csv.render(DefinitionIndex.HEADER, out);
    }

    public String csv() {
        List<List<Object>> out = new ArrayList<>();
        for (SourceCheck.Row r : rows) {
            out.add(List.of(r.entry().name(), r.entry().platform(), r.entry().kind(), r.entry().label(), r.verdict().token(),
                    r.path(), sites(r), r.checked()));
        }
        return Csv.render(VERDICT_HEADER, out);
    }

    public String text() {
        Map<SourceCheck.Verdict, Integer> counts = new EnumMap<>(SourceCheck.Verdict.class);
        for (SourceCheck.Row r : rows) counts.merge(r.verdict(), 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        sb.append("Vocabulary source check: ").append(rows.size()).append(" rows against Linux ").append(tree).append('\n');
        sb.append(SourceCheck.passes(rows) ? "PASS: every row is where its label says\n" : "FAIL: rows to correct below\n");
        sb.append('\n');
        for (SourceCheck.Verdict v : SourceCheck.Verdict.values()) {
            sb.append(String.format("%5d  %-9s  %s%s%n", counts.getOrDefault(v, 0), v.token(), v.meaning(), v.ok() ? "" : " (fails)"));
        }
        List<SourceCheck.Row> failing = rows.stream().filter(r -> !r.verdict().ok()).toList();
        if (!failing.isEmpty()) {
            sb.append("\nRows that fail:\n");
            for (SourceCheck.Row r : failing) row(sb, r);
        }
        sb.append("\nEvery row:\n");
        for (SourceCheck.Row r : rows) row(sb, r);
        return sb.toString();
    }

    private static final String INDENT = " ".repeat(11);

    private static void row(StringBuilder sb, SourceCheck.Row r) {
        var e = r.entry();
        sb.append(Columns.wrapLine(String.format("%-9s  %s (%s, %s, %s)", r.verdict().token(), e.name(), e.platform(), e.kind(), e.label()), INDENT))
                .append('\n');
        boolean mainline = e.label().equals("mainline");
        if (mainline) sb.append(Columns.wrapLine(INDENT + "row: " + (r.path().isEmpty() ? "(names no file)" : r.path()), INDENT)).append('\n');
        if (!r.sites().isEmpty()) sb.append(Columns.wrapLine(INDENT + "tree: " + sites(r).replace(";", "; "), INDENT)).append('\n');
        else if (mainline) sb.append(INDENT).append("tree: no definition\n");
    }

    /** A row's sites, "path:line" joined with ';' (a member also names its struct). */
    private static String sites(SourceCheck.Row r) {
        List<String> out = new ArrayList<>();
        for (DefinitionIndex.Site s : r.sites()) out.add(s.path() + ":" + s.line() + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")"));
        return String.join(";", out);
    }
}
