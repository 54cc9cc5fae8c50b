package tdisp.scenario;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;

import tdisp.sim.Assumption;
import tdisp.sim.Trace;
import tdisp.world.Stage;

/**
 * The outcome of one (strategy, platform, scenario) run.
 *
 * @param trace       the trace as printed: one line per event ({@link Trace.Entry#line()}), and a
 *                    closing note when the scenario did not apply or was not reached
 * @param events      the same events, typed, for readers that draw them (empty when not traced)
 * @param assumptions the named assumptions the run's steps rested on
 * @param needs       the stage the scenario needs ({@link Scenario#stage()})
 * @param reached     the furthest stage TDI 0 got to
 */
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
        List<String> trace,
        List<Trace.Entry> events,
        Set<Assumption> assumptions,
        Stage needs,
        Stage reached) {

    public ScenarioResult {
        events = List.copyOf(events);
        assumptions = Set.copyOf(assumptions);
    }

    /** A result without assumptions whose scenario needed nothing (tests, older callers). */
    public ScenarioResult(String strategy, String platform, String scenario, Verdict verdict, SortedSet<String> violated,
            String tdiEndState, Trace.Counters counters, String secureDma, String firstViolation, List<String> trace) {
        this(strategy, platform, scenario, verdict, violated, tdiEndState, counters, secureDma, firstViolation, trace, List.of(),
                Set.of(), Stage.NONE, Stage.NONE);
    }

    /** The assumptions' ids in catalogue order, e.g. {@code A-D3HOT-LOSES-STATE}. */
    public List<String> assumptionIds() {
        return assumptions.stream().sorted().map(Assumption::id).toList();
    }

    /** The violated invariants that are rules (spec, firmware, kernel): bugs. */
    public SortedSet<String> rulesViolated() { return kinds(true); }

    /** The violated invariants that are the project's policies: costs a design chose. */
    public SortedSet<String> policiesViolated() { return kinds(false); }

    private SortedSet<String> kinds(boolean rules) {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        for (String v : violated) if (tdisp.world.Invariants.kind(v).rule() == rules) out.add(v);
        return out;
    }

    public enum Verdict {
        PASS("pass"), VIOLATION("violation"), NOT_APPLICABLE("not-applicable"),
        /** Every invariant held, but bring-up never got to the stage the scenario is about. */
        NOT_REACHED("not-reached");

        private final String token;

        Verdict(String token) { this.token = token; }

        public String token() { return token; }
    }
}
