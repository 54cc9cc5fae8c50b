package tdisp.explore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;

import tdisp.firmware.MsgBuf;
import tdisp.platform.Platform;
import tdisp.sim.Event;
import tdisp.sim.KThread;
import tdisp.sim.Scheduler;
import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;
import tdisp.sim.Step;
import tdisp.strategy.Strategy;
import tdisp.world.DsmLayout;
import tdisp.world.Fault;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * The host stack as an explorer {@link Model}. Per VM slot s there are four actors, each
 * running at most one kernel path at a time: the guest of VM s, its VMM (also playing the
 * attacker), the host admin acting on device s, and device s itself. An action either
 * starts a path on an idle actor or continues a running one; either way the thread runs
 * to its next preemption point (a lock it will hold, an exit to userspace, a wait), so
 * two threads interleave exactly where the kernel lets them. Starting state: the world
 * after {@link World#setup()} (TSM connected, VMs created, devices assigned).
 *
 * <p>This class is the cursor (the world, the threads in flight, the attacker's copies)
 * and the {@link Model} over it; each other job has its own file: the actions
 * ({@link ActionCatalogue}), footprints and independence ({@link Footprints}), preemption
 * bounding ({@link PreemptionBound}), canonical encoding and symmetry
 * ({@link CanonicalEncoding}) and replay rendering ({@link ReplayTrace}).
 */
public final class WorldModel implements Model {
    /** The actor kinds of one slot, in the order their actions are numbered. */
    public enum Kind { GUEST, VMM, ADMIN, DEVICE }

    private final DsmLayout layout;
    private final Strategy strategy;
    private final EnumSet<Fault> faults;
    private final Platform platform;
    private final long seed;
    private final int n;
    private final boolean tracing;
    private World w;
    Scheduler sched;
    ActionCatalogue acts;
    private Footprints footprints;
    CanonicalEncoding canon;
    final PreemptionBound bound = new PreemptionBound(this);
    /** Per actor, its thread in flight and the action that started it (-1: idle). */
    KThread[] running;
    int[] runningAct;
    /** Per VM, the VMM's copy of the shared request page (capture-request, replay-request). */
    MsgBuf[] captured;
    boolean[] hasCapture;
    private final boolean[] quietVm;
    private final java.util.function.IntPredicate quiet;
    private final StateWriter exact = new StateWriter();
    private final StateReader reader = new StateReader();
    private StateWriter.Snapshot initial;
    private final List<Finding> findings = new ArrayList<>();
    private boolean goal;
    /** Which actions may run (restrictTo), by index: decided once, read on the hot path. */
    private boolean[] allowed;

    /** Builds the world, runs the common setup and numbers the actions. */
    public WorldModel(Strategy strategy, Platform platform, long seed, int slots) {
        this(strategy, platform, seed, slots, false);
    }

    /** With {@code tracing}, every action is recorded in the trace (counterexamples, replay). */
    public WorldModel(Strategy strategy, Platform platform, long seed, int slots, boolean tracing) {
        this(strategy, platform, seed, slots, DsmLayout.ONE_PER_TDI, tracing);
    }

    /** With the TDIs laid out on DSMs as {@code layout} says. */
    public WorldModel(Strategy strategy, Platform platform, long seed, int slots, DsmLayout layout, boolean tracing) {
        this(strategy, platform, seed, slots, layout, tracing, EnumSet.noneOf(Fault.class));
    }

    /** With deliberate defects (tests showing that a counterexample needs the defect). */
    public WorldModel(Strategy strategy, Platform platform, long seed, int slots, DsmLayout layout, boolean tracing,
            java.util.Set<Fault> faults) {
        this.layout = layout;
        this.faults = EnumSet.noneOf(Fault.class);
        this.faults.addAll(faults);
        this.strategy = strategy;
        this.platform = platform;
        this.seed = seed;
        this.n = slots;
        this.tracing = tracing;
        this.quietVm = new boolean[slots];
        this.quiet = v -> quietVm[v];
        build();
    }

    private void build() {
        w = new World(WorldConfig.builder(strategy, platform).seed(seed).faults(faults).slots(n).layout(layout).explorer(true).build());
        w.sim().trace().setRecording(tracing);
        // A searching model logs lock-order edges for the explorer's one checker; a tracing
        // one (replay, counterexamples) checks them itself, as a scenario run does.
        if (!tracing) w.sim().lockdep().defer();
        w.setup();
        w.sim().clearViolations();
        sched = w.scheduler();
        int actors = Kind.values().length * n;
        running = new KThread[actors];
        runningAct = new int[actors];
        java.util.Arrays.fill(runningAct, -1);
        captured = new MsgBuf[n];
        hasCapture = new boolean[n];
        for (int s = 0; s < n; s++) captured[s] = new MsgBuf();
        acts = new ActionCatalogue(w, strategy, layout, n, captured, hasCapture);
        canon = new CanonicalEncoding(this, n, layout);
        footprints = new Footprints(this, acts, n);
        initial = save();
    }

    /**
     * Bounds how often a thread stopped before a lock may be passed over for another actor
     * ({@link PreemptionBound}). -1 lifts the bound.
     */
    public void setPreemptionBound(int bound) {
        this.bound.set(bound);
        initial = save();
    }

    // ---- explore --start hook (StartState resolves X; this only moves the root) ----

    /** Lock-order edges the start prefix logged: each fresh history checker begins with them. */
    private List<HistoryFact> startEdges = List.of();

    /**
     * Applies {@code prefix} from the clean boot and makes the state it reaches the initial
     * one: reset() returns there, so the search's depth, seen set and sleep sets start there.
     * Call after {@link #setPreemptionBound}. Returns the first action that is not enabled or
     * breaks an invariant, as "NAME: why", or null when the whole prefix ran.
     */
    public String startFrom(List<Integer> prefix) {
        load(initial);
        List<HistoryFact> edges = new ArrayList<>();
        tdisp.sim.Lockdep graph = new tdisp.sim.Lockdep();
        for (int a : prefix) {
            if (!enabled(a)) return actionName(a) + ": not enabled there";
            apply(a);
            if (!findings.isEmpty()) return actionName(a) + ": breaks " + findings.get(0).invariant() + " (" + findings.get(0).detail() + ")";
            List<HistoryFact> facts = historyFacts();
            if (facts == null) continue;
            edges.addAll(facts);
            for (HistoryFact e : facts) if (graph.addEdge(e.from(), e.to()) != null) return actionName(a) + ": breaks I8 (a lock-order cycle)";
        }
        startEdges = List.copyOf(edges);
        initial = save();
        return null;
    }

    /**
     * Only actions whose name passes may run (a sub-model: its executions are executions of
     * the whole model, which is what the goal proof needs).
     */
    public void restrictTo(java.util.function.Predicate<String> names) {
        boolean[] ok = new boolean[acts.count()];
        for (int a = 0; a < ok.length; a++) ok[a] = names.test(acts.name(a));
        allowed = ok;
    }

    int actorOf(int a) { return acts.actorOf(a); }

    /** The footprints, for the test that checks them. */
    Footprints footprints() { return footprints; }

    // ---- Model ----

    @Override
    public int actionCount() { return acts.count(); }

    @Override
    public String actionName(int a) { return acts.name(a); }

    /** The action with this name, or -1. */
    public int actionIndex(String name) { return acts.index(name); }

    @Override
    public void reset() { load(initial); }

    @Override
    public boolean enabled(int a) {
        if (allowed != null && !allowed[a]) return false;
        if (a < acts.size()) {
            ActionCatalogue.Act act = acts.get(a);
            if (running[act.actor()] != null || (act.pre() != null && !act.pre().ok())) return false;
        } else {
            KThread t = running[a - acts.size()];
            if (t == null) return false;
            Step s = sched.peek(t);
            if (s == null || !s.readyFor(t)) return false;
        }
        return bound.allows(a);
    }

    /** By declared footprints, made sound with the preemption bound ({@link Footprints#independent}). */
    @Override
    public boolean independent(int a, int b) { return footprints.independent(a, b); }

    @Override
    public void apply(int a) {
        footprints.stateChanged();
        findings.clear();
        w.sim().clearViolations();
        w.sim().lockdep().clearDeferred();
        bound.charge(a);
        int actor;
        KThread t;
        if (a < acts.size()) {
            ActionCatalogue.Act act = acts.get(a);
            actor = act.actor();
            t = acts.pool[a];
            t.reset();
            t.vm = act.vm();
            t.dev = act.dev();
            running[actor] = t;
            runningAct[actor] = a;
            if (tracing) sched.announce(t, "==== " + act.name() + " ====");
        } else {
            actor = a - acts.size();
            t = running[actor];
            if (tracing) sched.announce(t, "==== " + acts.actorNames[actor] + " continues at '" + sched.peek(t).name() + "' ====");
        }
        runSegment(t);
        if (sched.peek(t) == null) {
            running[actor] = null;
            runningAct[actor] = -1;
        }
        bound.ran(running[actor] != null ? actor : -1);
        // I6 is judged per VM, when no thread is half-way on the VM or its device.
        java.util.Arrays.fill(quietVm, true);
        for (int x = 0; x < running.length; x++) {
            KThread r = running[x];
            if (r == null) continue;
            quietVm[x % n] = false;
            if (r.vm >= 0) quietVm[r.vm] = false;
            if (r.dev >= 0) quietVm[r.dev] = false;
        }
        w.checkAndCompact(quiet);
        checkDeadlock();
        goal = w.takeSecureDmaInRun();
        collect();
    }

    /** Runs t's next step, then on until the next preemption point or the end. */
    private void runSegment(KThread t) {
        boolean first = true;
        while (true) {
            Step s = sched.peek(t);
            if (s == null) return;
            if (!first && s.preemptible() && bound.mayStopBefore(s, t)) return;
            if (sched.step(t) == Scheduler.Outcome.BLOCKED) return;
            first = false;
        }
    }


    /**
     * I9 in the explorer: threads are running, every one of them waits for a lock, and none
     * waits for another actor. Only running threads hold locks, so none can ever move.
     */
    private void checkDeadlock() {
        boolean any = false;
        for (KThread t : running) {
            if (t == null) continue;
            any = true;
            Step s = sched.peek(t);
            if (s == null || s.readyFor(t) || s.kind() == Step.Kind.WAIT) return;
        }
        if (!any) return;
        StringBuilder sb = new StringBuilder("no thread can run:");
        for (KThread t : running) if (t != null) sb.append(' ').append(t.name()).append(" waits at '").append(sched.peek(t).name()).append('\'');
        w.sim().violation("I9", sb.toString());
    }

    private void collect() {
        List<Event.Violation> vs = w.sim().violations();
        if (vs.isEmpty()) return;
        TreeMap<String, String> first = new TreeMap<>(java.util.Comparator.comparingInt(INVARIANTS::indexOf));
        for (Event.Violation v : vs) first.putIfAbsent(v.invariant(), v.detail());
        first.forEach((k, d) -> findings.add(new Finding(k, d)));
    }

    @Override
    public List<Finding> findings() { return findings; }

    /** I1..I11, as the invariant catalogue lists them. */
    private static final List<String> INVARIANTS = tdisp.world.Invariants.ids();

    @Override
    public List<String> invariants() { return INVARIANTS; }

    @Override
    public List<HistoryFact> historyFacts() {
        List<tdisp.sim.Lockdep.Edge> edges = w.sim().lockdep().takeDeferred();
        if (edges == null) return null;
        List<HistoryFact> out = new ArrayList<>(edges.size());
        for (tdisp.sim.Lockdep.Edge e : edges) out.add(new HistoryFact(e.held(), e.acquired(), e.step()));
        return out;
    }

    @Override
    public HistoryCheck historyCheck() {
        tdisp.sim.Lockdep graph = new tdisp.sim.Lockdep();
        // explore --start: the prefix's lock-order edges are history the search continues.
        for (HistoryFact e : startEdges) graph.addEdge(e.from(), e.to());
        return facts -> {
            List<Finding> out = new ArrayList<>();
            for (HistoryFact e : facts) {
                String cycle = graph.addEdge(e.from(), e.to());
                if (cycle != null && out.isEmpty()) out.add(new Finding("I8", tdisp.sim.Sim.lockCycleDetail(cycle, e.site())));
            }
            return out;
        };
    }

    @Override
    public boolean goalReached() { return goal; }

    @Override
    public StateWriter.Snapshot save() {
        exact.exact(n);
        w.save(exact);
        for (int i = 0; i < running.length; i++) {
            exact.put(runningAct[i]);
            if (running[i] != null) running[i].save(exact);
        }
        for (int s = 0; s < n; s++) {
            exact.putBool(hasCapture[s]);
            captured[s].save(exact);
        }
        bound.save(exact);
        return exact.snapshot();
    }

    @Override
    public void load(StateWriter.Snapshot snap) {
        footprints.stateChanged();
        reader.reset(snap);
        w.load(reader);
        for (int i = 0; i < running.length; i++) {
            int a = reader.get();
            runningAct[i] = a;
            if (a < 0) { running[i] = null; continue; }
            running[i] = acts.pool[a];
            acts.pool[a].load(reader);
        }
        for (int s = 0; s < n; s++) {
            hasCapture[s] = reader.getBool();
            captured[s].load(reader);
        }
        bound.load(reader);
        w.sim().rebuildLocks(running);
        w.sim().clearViolations();
        findings.clear();
        goal = false;
    }

    @Override
    public StateWriter canonical() { return canon.canonical(); }

    // ---- traces of a given action sequence (counterexamples, replay) ----

    public World world() { return w; }

    public int slots() { return n; }

    public DsmLayout layout() { return layout; }

    /**
     * Applies {@code actions} from the initial state (a tracing model), appending the trace
     * in kernel names to {@code out}, one event per line with its modeled time. Returns the
     * violations seen ("I1: detail; ...") and "goal" if secure DMA in RUN was reached.
     */
    public String replay(List<Integer> actions, List<String> out) { return ReplayTrace.render(this, actions, out); }
}
