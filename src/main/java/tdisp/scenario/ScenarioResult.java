package tdisp.scenario;

import java.util.List;
import java.util.SortedSet;

import tdisp.sim.Trace;

/** The outcome of one (strategy, platform, scenario) run. */
public record ScenarioResult(
        String strategy,
        String platform,
        String scenario,
        Verdict verdict,
        SortedSet<String> violated,
        String tdiEndState,
        Trace.Counters counters,
        String secureDma,
        String firstViolation,
        List<String> trace) {

    public enum Verdict {
        PASS("pass"), VIOLATION("violation"), NOT_APPLICABLE("not-applicable");

        private final String token;

        Verdict(String token) { this.token = token; }

        public String token() { return token; }
    }
}
