package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.output.Columns;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;

/** The report's Answer (what each routing breaks, and why) and its sources: what the data says and no more. */
final class AnswerSection {
    private AnswerSection() {}

    private static final Pattern SITE = Pattern.compile("^(I[0-9]+): (.*?)(?: \\[at ([^\\]]*)\\])?$");

    /**
     * What each routing breaks on each platform (the invariants of its violated scenarios),
     * then why: per invariant and platform the commonest first break, in the kernel's words,
     * from compare's first_violation column. Computed from correctness.csv alone, so it says
     * what the data says and no more.
     */
    static String text(RunReport r) {
        StringBuilder sb = new StringBuilder();
        for (String p : r.partialInputs()) sb.append(Columns.wrapLine("PARTIAL INPUT: " + p, "    ")).append('\n');
        if (!r.partialInputs().isEmpty()) sb.append('\n');
        List<ScenarioResult> rs = r.correctness().rows();
        List<String> ids = new ArrayList<>(r.strategies().stream().map(RunReport.StrategyLine::id).toList());
        for (String id : CorrectnessSection.distinct(r, ScenarioResult::strategy)) if (!ids.contains(id)) ids.add(id);
        List<String> ps = CorrectnessSection.platforms(r);
        Map<String, TreeSet<String>> broken = new LinkedHashMap<>();
        TreeSet<String> all = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        int cellsBroken = 0, cells = 0;
        for (String id : ids) {
            for (String p : ps) {
                TreeSet<String> inv = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
                boolean ran = false;
                for (ScenarioResult x : rs) {
                    if (!x.strategy().equals(id) || !x.platform().equals(p)) continue;
                    ran = true;
                    if (x.verdict() == ScenarioResult.Verdict.VIOLATION) inv.addAll(x.violated());
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
        boolean table = broken.values().stream().allMatch(v -> String.join(" ", v).length() < col) && lab + col * ps.size() <= RunReport.WIDTH;
        if (table) {
            StringBuilder head = new StringBuilder(pad("", lab));
            for (String p : ps) head.append(pad(p, col));
            sb.append(head.toString().stripTrailing()).append('\n');
        }
        for (String id : ids) {
            if (table) {
                StringBuilder row = new StringBuilder(pad(r.label(id) + " " + id, lab));
                for (String p : ps) {
                    TreeSet<String> v = broken.get(id + "|" + p);
                    row.append(pad(v == null ? "-" : v.isEmpty() ? "none" : String.join(" ", v), col));
                }
                sb.append(row.toString().stripTrailing()).append('\n');
            } else {
                sb.append(r.label(id)).append(' ').append(id).append('\n');
                for (String p : ps) {
                    TreeSet<String> v = broken.get(id + "|" + p);
                    sb.append(Columns.wrapLine("    " + p + ": " + (v == null ? "-" : v.isEmpty() ? "none" : String.join(" ", v)), "      ")).append('\n');
                }
            }
        }
        // why: the commonest first break per invariant and platform
        Map<String, Map<String, Integer>> firsts = new LinkedHashMap<>();
        for (ScenarioResult x : rs) {
            Matcher m = SITE.matcher(x.firstViolation() == null ? "" : x.firstViolation());
            if (!m.matches()) continue;
            String what = m.group(2).replaceAll("\\b(dev|vmm|vm)[0-9]+\\b", "$1N") + (m.group(3) == null ? "" : " [at " + m.group(3) + "]");
            firsts.computeIfAbsent(m.group(1) + "|" + x.platform(), k -> new LinkedHashMap<>()).merge(what, 1, Integer::sum);
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
        if (!r.traces().isEmpty()) sb.append(Columns.wrapLine("\nPictured: " + r.traces().get(0).title() + ".", "")).append('\n');
        return sb.toString();
    }

    /** The invariant's name from the model's catalogue ("I2 firmware-refusal-handled"). */
    private static String meaning(String inv) {
        for (tdisp.world.Invariant i : tdisp.world.Invariants.CATALOGUE) if (i.id().equals(inv)) return i.name();
        return "";
    }

    static String sources(RunReport r) {
        StringBuilder sb = new StringBuilder();
        for (Input<?> c : r.inputs()) {
            sb.append(Columns.wrapLine("source: " + c.source() + ", " + c.rows().size() + " rows", "        ")).append('\n');
            for (Provenance.Fact f : c.provenance().facts()) {
                sb.append(Columns.wrapLine("  " + f.key() + ": " + f.value(), "      ")).append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w) { return RunReport.pad(s, w); }
}
