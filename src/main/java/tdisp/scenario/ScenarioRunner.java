package tdisp.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import tdisp.platform.Platform;
import tdisp.sim.Event;
import tdisp.strategy.Strategy;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** Runs one scenario on a fresh world and turns what the invariants saw into a result. */
public final class ScenarioRunner {
    public static final Comparator<String> INVARIANT_ORDER = Comparator.comparingInt(s -> Integer.parseInt(s.substring(1)));

    private ScenarioRunner() {}

    /** Runs {@code run}'s scenario on a fresh world built from it. */
    public static ScenarioResult run(ScenarioRun run) {
        Strategy s = run.strategy();
        Platform p = run.platform();
        Scenario sc = run.scenario();
        boolean withTrace = run.traced();
        World w = new World(WorldConfig.builder(s, p).seed(run.seed()).faults(run.faults()).costs(run.costs()).layout(sc.layout()).build());
        w.sim().trace().setRecording(withTrace);
        if (!sc.appliesTo().test(w.guest(0).abi())) {
            // Nothing ran: say why instead of passing vacuously.
            List<String> trace = withTrace ? List.of("not applicable on " + p.id() + ": needs " + sc.needs()) : List.of();
            return new ScenarioResult(s.id(), p.id(), sc.id(), ScenarioResult.Verdict.NOT_APPLICABLE,
                    new TreeSet<>(INVARIANT_ORDER), "-", w.sim().trace().counters(), "-", "", trace, List.of(),
                    java.util.Set.of(), sc.stage(), tdisp.world.Stage.NONE);
        }
        w.setup();
        sc.body().accept(w);
        TreeSet<String> violated = new TreeSet<>(INVARIANT_ORDER);
        String first = "";
        for (Event.Violation v : w.sim().violations()) {
            violated.add(v.invariant());
            if (first.isEmpty()) first = v.invariant() + ": " + v.detail();
        }
        List<tdisp.sim.Trace.Entry> events = withTrace ? w.sim().trace().entries() : List.of();
        List<String> trace = new ArrayList<>();
        for (tdisp.sim.Trace.Entry e : events) trace.add(e.line());
        Boolean dma = w.lastSecureDma();
        tdisp.world.Stage reached = w.reached(0);
        // A violation is a finding wherever bring-up stopped; a clean run that never got
        // where the scenario starts has tested nothing, and is no pass.
        ScenarioResult.Verdict verdict = !violated.isEmpty() ? ScenarioResult.Verdict.VIOLATION
                : reached.atLeast(sc.stage()) ? ScenarioResult.Verdict.PASS : ScenarioResult.Verdict.NOT_REACHED;
        if (withTrace && verdict == ScenarioResult.Verdict.NOT_REACHED) {
            trace.add("not reached: the scenario needs " + sc.stage().token() + ", TDI 0 got to " + reached.token());
        }
        return new ScenarioResult(s.id(), p.id(), sc.id(), verdict,
                violated, w.device(0).tdiState().name(), withBindAtAlloc(w),
                dma == null ? "-" : dma ? "yes" : "no", first, trace, events, w.sim().assumed(), sc.stage(), reached);
    }

    /**
     * The counters, with v7's binds back in the modeled time: IOMMU_VDEVICE_ALLOC binds during
     * the common setup, whose counts are reset, while under v5 the same bind is the guest's
     * BIND within the scenario. Each TDI the scenario got to LOCKED (or further) had its bind
     * counted under v5, so under v7 its bind at allocation counts too, as sweep counts it.
     */
    static tdisp.sim.Trace.Counters withBindAtAlloc(World w) {
        var c = w.sim().trace().counters();
        long extra = 0;
        for (int v = 0; v < w.slots(); v++) if (w.reached(v).atLeast(tdisp.world.Stage.LOCKED)) extra += w.bindAtAllocNs(v);
        if (extra == 0) return c;
        return new tdisp.sim.Trace.Counters(c.steps(), c.vmExits(), c.userExits(), c.ioctls(), c.fwCalls(), c.modeledNs() + extra);
    }
}
