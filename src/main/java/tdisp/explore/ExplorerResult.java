package tdisp.explore;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a search found and how far it got.
 *
 * @param depthExhausted every state within this many actions was generated and checked
 * @param slept enabled transitions the sleep sets skipped: the full search, which expands
 *     the same states, executes generated + slept
 */
public record ExplorerResult(ExplorerConfig config, long generated, long slept, long distinct, int depthReached, int depthExhausted,
                             Explorer.Stop stop, boolean exhausted, long frontierAtBound, Map<String, Counterexample> counterexamples,
                             List<Integer> goal, boolean[] covered, boolean fingerprints, double collisionOptimistic, double collisionActual,
                             long elapsedNanos, RunInfo runInfo) {
    /** The shortest counterexample of an invariant over all sites, or null. */
    public Counterexample shortest(String invariant) {
        Counterexample best = null;
        for (Counterexample c : counterexamples.values()) {
            if (c.invariant().equals(invariant) && (best == null || c.length() < best.length())) best = c;
        }
        return best;
    }

    /** Whether a counterexample of this invariant breaks at a step whose name contains {@code site}. */
    public boolean violatedAt(String invariant, String site) {
        for (Counterexample c : counterexamples.values()) if (c.invariant().equals(invariant) && c.site().contains(site)) return true;
        return false;
    }

    /**
     * Every violation as "invariant at breaking step" with its shortest length: what a
     * reduced search must report exactly as the full one does.
     */
    public Map<String, Integer> violationSites() {
        Map<String, Integer> out = new TreeMap<>();
        for (Counterexample c : counterexamples.values()) out.merge(c.invariant() + " at " + c.site(), c.length(), Math::min);
        return out;
    }

    /** Transitions the full search executes over the transitions this one executed (1 without reduction). */
    public double reduction() { return (double) (generated + slept) / Math.max(1, generated); }

    public int coveredCount() {
        int n = 0;
        for (boolean b : covered) if (b) n++;
        return n;
    }
}
