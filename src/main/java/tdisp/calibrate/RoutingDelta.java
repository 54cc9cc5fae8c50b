package tdisp.calibrate;

import java.util.ArrayList;
import java.util.List;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;
import tdisp.sim.Trace;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * What a cost table does to the routing question: the modeled time of one TDI bring-up
 * (bind to RUN, Actions.bringUp) under each strategy minus the same under KVM-direct,
 * charged once from the estimated and once from the measured table. The firmware work is
 * the same on both sides of each difference, so what remains is routing.
 */
public final class RoutingDelta {
    static final String REFERENCE = "kvm-direct";

    /**
     * @param complete whether the strategy's bring-up reaches RUN on this platform: where it
     *     never completes, the difference is of a shorter path, not a routing cost
     */
    public record Line(String strategy, String platform, long estimatedNs, long measuredNs, long extraUserExits, long extraIoctls,
                       boolean complete) {}

    private RoutingDelta() {}

    public static List<Line> bringUp(StrategyCatalog catalog, CostOptions estimated, CostOptions measured) {
        List<Line> out = new ArrayList<>();
        Strategy ref = catalog.get(REFERENCE);
        for (Strategy s : catalog.all()) {
            if (s.id().equals(REFERENCE)) continue;
            for (Platform p : Platforms.all()) {
                Trace.Counters e = run(s, p, estimated), eRef = run(ref, p, estimated);
                Trace.Counters m = run(s, p, measured), mRef = run(ref, p, measured);
                out.add(new Line(s.id(), p.id(), e.modeledNs() - eRef.modeledNs(), m.modeledNs() - mRef.modeledNs(),
                        e.userExits() - eRef.userExits(), e.ioctls() - eRef.ioctls(), reachesRun(s, p, estimated) && reachesRun(ref, p, estimated)));
            }
        }
        return out;
    }

    private static boolean reachesRun(Strategy s, Platform p, CostOptions costs) {
        World w = new World(WorldConfig.builder(s, p).costs(costs).build());
        w.sim().trace().setRecording(false);
        w.setup();
        Actions.bringUp(w, 0);
        return w.device(0).tdiState() == tdisp.device.TdiState.RUN;
    }

    private static Trace.Counters run(Strategy s, Platform p, CostOptions costs) {
        World w = new World(WorldConfig.builder(s, p).costs(costs).build());
        w.sim().trace().setRecording(false);
        w.setup();
        Trace.Counters before = w.sim().trace().counters();
        Actions.bringUp(w, 0);
        Trace.Counters after = w.sim().trace().counters();
        return new Trace.Counters(after.steps() - before.steps(), after.vmExits() - before.vmExits(), after.userExits() - before.userExits(),
                after.ioctls() - before.ioctls(), after.fwCalls() - before.fwCalls(), after.modeledNs() - before.modeledNs());
    }
}
