package tdisp.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/**
 * Modeled latency: the modeled time of one scenario per strategy x platform, at the cost
 * table's defaults and with every row at its low and at its high end (the range a
 * calibration could move it in). Modeled, never measured.
 *
 * @param secureDma whether the run reached secure DMA (its time is a latency only then)
 */
public record ModeledLatency(String strategy, String platform, String scenario, long ns, long lowNs, long highNs, boolean secureDma) {
    /** Each strategy on each platform, platforms outermost; runs where the scenario does not apply are left out. */
    public static List<ModeledLatency> of(List<Strategy> strategies, List<Platform> platforms, Scenario scenario, long seed,
                                          Set<Fault> faults, CostOptions costs) {
        CostTable low = costs.table(), high = costs.table();
        for (CostTable.Row r : costs.table().rows().values()) {
            low = low.with(r.name(), r.low());
            high = high.with(r.name(), r.high());
        }
        CostOptions lo = new CostOptions(low, costs.nested(), costs.ibpb()), hi = new CostOptions(high, costs.nested(), costs.ibpb());
        List<ModeledLatency> out = new ArrayList<>();
        for (Platform p : platforms) {
            for (Strategy s : strategies) {
                ScenarioResult d = ScenarioRunner.run(ScenarioRun.builder(s, p, scenario).seed(seed).faults(faults).costs(costs).build());
                if (d.verdict() == ScenarioResult.Verdict.NOT_APPLICABLE) continue;
                long l = ScenarioRunner.run(ScenarioRun.builder(s, p, scenario).seed(seed).faults(faults).costs(lo).build()).counters().modeledNs();
                long h = ScenarioRunner.run(ScenarioRun.builder(s, p, scenario).seed(seed).faults(faults).costs(hi).build()).counters().modeledNs();
                out.add(new ModeledLatency(s.id(), p.id(), scenario.id(), d.counters().modeledNs(), l, h, "yes".equals(d.secureDma())));
            }
        }
        return out;
    }
}
