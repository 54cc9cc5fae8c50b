package tdisp.report;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import tdisp.scenario.Compare;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.sim.Assumption;
import tdisp.sim.Trace;
import tdisp.world.Stage;

/**
 * correctness.csv: one row per (strategy, platform, scenario), columns fixed by issue #2; the
 * last five added by issue #22 (rules and policies apart, the stage a scenario needs and the
 * one reached, the named assumptions the run rested on).
 */
public final class CorrectnessCsv {
    private CorrectnessCsv() {}

    /** The columns, declared once; {@code knobsOf} maps a strategy id to its knob list. */
    public static List<Column<ScenarioResult>> columns(Function<String, String> knobsOf) {
        return List.of(
                Column.csv("strategy", ScenarioResult::strategy),
                Column.csv("platform", ScenarioResult::platform),
                Column.csv("scenario", ScenarioResult::scenario),
                Column.csv("verdict", r -> r.verdict().token()),
                Column.csv("violated", r -> String.join(";", r.violated())),
                Column.csv("tdi_end_state", ScenarioResult::tdiEndState),
                Column.csv("steps", r -> r.counters().steps()),
                Column.csv("vm_exits", r -> r.counters().vmExits()),
                Column.csv("user_exits", r -> r.counters().userExits()),
                Column.csv("ioctls", r -> r.counters().ioctls()),
                Column.csv("fw_calls", r -> r.counters().fwCalls()),
                Column.csv("modeled_ns", r -> r.counters().modeledNs()),
                Column.csv("secure_dma", ScenarioResult::secureDma),
                Column.csv("knobs", r -> knobsOf.apply(r.strategy())),
                Column.csv("first_violation", ScenarioResult::firstViolation),
                Column.csv("rules_violated", r -> String.join(";", r.rulesViolated())),
                Column.csv("policies_violated", r -> String.join(";", r.policiesViolated())),
                Column.csv("stage_needed", r -> r.needs().token()),
                Column.csv("stage_reached", r -> r.reached().token()),
                Column.csv("assumptions", r -> String.join(";", r.assumptionIds())));
    }

    /** The header names (issue #2's order). */
    public static final List<String> HEADER = Column.names(columns(id -> ""));

    /** The records under the header; the caller puts the provenance first ({@link Provenance#stamp}). */
    public static String render(List<ScenarioResult> results, Function<String, String> knobsOf) {
        return table(knobsOf).render(results);
    }

    /** compare's cells under the header, each strategy's knobs from the request. */
    public static String render(Compare.Result r) { return render(r.cells(), r.request()::knobs); }

    /** The table: {@link #columns} written, and read back to results (no traces; the knobs column is the strategy's). */
    public static CsvTable<ScenarioResult> table(Function<String, String> knobsOf) {
        return new CsvTable<>(columns(knobsOf), CorrectnessCsv::read, List.of("strategy", "verdict"));
    }

    /** Reads correctness.csv (a file another run wrote). */
    public static Input<ScenarioResult> parse(String text, String source) { return table(id -> "").parse(text, source); }

    private static ScenarioResult read(CsvTable.Fields f) {
        TreeSet<String> violated = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        for (String v : f.text("violated").split(";")) if (!v.isBlank()) violated.add(v.strip());
        ScenarioResult.Verdict verdict = null;
        for (ScenarioResult.Verdict x : ScenarioResult.Verdict.values()) if (x.token().equals(f.text("verdict"))) verdict = x;
        if (verdict == null) throw f.bad("unknown verdict '" + f.text("verdict") + "'");
        Set<Assumption> assumed = EnumSet.noneOf(Assumption.class);
        Stage needs, reached;
        try {
            for (String a : f.text("assumptions", "").split(";")) if (!a.isBlank()) assumed.add(Assumption.byId(a.strip()));
            needs = Stage.parse(f.text("stage_needed", "none"));
            reached = Stage.parse(f.text("stage_reached", "none"));
        } catch (IllegalArgumentException e) {
            throw f.bad(e.getMessage());
        }
        return new ScenarioResult(f.text("strategy"), f.text("platform"), f.text("scenario"), verdict, violated, f.text("tdi_end_state"),
                new Trace.Counters(f.count("steps"), f.count("vm_exits"), f.count("user_exits"), f.count("ioctls"), f.count("fw_calls"),
                        f.count("modeled_ns")), f.text("secure_dma"), f.text("first_violation"), List.of(), List.of(), assumed, needs, reached);
    }
}
