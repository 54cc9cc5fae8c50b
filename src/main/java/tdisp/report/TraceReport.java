package tdisp.report;

import java.util.List;

import tdisp.output.Columns;
import tdisp.scenario.ScenarioResult;

/** tdisp trace's text: one run step by step in kernel names, modeled time on the left; 72 columns. */
public final class TraceReport {
    private TraceReport() {}

    private static String names(java.util.Collection<String> ids) { return ids.isEmpty() ? "none" : String.join(",", ids); }

    /** @param faults the --fault names injected (a banner line when any) */
    public static String text(ScenarioResult r, String knobs, long seed, String costOrigin, List<String> faults) {
        StringBuilder sb = new StringBuilder();
        if (!faults.isEmpty()) sb.append("# FAULT INJECTED: ").append(String.join(", ", faults)).append('\n');
        sb.append(String.format("# strategy %s, platform %s, scenario %s, seed %d%n", r.strategy(), r.platform(), r.scenario(), seed));
        sb.append("# knobs ").append(knobs).append('\n');
        sb.append(String.format("# left column: modeled time after the event (cost table %s)%n", costOrigin));
        for (String line : r.trace()) sb.append(line).append('\n');
        sb.append(String.format("# steps %d, VM exits %d, exits to VMM %d, ioctls %d, firmware calls %d, modeled %.3f us%n",
                r.counters().steps(), r.counters().vmExits(), r.counters().userExits(), r.counters().ioctls(),
                r.counters().fwCalls(), r.counters().modeledNs() / 1000.0));
        if (!r.violated().isEmpty()) {
            sb.append(String.format("# rules violated: %s; policies violated: %s%n", names(r.rulesViolated()), names(r.policiesViolated())));
        }
        sb.append(String.format("# stage needed %s, reached %s%n", r.needs().token(), r.reached().token()));
        sb.append("# rests on: ").append(r.assumptions().isEmpty() ? "no named assumption" : String.join(", ", r.assumptionIds())).append('\n');
        // The verdict stays the last line (readers take it from there).
        sb.append(String.format("# verdict %s%s; TDI end state %s; secure DMA %s%n",
                r.verdict().token(), r.violated().isEmpty() ? "" : " (" + String.join(",", r.violated()) + ")",
                r.tdiEndState(), r.secureDma()));
        return Columns.wrap(sb.toString());
    }
}
