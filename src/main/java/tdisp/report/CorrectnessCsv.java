package tdisp.report;

import java.util.List;
import java.util.function.Function;

import tdisp.output.Csv;
import tdisp.scenario.ScenarioResult;

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
        List<Column<ScenarioResult>> cols = columns(knobsOf);
        return Csv.render(Column.names(cols), Column.records(cols, results));
    }
}
