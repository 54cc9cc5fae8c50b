package tdisp.explore;

import java.util.List;

/**
 * A given action sequence run on a tracing {@link WorldModel} and rendered as the trace
 * `tdisp replay` prints (counterexamples, replay files), with what it violated.
 */
final class ReplayTrace {
    private ReplayTrace() {}

    /**
     * Applies {@code actions} (to a tracing model in its initial state), appending the trace
     * in kernel names to {@code out}, one event per line with its modeled time. Returns the
     * violations seen ("I1: detail; ...") and "goal" if secure DMA in RUN was reached.
     */
    static String render(WorldModel m, List<Integer> actions, List<String> out) {
        var w = m.world();
        var tr = w.sim().trace();
        int from = tr.events().size();
        StringBuilder seen = new StringBuilder();
        boolean stopped = false;
        for (int a : actions) {
            if (stopped) break;
            if (!m.enabled(a)) {
                w.sim().note("==== " + m.actionName(a) + ": not enabled here; replay stops ====");
                break;
            }
            m.apply(a);
            for (Model.Finding f : m.findings()) {
                if (seen.length() > 0) seen.append("; ");
                seen.append(f.invariant()).append(": ").append(f.detail());
                stopped = true;
            }
            if (m.goalReached()) seen.append(seen.length() > 0 ? "; goal" : "goal: secure DMA landed with the TDI in RUN");
        }
        for (var e : tr.entries().subList(from, tr.events().size())) out.add(e.line());
        return seen.toString();
    }
}
