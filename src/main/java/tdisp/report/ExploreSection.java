package tdisp.report;

import java.util.ArrayList;
import java.util.List;

import tdisp.output.Columns;

/** The report's explore searches: per run its bounds, what it searched and the shortest counterexample per invariant. */
final class ExploreSection {
    private ExploreSection() {}

    static String text(RunReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append("Bounded exhaustive searches: per invariant, the length (in actions)\n");
        sb.append("of the shortest counterexample found; 'goal': the shortest path to\n");
        sb.append("secure DMA. Counts are the explorer's own, not wall time.\n");
        for (Input<ExploreReport.Line> c : report.explore()) {
            sb.append('\n').append("from ").append(c.source()).append(":\n");
            for (ExploreReport.Line r : c.rows()) {
                sb.append(Columns.wrapLine("  " + r.run() + ": " + r.strategy() + " on " + r.platform() + ", " + r.vms() + " VM(s), " + r.mode()
                        + " depth <= " + r.depthBound() + ", preemptions <= " + r.preemptionBound(), "      ")).append('\n');
                sb.append(Columns.wrapLine("    " + r.distinct() + " distinct states, depth " + r.depthReached()
                        + ", stop " + r.stop() + ", exhausted " + r.exhausted(), "      ")).append('\n');
                List<String> found = new ArrayList<>();
                for (var e : r.invariants().entrySet()) {
                    if (e.getValue().startsWith("violated:")) found.add(e.getKey() + " " + e.getValue().substring("violated:".length()));
                }
                String goal = r.goal();
                sb.append(Columns.wrapLine("    violated: " + (found.isEmpty() ? "none" : String.join(", ", found))
                        + (goal.startsWith("reached:") ? "; goal " + goal.substring("reached:".length()) : goal.isEmpty() ? "" : "; goal " + goal), "      "))
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
