package tdisp.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tdisp.output.Columns;
import tdisp.output.Csv;
import tdisp.referee.Claim;
import tdisp.referee.Verdict;

/** The conformance table: conformance.csv (one row per claim) and the 72-column conformance.txt. */
public final class ConformanceTable {
    static final List<String> HEADER = List.of("recording", "scenario", "platform", "actor", "claim", "model", "kernel",
            "verdict", "detail");
    private static final int[] WIDTHS = {28, 15, 14, 12};

    private ConformanceTable() {}

    public static String csv(List<Claim> claims) {
        List<List<String>> rows = new ArrayList<>();
        for (Claim c : claims) {
            rows.add(List.of(c.recording(), c.scenario(), c.platform(), c.actor(), c.kind(), c.model(), c.kernel(),
                    c.verdict().word(), c.detail()));
        }
        return Csv.render(HEADER, rows);
    }

    /** The table, the counts by verdict, the legend, and one note per claim that does not agree. */
    public static String text(String strategy, List<Claim> claims) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model (").append(strategy).append(") against the kernel's recorded call orders\n\n");
        row(sb, "claim", "model", "kernel", "verdict");
        sb.append("-".repeat(Columns.WIDTH)).append('\n');
        for (Claim c : claims) row(sb, c.label(), c.model(), c.kernel(), c.verdict().word());
        Map<Verdict, Integer> n = counts(claims);
        sb.append('\n');
        List<String> parts = new ArrayList<>();
        for (Verdict v : Verdict.values()) parts.add(n.getOrDefault(v, 0) + " " + v.word());
        sb.append(Columns.wrapLine(claims.size() + " claims: " + String.join(", ", parts) + ".", "  ")).append("\n\n");
        String legend = """
                order: the actor's calls, as far as the recording's filter \
                shows them, are a subsequence of one kernel task's calls \
                after '@ setup-done'. nesting: each call the model nests \
                under another is, at its in-order match, inside a call of \
                that name. no-tdisp: the kernel cannot take this path \
                without TDISP hardware (a bound TDI), so no recording can \
                check it. not recorded / not modelled: nothing was checked.""";
        sb.append(Columns.wrapLine(legend, "")).append('\n');
        boolean first = true;
        for (Claim c : claims) {
            if (c.detail().isEmpty() || c.verdict() == Verdict.AGREE) continue;
            if (first) sb.append("\nNotes\n");
            first = false;
            sb.append(Columns.wrapLine("- " + c.label() + ": " + c.detail(), "  ")).append('\n');
        }
        return sb.toString();
    }

    public static Map<Verdict, Integer> counts(List<Claim> claims) {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (Claim c : claims) n.merge(c.verdict(), 1, Integer::sum);
        return n;
    }

    private static void row(StringBuilder sb, String... cells) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 0;
        for (int i = 0; i < cells.length; i++) {
            List<String> w = wrap(cells[i], WIDTHS[i]);
            wrapped.add(w);
            lines = Math.max(lines, w.size());
        }
        for (int l = 0; l < lines; l++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                String part = l < wrapped.get(i).size() ? wrapped.get(i).get(l) : "";
                line.append(i == cells.length - 1 ? part : String.format("%-" + WIDTHS[i] + "s ", part));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** Words into lines of at most {@code width}; a longer word is cut. */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (cur.length() > 0) { out.add(cur.toString()); cur.setLength(0); }
                out.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (cur.length() > 0 && cur.length() + 1 + word.length() > width) { out.add(cur.toString()); cur.setLength(0); }
            if (cur.length() > 0) cur.append(' ');
            cur.append(word);
        }
        if (cur.length() > 0 || out.isEmpty()) out.add(cur.toString());
        return out;
    }
}
