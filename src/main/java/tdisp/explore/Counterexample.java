package tdisp.explore;

import java.util.List;

/** A shortest (bfs) or minimised (random) action sequence ending in a violation. */
public record Counterexample(String invariant, String detail, List<Integer> actions) {
    public int length() { return actions.size(); }

    /** The kernel step that broke the invariant (the "[at ...]" of the detail), or "". */
    public String site() { return siteOf(detail); }

    static String siteOf(String detail) {
        int i = detail.lastIndexOf("[at ");
        return i < 0 || !detail.endsWith("]") ? "" : detail.substring(i + 4, detail.length() - 1);
    }

    /** Counterexamples are kept per invariant and per site: one root cause must not hide another. */
    static String key(String invariant, String detail) { return invariant + "@" + siteOf(detail); }

    /**
     * Counterexample keys in the model's invariant order, then by site. It captures only the
     * list: the result's map must not keep the explorer (and its seen set) alive.
     */
    static java.util.Comparator<String> keyOrder(List<String> order) {
        return (a, b) -> {
            int c = Integer.compare(order.indexOf(a.substring(0, a.indexOf('@'))), order.indexOf(b.substring(0, b.indexOf('@'))));
            return c != 0 ? c : a.compareTo(b);
        };
    }
}
