package tdisp.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tdisp.scenario.ScenarioResult;

/**
 * The plain-text matrix for a mail reply: per platform, scenarios down, strategies across
 * (at most five per block, so lines stay within 72 columns). A cell lists the violated
 * invariant numbers; "." is a pass, "n/a" not applicable, "n/r" not reached (bring-up never
 * got where the scenario starts); a trailing "*" says the cell rests on a named assumption,
 * listed under the block. The counts keep rules (spec, firmware, kernel) and the project's
 * policies apart. A run with an injected fault says so above the matrix and under every
 * block, so its violations cannot pass for findings.
 */
public final class Matrix {
    private static final int NAME = 31;
    private static final int CELL = 8;
    private static final int WIDTH = 72;
    private static final int PER_BLOCK = 5;

    private Matrix() {}

    public static String render(List<ScenarioResult> results, List<String> strategies, List<String> platforms, List<String> scenarios) {
        return render(results, strategies, platforms, scenarios, List.of());
    }

    /** @param faults the --fault names the run injected (empty for a real run) */
    public static String render(List<ScenarioResult> results, List<String> strategies, List<String> platforms, List<String> scenarios,
                                List<String> faults) {
        Map<String, ScenarioResult> byKey = new LinkedHashMap<>();
        for (ScenarioResult r : results) byKey.put(r.strategy() + "|" + r.platform() + "|" + r.scenario(), r);
        StringBuilder sb = new StringBuilder();
        String injected = faults.isEmpty() ? null : "FAULT INJECTED: " + String.join(", ", faults);
        if (injected != null) {
            wrap(sb, "", injected + " (--fault): the violations below are the deliberate defect's, not findings about the designs.");
            sb.append('\n');
        }
        sb.append("Cells: violated invariants (1 = I1 ...); '.' = all hold;\n");
        sb.append("'n/r' = not reached (bring-up never got where the scenario\n");
        sb.append("starts); '*' = rests on a named assumption (`tdisp list`).\n");
        sb.append("Policies (the project's, not a spec's): ").append(String.join(", ", policies())).append(";\n");
        sb.append("every other invariant is a spec, firmware or kernel rule.\n");
        sb.append("teardown/ rows: iofd = iommufd, vdev = vDEVICE destroy.\n");
        for (int i = 0; i < strategies.size(); i++) sb.append(String.format("  S%d = %s%n", i + 1, strategies.get(i)));
        for (String p : platforms) {
            for (int from = 0; from < strategies.size(); from += PER_BLOCK) {
                int to = Math.min(strategies.size(), from + PER_BLOCK);
                sb.append('\n').append(pad("platform " + p, NAME));
                for (int i = from; i < to; i++) sb.append(lpad("S" + (i + 1), CELL));
                sb.append('\n');
                int[] fails = new int[strategies.size()], rules = new int[strategies.size()], notReached = new int[strategies.size()];
                for (String sc : scenarios) {
                    sb.append(pad(shortName(sc), NAME));
                    for (int i = from; i < to; i++) {
                        ScenarioResult r = byKey.get(strategies.get(i) + "|" + p + "|" + sc);
                        String cell = cell(r);
                        if (r != null && r.verdict() == ScenarioResult.Verdict.VIOLATION) fails[i]++;
                        if (r != null && !r.rulesViolated().isEmpty()) rules[i]++;
                        if (r != null && r.verdict() == ScenarioResult.Verdict.NOT_REACHED) notReached[i]++;
                        sb.append(lpad(cell, CELL));
                    }
                    sb.append('\n');
                }
                count(sb, "scenarios violated", fails, from, to, scenarios.size());
                count(sb, "  a rule (spec, fw, kernel)", rules, from, to, scenarios.size());
                int[] policyOnly = new int[fails.length];
                for (int i = 0; i < fails.length; i++) policyOnly[i] = fails[i] - rules[i];
                count(sb, "  a policy only", policyOnly, from, to, scenarios.size());
                count(sb, "not reached", notReached, from, to, scenarios.size());
                if (injected != null) wrap(sb, "", injected);
            }
            restsOn(sb, results, p);
            rootCauses(sb, results, p, injected);
            noSecureDma(sb, results, strategies, p);
            inertKnobs(sb, p);
        }
        return sb.toString();
    }

    private static void count(StringBuilder sb, String label, int[] n, int from, int to, int of) {
        sb.append(pad(label, NAME));
        for (int i = from; i < to; i++) sb.append(lpad(n[i] + "/" + of, CELL));
        sb.append('\n');
    }

    /** The policy invariants' ids, in catalogue order. */
    static List<String> policies() {
        return tdisp.world.Invariants.CATALOGUE.stream().filter(c -> !c.kind().rule()).map(tdisp.world.Invariant::id).toList();
    }

    /**
     * The cells marked '*', by assumption: how many, and in which scenarios, so a reader
     * sees which verdicts would move with the other reading.
     */
    private static void restsOn(StringBuilder sb, List<ScenarioResult> results, String platform) {
        Map<String, List<ScenarioResult>> by = new java.util.TreeMap<>();
        for (ScenarioResult r : results) {
            if (!r.platform().equals(platform)) continue;
            for (String a : r.assumptionIds()) by.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
        }
        if (by.isEmpty()) return;
        sb.append("\ncells resting on a named assumption (").append(platform).append("):\n");
        for (var e : by.entrySet()) {
            java.util.LinkedHashSet<String> scs = new java.util.LinkedHashSet<>();
            for (ScenarioResult r : e.getValue()) scs.add(shortName(r.scenario()));
            String list = scs.size() > 4 ? String.join(", ", new ArrayList<>(scs).subList(0, 4)) + ", ... (" + scs.size() + " scenarios)"
                    : String.join(", ", scs);
            wrap(sb, "  ", e.getKey() + ": " + e.getValue().size() + " cells: " + list);
        }
    }

    /**
     * Violating cells grouped by their first violation, which names the step that caused it:
     * many cells usually share one call site, and that is the thing to fix.
     */
    private static void rootCauses(StringBuilder sb, List<ScenarioResult> results, String platform, String injected) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            if (r.platform().equals(platform) && r.verdict() == ScenarioResult.Verdict.VIOLATION) counts.merge(r.firstViolation(), 1, Integer::sum);
        }
        if (counts.isEmpty()) return;
        sb.append("\nfirst violation of each failing cell (").append(platform).append("):\n");
        if (injected != null) wrap(sb, "  ", injected + ": some of these are the fault's");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> wrap(sb, String.format("%4d  ", e.getValue()), e.getKey()));
    }

    /**
     * A happy-path bring-up whose device DMA never landed holds every invariant and still
     * failed at its purpose: name those cells, so a '.' cannot pass for a working design.
     */
    private static void noSecureDma(StringBuilder sb, List<ScenarioResult> results, List<String> strategies, String platform) {
        List<String> cells = new ArrayList<>();
        for (ScenarioResult r : results) {
            if (r.platform().equals(platform) && r.scenario().equals("happy-bringup") && !r.secureDma().equals("yes")) {
                cells.add("S" + (strategies.indexOf(r.strategy()) + 1));
            }
        }
        if (cells.isEmpty()) return;
        sb.append('\n');
        wrap(sb, "", "happy-bringup without working secure DMA (" + platform + "): " + String.join(", ", cells));
    }

    /** Knobs that route only ops this platform never gives the host: no cell can show them. */
    private static void inertKnobs(StringBuilder sb, String platform) {
        List<String> inert = tdisp.world.Routing.inertKnobs(tdisp.platform.Platforms.get(platform));
        if (inert.isEmpty()) return;
        sb.append("\nknobs without effect on ").append(platform).append(":\n");
        for (String k : inert) wrap(sb, "  ", k);
    }

    private static void wrap(StringBuilder sb, String prefix, String text) {
        String indent = " ".repeat(prefix.length());
        String line = prefix;
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > WIDTH && !line.isBlank()) {
                sb.append(line.stripTrailing()).append('\n');
                line = indent;
            }
            line += word + " ";
        }
        sb.append(line.stripTrailing()).append('\n');
    }

    static String shortName(String scenario) {
        return scenario.startsWith("teardown/") ? scenario.replace("iommufd", "iofd").replace("vdevice", "vdev") : scenario;
    }

    static String cell(ScenarioResult r) {
        if (r == null) return "-";
        String mark = r.assumptions().isEmpty() ? "" : "*";
        int room = CELL - 1 - mark.length();
        String s = switch (r.verdict()) {
            case PASS -> ".";
            case NOT_APPLICABLE -> "n/a";
            case NOT_REACHED -> "n/r";
            case VIOLATION -> {
                List<String> n = new ArrayList<>();
                for (String v : r.violated()) n.add(v.substring(1));
                yield String.join(",", n);
            }
        };
        return (s.length() > room ? s.substring(0, room - 1) + "+" : s) + mark;
    }

    private static String pad(String s, int w) {
        if (s.length() > w - 1) s = s.substring(0, w - 1);
        return s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
