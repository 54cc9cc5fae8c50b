package tdisp.cli;

import java.util.ArrayList;
import java.util.List;

import tdisp.platform.Platform;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;

/**
 * The parameters {@code tdisp bench} hands JMH for one platform: its id as {@code platform}
 * and, as {@code strategy}, the strategies whose bring-up reaches secure DMA there (a pair
 * that never does has no hot path to time; it is listed as not measured). Taken from the
 * platform registry and the strategy catalogue, so the benchmarks' own {@code @Param} lists
 * are only what a bare JMH run uses (BenchParamsTest keeps them equal to the catalogues).
 */
public record JmhParams(String platform, List<String> strategies, List<String> notMeasured) {
    public JmhParams {
        strategies = List.copyOf(strategies);
        notMeasured = List.copyOf(notMeasured);
    }

    /** One entry a platform, in the order given (registry order on the command line). */
    public static List<JmhParams> of(List<Platform> platforms, List<Strategy> strategies) {
        List<JmhParams> out = new ArrayList<>();
        for (Platform p : platforms) {
            List<String> ok = new ArrayList<>(), not = new ArrayList<>();
            for (Strategy s : strategies) {
                var r = ScenarioRunner.run(ScenarioRun.builder(s, p, Scenarios.get("happy-bringup")).seed(1).build());
                (r.secureDma().equals("yes") ? ok : not).add(s.id());
            }
            out.add(new JmhParams(p.id(), ok, not));
        }
        return out;
    }
}
