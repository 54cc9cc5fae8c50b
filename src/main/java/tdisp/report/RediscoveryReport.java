package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.explore.Exploration;
import tdisp.explore.ExplorerResult;
import tdisp.output.Columns;

/**
 * The rediscovery suite's verdicts: one line a run (found or not, the invariant and the kernel
 * function it breaks at), the runs' one-line summaries, and, under --check-por, whether the
 * reduced search reported what the full one did. Opens rediscovery.txt and closes the run on
 * stdout, so the verdict of a pasted file is on its first lines.
 */
public final class RediscoveryReport {
    private RediscoveryReport() {}

    /** One run of a known bug: the buggy or the fixed kernel, and whether the invariant broke at its site. */
    public record Verdict(String caseId, boolean buggy, boolean found, boolean exhausted, String invariant, String site) {
        String line() {
            // The verdict first, so that it stays on the prefixed line when the 72-column wrap splits it.
            return String.format("%s: %s %s, %s at %s", found ? "FOUND" : exhausted ? "absent (exhausted)" : "absent (partial)",
                    caseId, buggy ? "bug" : "fixed", invariant, site);
        }
    }

    /** A reduced run against the same run without reduction. */
    public record PorCheck(String label, boolean exhausted, long reducedDistinct, long fullDistinct, Map<String, Integer> reducedSites,
                           Map<String, Integer> fullSites, int reducedGoal, int fullGoal, long reducedGenerated, long fullGenerated) {
        public static PorCheck of(Exploration.Run reduced, Exploration.Run full) {
            ExplorerResult r = reduced.result(), f = full.result();
            return new PorCheck(reduced.label(), r.exhausted() && f.exhausted(), r.distinct(), f.distinct(), r.violationSites(), f.violationSites(),
                    r.goal() == null ? -1 : r.goal().size(), f.goal() == null ? -1 : f.goal().size(), r.generated(), f.generated());
        }

        /** Same states, same violations (invariant and breaking step), same shortest goal. */
        public boolean same() {
            return reducedDistinct == fullDistinct && reducedSites.equals(fullSites) && reducedGoal == fullGoal;
        }

        /** Only an exhausted pair can disagree: a partial run's counts depend on where it stopped. */
        public boolean mismatch() { return exhausted && !same(); }

        String line() {
            if (!exhausted) return String.format("POR unchecked (a run was not exhausted): %s", label);
            return same()
                    ? String.format(Locale.ROOT, "reduced = full: %s, %,d states, %d violation sites, %,d transitions against %,d (%.2fx)",
                            label, reducedDistinct, reducedSites.size(), reducedGenerated, fullGenerated, (double) fullGenerated / Math.max(1, reducedGenerated))
                    : String.format(Locale.ROOT, "POR MISMATCH %s: reduced %,d states %s, full %,d states %s", label, reducedDistinct, reducedSites,
                            fullDistinct, fullSites);
        }
    }

    /** How the suite ended, which decides its last line. */
    public enum Ending { FOUND_ALL, FOUND_ALL_INCOMPLETE, MISSED, INTERRUPTED, POR_MISMATCH }

    /** Every line prefixed "rediscover: ", wrapped to 72 columns. */
    public static String text(List<Verdict> verdicts, List<Exploration.Run> runs, List<PorCheck> porChecks, Ending ending,
                              List<String> missed, int planned) {
        List<String> lines = new ArrayList<>();
        for (Verdict v : verdicts) lines.add(v.line());
        for (Exploration.Run r : runs) lines.add(ExploreReport.runLine(r));
        for (PorCheck p : porChecks) lines.add(p.line());
        lines.add(switch (ending) {
            case POR_MISMATCH -> "the reduced search differs from the full one";
            case INTERRUPTED -> "INTERRUPTED after " + runs.size() + " of " + planned + " runs";
            case FOUND_ALL -> "every known bug found within the bounds";
            case FOUND_ALL_INCOMPLETE -> "every known bug found; INCOMPLETE: a run stopped on --time or --max-states before its bounds were exhausted";
            case MISSED -> "MISSED " + String.join(", ", missed);
        });
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append("rediscover: ").append(l).append('\n');
        return Columns.wrap(sb.toString());
    }
}
