package tdisp.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a counterexample by deleting actions while the same invariant still fails
 * (DSLabs' trace minimisation, one deletion at a time until nothing more can go). The
 * result is 1-minimal: removing any single action loses the violation.
 */
final class Minimiser {
    private Minimiser() {}

    static List<Integer> minimise(Model m, List<Integer> walk, String invariant) {
        List<Integer> cur = truncate(m, walk, invariant);
        if (cur == null) return List.copyOf(walk);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < cur.size(); i++) {
                List<Integer> cand = new ArrayList<>(cur);
                cand.remove(i);
                List<Integer> t = truncate(m, cand, invariant);
                if (t != null) {
                    cur = t;
                    changed = true;
                    i--;
                }
            }
        }
        return List.copyOf(cur);
    }

    /**
     * Replays from the initial state; returns the prefix that ends at the first violation
     * of {@code invariant}, or null if an action is not enabled or the invariant holds.
     */
    static List<Integer> truncate(Model m, List<Integer> actions, String invariant) {
        m.reset();
        for (int i = 0; i < actions.size(); i++) {
            int a = actions.get(i);
            if (!m.enabled(a)) return null;
            m.apply(a);
            for (Model.Finding f : m.findings()) if (f.invariant().equals(invariant)) return List.copyOf(actions.subList(0, i + 1));
            if (!m.findings().isEmpty()) return null;
        }
        return null;
    }

    /** The detail the invariant reports at the end of a (minimised) sequence. */
    static String detail(Model m, List<Integer> actions, String invariant) {
        m.reset();
        for (int a : actions) {
            m.apply(a);
            for (Model.Finding f : m.findings()) if (f.invariant().equals(invariant)) return f.detail();
        }
        return "";
    }
}
