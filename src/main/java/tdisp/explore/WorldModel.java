package tdisp.explore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;

import tdisp.cost.CostOptions;
import tdisp.device.Origin;
import tdisp.firmware.MsgBuf;
import tdisp.platform.Platform;
import tdisp.guest.GuestOp;
import tdisp.kernel.TsmRequest;
import tdisp.kernel.Vfio;
import tdisp.scenario.Actions;
import tdisp.sim.Event;
import tdisp.sim.KThread;
import tdisp.sim.Path;
import tdisp.sim.Scheduler;
import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;
import tdisp.sim.Step;
import tdisp.strategy.Entry;
import tdisp.strategy.Strategy;
import tdisp.world.DsmLayout;
import tdisp.world.Fault;
import tdisp.world.World;

/**
 * The host stack as an explorer {@link Model}. Per VM slot s there are four actors, each
 * running at most one kernel path at a time: the guest of VM s, its VMM (also playing the
 * attacker), the host admin acting on device s, and device s itself. An action either
 * starts a path on an idle actor or continues a running one; either way the thread runs
 * to its next preemption point (a lock it will hold, an exit to userspace, a wait), so
 * two threads interleave exactly where the kernel lets them. Starting state: the world
 * after {@link World#setup()} (TSM connected, VMs created, devices assigned).
 */
public final class WorldModel implements Model {
    /** The actor kinds of one slot, in the order their actions are numbered. */
    public enum Kind { GUEST, VMM, ADMIN, DEVICE }

    private static final Kind[] KINDS = Kind.values();

    /** One startable action: which actor runs which prebuilt path with which registers, and its footprint. */
    private record Act(String name, int actor, int slot, int op, Path path, int vm, int dev, Pre pre, long reads, long writes) {}

    /*
     * Footprints, for partial-order reduction: the objects an action may read or write, as
     * bits. SLOT(s) is the kernel, device and firmware state of slot s (device s and VM s:
     * every component keeps them in per-slot arrays) with the threads of slot s's actors;
     * HOST is the state of no slot: the preemption budget spent and the pending actor (the
     * model keeps no other host-wide state beyond locks, which have footprints of their own
     * below); REQPAGE(s) the shared
     * request page of VM s (the only state a host attacker touches directly); CAPTURE(s)
     * the VMM's copy of it. A kernel path of slot s on VM v and device d declares SLOT(s),
     * SLOT(v) and SLOT(d) (two slots only for the foreign ops), the request page of v for
     * a guest's or VMM's path, and the host-wide locks it takes; where TDIs share a DSM it
     * declares every slot (a PF's FLR reaches the VFs). Three things the footprints cannot
     * see make kernel paths dependent in a state (see independent()): a slot's state that
     * names another slot's VM or device (a foreign bind, a foreign op in flight: invariants
     * of one slot then read the other), a thread blocked on a lock (I9 is about all
     * threads), and a lock the path takes that another thread holds (it could end blocked).
     * WorldModelFootprintTest checks what each action really wrote and read against this,
     * and that every pair declared independent commutes.
     */
    static final int HOST = 0;

    int slotObject(int s) { return 1 + s; }

    int reqPage(int s) { return 1 + n + s; }

    int capture(int s) { return 1 + 2 * n + s; }

    /** How many footprint objects this model has (the bits a footprint may set). */
    int footprintObjects() { return 1 + 3 * n; }

    String objectName(int bit) {
        if (bit == HOST) return "host";
        if (bit <= n) return "kernel-slot" + (bit - 1);
        return bit <= 2 * n ? "request-page" + (bit - 1 - n) : "capture" + (bit - 1 - 2 * n);
    }

    private long allSlots() { return ((1L << n) - 1) << 1; }

    private long bit(int b) { return 1L << b; }

    /** Declared footprints by startable action (a continue has its running action's). */
    private long[] reads;
    private long[] writes;
    /*
     * Host-wide locks (pci_tsm_rwsem, sev_cmd_mutex, ...), one bit each: which an action's
     * path takes at all, takes exclusively (mutex, down_write), holds across steps
     * exclusively, and holds across steps shared (down_read). Shared holders commute with
     * each other and with short sections of either mode that find the lock free; two short
     * sections always commute (neither leaves the lock taken). Per-slot locks belong to
     * their slot's object.
     */
    private long[] lockUse, lockUseX, lockHoldX, lockHoldS;
    private final List<tdisp.sim.KLock> hostLocks = new ArrayList<>();
    /** Every lock instance and mode an action's path may take, for the blocked test. */
    private tdisp.sim.KLock[][] pathLocks;
    private tdisp.sim.LockMode[][] pathModes;
    /** Per state, cached until the next load or apply: -1 unknown, 0 no, 1 yes. */
    private int entangled = -1;
    private final StateWriter attribution = new StateWriter();
    private final boolean[] quietVm;
    private final java.util.function.IntPredicate quiet;
    /** Whether the action's whole path takes no lock it holds across steps (so it never stops pending a preemption). */
    private boolean[] lockFree;

    @FunctionalInterface
    private interface Pre { boolean ok(); }

    private final DsmLayout layout;
    private final Strategy strategy;
    private final EnumSet<Fault> faults;
    private final Platform platform;
    private final long seed;
    private final int n;
    private World w;
    private Scheduler sched;
    private final List<Act> acts = new ArrayList<>();
    private KThread[] pool;
    /** Action names by index, built once: enabled() consults them on the search's hot path. */
    private String[] names;
    private KThread[] running;
    private int[] runningAct;
    private int[] actorIds;
    private String[] actorNames;
    private MsgBuf[] captured;
    private boolean[] hasCapture;
    private int[][] perms;
    private final StateWriter exact = new StateWriter();
    private final StateWriter canonA = new StateWriter();
    private final StateWriter canonB = new StateWriter();
    private final StateReader reader = new StateReader();
    private StateWriter.Snapshot initial;
    private final List<Finding> findings = new ArrayList<>();
    private boolean goal;
    private final boolean tracing;
    /** Preemption bound (-1: none); preemptions used on the way here; the actor that ran last. */
    private int maxPreemptions = 0;
    private int preemptions;
    private int lastActor = -1;

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
        w = new World(strategy, platform, seed, faults, CostOptions.defaults(), n, layout);
        w.sim().trace().setRecording(tracing);
        // A searching model logs lock-order edges for the explorer's one checker; a tracing
        // one (replay, counterexamples) checks them itself, as a scenario run does.
        if (!tracing) w.sim().lockdep().defer();
        w.setup();
        w.setExplorerMode(true);
        w.sim().clearViolations();
        sched = w.scheduler();
        int actors = KINDS.length * n;
        running = new KThread[actors];
        runningAct = new int[actors];
        actorIds = new int[actors];
        actorNames = new String[actors];
        java.util.Arrays.fill(runningAct, -1);
        for (int s = 0; s < n; s++) {
            for (Kind k : KINDS) {
                int a = actor(k, s);
                actorNames[a] = switch (k) {
                    case GUEST -> "guest" + s;
                    case VMM -> "vmm" + s;
                    case ADMIN -> "admin" + s;
                    case DEVICE -> "device" + s;
                };
                actorIds[a] = w.sim().trace().registerThread(actorNames[a]);
            }
        }
        captured = new MsgBuf[n];
        hasCapture = new boolean[n];
        for (int s = 0; s < n; s++) captured[s] = new MsgBuf();
        acts.clear();
        for (int s = 0; s < n; s++) defineActions(s);
        pool = new KThread[acts.size()];
        for (int i = 0; i < acts.size(); i++) {
            Act a = acts.get(i);
            pool[i] = new KThread(actorIds[a.actor], actorNames[a.actor], a.path);
        }
        perms = symmetries(n, layout);
        declareFootprints();
        names = new String[acts.size() + running.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = i < acts.size() ? acts.get(i).name : actorNames[i - acts.size()] + " continue";
        }
        initial = save();
    }

    private int actor(Kind k, int slot) { return k.ordinal() * n + slot; }

    private void declareFootprints() {
        int total = acts.size();
        reads = new long[total];
        writes = new long[total];
        lockFree = new boolean[total];
        lockUse = new long[total];
        lockUseX = new long[total];
        lockHoldX = new long[total];
        lockHoldS = new long[total];
        pathLocks = new tdisp.sim.KLock[total][];
        pathModes = new tdisp.sim.LockMode[total][];
        for (int i = 0; i < total; i++) {
            Act a = acts.get(i);
            reads[i] = a.reads;
            writes[i] = a.writes;
            boolean free = true;
            List<tdisp.sim.KLock> ls = new ArrayList<>();
            List<tdisp.sim.LockMode> ms = new ArrayList<>();
            KThread probe = pool[i];
            probe.reset();
            probe.vm = a.vm;
            probe.dev = a.dev;
            for (Step st : a.path.steps()) {
                free &= st.kind() != Step.Kind.ACQUIRE;
                if (st.lock() == null) continue;
                tdisp.sim.KLock l;
                try {
                    l = st.lock().which().apply(probe);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(a.name + ": cannot tell which lock '" + st.name() + "' takes from its registers", e);
                }
                ls.add(l);
                ms.add(st.lock().mode());
                if (l.slot() >= 0) {
                    // A per-slot lock is part of its slot's state.
                    if (a.writes != 0 && (a.writes & allSlots()) != 0) { reads[i] |= bit(slotObject(l.slot())); writes[i] |= bit(slotObject(l.slot())); }
                    continue;
                }
                int g = hostLocks.indexOf(l);
                if (g < 0) { g = hostLocks.size(); hostLocks.add(l); }
                if (g >= 64) throw new IllegalStateException("more than 64 host-wide locks");
                long b = 1L << g;
                boolean exclusive = st.lock().mode() != tdisp.sim.LockMode.READ;
                lockUse[i] |= b;
                if (exclusive) lockUseX[i] |= b;
                if (st.kind() == Step.Kind.ACQUIRE) {
                    if (exclusive) lockHoldX[i] |= b; else lockHoldS[i] |= b;
                }
            }
            probe.reset();
            lockFree[i] = free;
            pathLocks[i] = ls.toArray(new tdisp.sim.KLock[0]);
            pathModes[i] = ms.toArray(new tdisp.sim.LockMode[0]);
        }
    }

    /** The startable action whose footprint action a has now (a continue: its running path's), or -1. */
    private int footprintAct(int a) { return a < acts.size() ? a : runningAct[a - acts.size()]; }

    /**
     * The declared footprints in the current state, for the test that checks them. Under a
     * preemption bound every action may spend budget or leave a preemption pending: host
     * state that independent() handles by its bounded-POR rule rather than by footprints.
     */
    long declaredReads(int a) { int f = footprintAct(a); return f < 0 ? 0 : reads[f] | budget(); }

    long declaredWrites(int a) { int f = footprintAct(a); return f < 0 ? 0 : writes[f] | budget(); }

    private long budget() { return maxPreemptions > 0 ? bit(HOST) : 0; }

    /** Whether action a runs kernel code (its footprint has a slot), as opposed to the attacker's page operations. */
    boolean kernelPath(int f) { return (writes[f] & allSlots()) != 0; }

    private final StateWriter probe = new StateWriter();
    private final MsgBuf blank = new MsgBuf();

    /**
     * A digest of one footprint object's contents, for the test that checks footprints.
     * A slot's, or the host's, is its sections of the canonical encoding under the identity
     * (what the search tells states apart by) with the request pages blanked and the
     * captures left out; a page's or a capture's is its exact contents.
     */
    long digest(int bit) {
        probe.exact(n);
        if (bit <= n) {
            MsgBuf[] keep = new MsgBuf[n];
            for (int v = 0; v < n; v++) {
                keep[v] = new MsgBuf();
                keep[v].copyFrom(w.guest(v).requestPage());
                w.guest(v).requestPage().copyFrom(blank);
            }
            probe.attribute(perms[0]);
            encode(probe, perms[0], false);
            for (int v = 0; v < n; v++) w.guest(v).requestPage().copyFrom(keep[v]);
            return probe.sectionHash(bit - 1);
        } else if (bit <= 2 * n) {
            w.guest(bit - 1 - n).requestPage().save(probe);
        } else {
            probe.putBool(hasCapture[bit - 1 - 2 * n]);
            captured[bit - 1 - 2 * n].save(probe);
        }
        long h = probe.hash();
        // Objects by content where they have one (page bytes); a register object by its type,
        // since a rerun builds an equal one under a new identity.
        for (Object o : probe.objs()) h = h * 31 + (o instanceof byte[] bs ? java.util.Arrays.hashCode(bs) : o == null ? 0 : o.getClass().getName().hashCode());
        return h;
    }

    /** Changes a request page or a capture (what an action that does not read it must not notice); false for kernel state. */
    boolean perturb(int bit) {
        if (bit <= n) return false;
        if (bit <= 2 * n) {
            Actions.tamper(w, bit - 1 - n);
        } else {
            int s = bit - 1 - 2 * n;
            hasCapture[s] = true;
            captured[s].seqno += 7;
            captured[s].ghostTag ^= 0x1234;
        }
        return true;
    }

    /**
     * Bounds how often a thread stopped before a lock may be passed over for another actor
     * (iterative context bounding, Musuvathi and Qadeer, PLDI 2007): most concurrency bugs
     * need one or two such preemptions, while the number of interleavings grows
     * exponentially with them. Switching at an exit to userspace, at a wait, or when the
     * thread is blocked or done is free. -1 lifts the bound.
     */
    public void setPreemptionBound(int bound) {
        maxPreemptions = bound;
        initial = save();
    }

    // ---- explore --start hook (StartState resolves X; this only moves the root) ----

    /** Lock-order edges the start prefix logged: each fresh history checker begins with them. */
    private List<String[]> startEdges = List.of();

    /**
     * Applies {@code prefix} from the clean boot and makes the state it reaches the initial
     * one: reset() returns there, so the search's depth, seen set and sleep sets start there.
     * Call after {@link #setPreemptionBound}. Returns the first action that is not enabled or
     * breaks an invariant, as "NAME: why", or null when the whole prefix ran.
     */
    public String startFrom(List<Integer> prefix) {
        load(initial);
        List<String[]> edges = new ArrayList<>();
        tdisp.sim.Lockdep graph = new tdisp.sim.Lockdep();
        for (int a : prefix) {
            if (!enabled(a)) return actionName(a) + ": not enabled there";
            apply(a);
            if (!findings.isEmpty()) return actionName(a) + ": breaks " + findings.get(0).invariant() + " (" + findings.get(0).detail() + ")";
            @SuppressWarnings("unchecked")
            List<String[]> facts = (List<String[]>) historyFacts();
            if (facts == null) continue;
            edges.addAll(facts);
            for (String[] e : facts) if (graph.addEdge(e[0], e[1]) != null) return actionName(a) + ": breaks I8 (a lock-order cycle)";
        }
        startEdges = List.copyOf(edges);
        initial = save();
        return null;
    }

    private java.util.function.Predicate<String> allowed = name -> true;

    /**
     * Only actions whose name passes may run (a sub-model: its executions are executions of
     * the whole model, which is what the goal proof needs).
     */
    public void restrictTo(java.util.function.Predicate<String> names) { allowed = names; }

    private int actorOf(int a) { return a < acts.size() ? acts.get(a).actor : a - acts.size(); }

    /** True if running action a now passes over the last actor, which could go on from a lock. */
    private boolean preempts(int a) {
        if (lastActor < 0 || actorOf(a) == lastActor) return false;
        KThread t = running[lastActor];
        if (t == null) return false;
        Step s = sched.peek(t);
        return s != null && s.kind() == Step.Kind.ACQUIRE && s.readyFor(t);
    }

    /**
     * A kernel path: it reads and writes its actor's slot, its VM's and its device's, a
     * guest's or VMM's also the VM's request page; with TDIs sharing a DSM, every slot.
     */
    private void def(Kind k, int s, String op, Path p, int vm, int dev, Pre pre) {
        long fp = bit(slotObject(s)) | bit(slotObject(dev));
        if (vm >= 0) fp |= bit(slotObject(vm));
        if (layout != DsmLayout.ONE_PER_TDI) fp |= allSlots();
        if (k == Kind.GUEST || k == Kind.VMM) fp |= bit(reqPage(vm >= 0 ? vm : s));
        def(k, s, op, p, vm, dev, pre, fp, fp);
    }

    private void def(Kind k, int s, String op, Path p, int vm, int dev, Pre pre, long reads, long writes) {
        String name = actorNamesFor(k, s) + " " + op;
        int opIndex = 0;
        for (Act a : acts) if (a.slot == s && a.actor == actor(k, s)) opIndex++;
        acts.add(new Act(name, actor(k, s), s, opIndex, p, vm, dev, pre, reads, writes));
    }

    private String actorNamesFor(Kind k, int s) { return actorNames[actor(k, s)]; }

    private void defineActions(int s) {
        // Guest: the TDISP flow step by step, in any order, plus what a guest driver writes to config space.
        for (GuestOp op : GuestOp.values()) def(Kind.GUEST, s, op.name(), w.routing().guestOp(s, op), s, s, null);
        def(Kind.GUEST, s, "clear-BME", Actions.guestCommandWritePath(w, s, Vfio.PCI_COMMAND_MEMORY), s, s, null);
        def(Kind.GUEST, s, "clear-MSE-BME", Actions.guestCommandWritePath(w, s, 0), s, s, null);
        def(Kind.GUEST, s, "set-MSE-BME", Actions.guestCommandWritePath(w, s, Vfio.PCI_COMMAND_MEMORY | Vfio.PCI_COMMAND_MASTER), s, s, null);
        def(Kind.GUEST, s, "FLR", Actions.guestFlrPath(w, s), s, s, null);
        // VMM: file closes and VFIO ioctls.
        def(Kind.VMM, s, "close-vfio", Actions.closeVfioPath(w, s), s, s, null);
        def(Kind.VMM, s, "close-iommufd", Actions.closeIommufdPath(w, s), s, s, null);
        def(Kind.VMM, s, "close-vm", Actions.closeVmPath(w, s), s, s, null);
        def(Kind.VMM, s, "IOMMU_DESTROY(vdevice)", Actions.destroyVdevicePath(w, s), s, s, null);
        def(Kind.VMM, s, "VFIO_DEVICE_RESET", Actions.vmmResetIoctlPath(w), s, s, null);
        def(Kind.VMM, s, "runtime-PM", Actions.vmmRuntimePmPath(w), s, s, null);
        def(Kind.VMM, s, "clear-MSE", Actions.vmmClearMsePath(w), s, s, null);
        def(Kind.VMM, s, "VFIO_DEVICE_PCI_HOT_RESET", Actions.vmmHotResetPath(w), s, s, null);
        // The same VMM as an attacker: the request page is shared, the ioctls take any id.
        // These three touch only the shared page and the VMM's copy: they commute with every kernel path of another actor.
        long page = bit(reqPage(s));
        long copy = bit(capture(s));
        def(Kind.VMM, s, "tamper-request", w.path("tamper", b -> b.step("vmm: tamper request page", t -> Actions.tamper(w, t.vm))), s, s, null,
                page, page);
        def(Kind.VMM, s, "capture-request", w.path("capture", b -> b.step("vmm: copy the shared request page", t -> {
            captured[t.vm].copyFrom(w.guest(t.vm).requestPage());
            hasCapture[t.vm] = true;
            if (w.sim().tracing()) w.sim().note("vmm: captured request seq " + captured[t.vm].seqno);
        })), s, s, null, page | copy, copy);
        def(Kind.VMM, s, "replay-request", w.path("replay", b -> b.step("vmm: write captured request over the shared page", t -> {
            w.guest(t.vm).requestPage().copyFrom(captured[t.vm]);
            if (w.sim().tracing()) w.sim().note("vmm: replayed captured request seq " + captured[t.vm].seqno);
        })), s, s, () -> hasCapture[s], copy, page);
        if (n > 1) {
            int other = (s + 1) % n;
            // Another VM's device through this VM's path: bind it, or write its SDTE.
            if (strategy.knobs().bindEntry() != Entry.KVM) {
                def(Kind.VMM, s, "foreign-BIND(dev" + other + ")", w.routing().guestOp(s, GuestOp.BIND), s, other, null);
            }
            def(Kind.VMM, s, "foreign-SDTE_WRITE(dev" + other + ")", w.routing().guestOp(s, GuestOp.SDTE_WRITE), s, other, null);
        }
        // Host admin on device s.
        def(Kind.ADMIN, s, "tsm-disconnect", Actions.tsmDisconnectPath(w), -1, s, null);
        def(Kind.ADMIN, s, "hot-unplug", Actions.hotUnplugPath(w), -1, s, null);
        def(Kind.ADMIN, s, "host-MMIO-read", Actions.hostMmioReadPath(w), -1, s, null);
        def(Kind.ADMIN, s, "host-DMA(T=0)", Actions.hostDmaPath(w), -1, s, null);
        // The device.
        def(Kind.DEVICE, s, "DMA(T=1)", Actions.deviceSecureDmaPath(w), -1, s, null);
        def(Kind.DEVICE, s, "inject-ERROR", Actions.injectErrorPath(w), -1, s, null);
        def(Kind.DEVICE, s, "link-down", Actions.linkDownPath(w), -1, s, null);
        def(Kind.DEVICE, s, "DPC", Actions.dpcRecoveryPath(w), -1, s, null);
    }

    // ---- Model ----

    @Override
    public int actionCount() { return acts.size() + running.length; }

    @Override
    public String actionName(int a) { return names[a]; }

    /** The action with this name, or -1. */
    public int actionIndex(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        return -1;
    }

    @Override
    public void reset() { load(initial); }

    @Override
    public boolean enabled(int a) {
        if (!allowed.test(actionName(a))) return false;
        if (a < acts.size()) {
            Act act = acts.get(a);
            if (running[act.actor] != null || (act.pre != null && !act.pre.ok())) return false;
        } else {
            KThread t = running[a - acts.size()];
            if (t == null) return false;
            Step s = sched.peek(t);
            if (s == null || !s.readyFor(t)) return false;
        }
        return maxPreemptions < 0 || preemptions < maxPreemptions || !preempts(a);
    }

    /**
     * Footprint independence (no write of one meets a read or write of the other; the same
     * actor's actions never commute), made sound with the preemption bound (Coons,
     * Musuvathi and McKinley, OOPSLA 2013, show that reduction and bounding interact): while
     * budget is left, an action's cost, and where its segment stops, depend on who ran last,
     * so a pair commutes only if neither costs a preemption in either order and neither can
     * leave a preemption pending (no thread waits at a free lock now, and neither path holds
     * a lock across steps). Then both orders spend nothing and end with no preemption
     * pending, which the canonical encoding records instead of the last actor. With the
     * budget spent nobody can be preempted, and without a bound nobody counts.
     */
    @Override
    public boolean independent(int a, int b) {
        if (actorOf(a) == actorOf(b)) return false;
        int fa = footprintAct(a), fb = footprintAct(b);
        if (fa < 0 || fb < 0) return false;
        if ((writes[fa] & (reads[fb] | writes[fb])) != 0 || (writes[fb] & reads[fa]) != 0) return false;
        if (kernelPath(fa) && kernelPath(fb)) {
            long conflict = lockHoldX[fa] & lockUse[fb] | lockHoldX[fb] & lockUse[fa] | lockHoldS[fa] & lockUseX[fb] | lockHoldS[fb] & lockUseX[fa];
            if (conflict != 0 || entangled() || mayBlock(a, fa) || mayBlock(b, fb)) return false;
        }
        if (maxPreemptions >= 0 && preemptions < maxPreemptions) return pendingActor() < 0 && lockFree[fa] && lockFree[fb];
        return true;
    }

    /**
     * Whether the kernel paths' footprints miss something in this state: a slot's state
     * names another slot's VM or device (a foreign bind, a foreign op in flight), or a
     * thread waits for a lock. Computed once per state.
     */
    private boolean entangled() {
        if (entangled < 0) {
            boolean e = false;
            for (KThread t : running) {
                if (t == null) continue;
                Step s = sched.peek(t);
                if (s != null && s.acquires() && !s.readyFor(t)) e = true;
            }
            if (!e) {
                attribution.attribute(perms[0]);
                encode(attribution, perms[0], true);
                e = attribution.crossSlot();
            }
            entangled = e ? 1 : 0;
        }
        return entangled == 1;
    }

    /** Whether action a (footprint fa) may take a lock another thread holds now, and so end blocked. */
    private boolean mayBlock(int a, int fa) {
        KThread self = a < acts.size() ? null : running[a - acts.size()];
        tdisp.sim.KLock[] ls = pathLocks[fa];
        for (int i = 0; i < ls.length; i++) if (!ls[i].availableTo(self, pathModes[fa][i])) return true;
        return false;
    }

    /**
     * The actor whose thread another actor would preempt by running now (it stopped before a
     * free lock, with budget left), or -1. This, not the last actor as such, is what decides
     * the future: the last actor matters only through preempts().
     */
    private int pendingActor() {
        if (maxPreemptions < 0 || preemptions >= maxPreemptions || lastActor < 0) return -1;
        KThread t = running[lastActor];
        if (t == null) return -1;
        Step s = sched.peek(t);
        return s != null && s.kind() == Step.Kind.ACQUIRE && s.readyFor(t) ? lastActor : -1;
    }

    @Override
    public void apply(int a) {
        entangled = -1;
        findings.clear();
        w.sim().clearViolations();
        w.sim().lockdep().clearDeferred();
        if (preempts(a)) preemptions++;
        int actor;
        KThread t;
        if (a < acts.size()) {
            Act act = acts.get(a);
            actor = act.actor;
            t = pool[a];
            t.reset();
            t.vm = act.vm;
            t.dev = act.dev;
            running[actor] = t;
            runningAct[actor] = a;
            if (tracing) sched.announce(t, "==== " + act.name + " ====");
        } else {
            actor = a - acts.size();
            t = running[actor];
            if (tracing) sched.announce(t, "==== " + actorNames[actor] + " continues at '" + sched.peek(t).name() + "' ====");
        }
        runSegment(t);
        if (sched.peek(t) == null) {
            running[actor] = null;
            runningAct[actor] = -1;
        }
        lastActor = running[actor] != null ? actor : -1;
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
            // With the preemption budget spent nobody may pass this thread at a free lock: run on.
            boolean mayStop = s.kind() != Step.Kind.ACQUIRE || maxPreemptions < 0 || preemptions < maxPreemptions || !s.readyFor(t);
            if (!first && s.preemptible() && mayStop) return;
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

    /** I1..I10, as the invariant catalogue lists them. */
    private static final List<String> INVARIANTS = tdisp.world.Invariants.CATALOGUE.stream().map(a -> a[0]).toList();

    @Override
    public List<String> invariants() { return INVARIANTS; }

    @Override
    public Object historyFacts() { return w.sim().lockdep().takeDeferred(); }

    @Override
    public HistoryCheck historyCheck() {
        tdisp.sim.Lockdep graph = new tdisp.sim.Lockdep();
        // explore --start: the prefix's lock-order edges are history the search continues.
        for (String[] e : startEdges) graph.addEdge(e[0], e[1]);
        return facts -> {
            List<Finding> out = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<String[]> edges = (List<String[]>) facts;
            for (String[] e : edges) {
                String cycle = graph.addEdge(e[0], e[1]);
                if (cycle != null && out.isEmpty()) out.add(new Finding("I8", tdisp.sim.Sim.lockCycleDetail(cycle, e[2])));
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
        exact.put(preemptions);
        exact.put(lastActor);
        return exact.snapshot();
    }

    @Override
    public void load(StateWriter.Snapshot snap) {
        entangled = -1;
        reader.reset(snap);
        w.load(reader);
        for (int i = 0; i < running.length; i++) {
            int a = reader.get();
            runningAct[i] = a;
            if (a < 0) { running[i] = null; continue; }
            running[i] = pool[a];
            pool[a].load(reader);
        }
        for (int s = 0; s < n; s++) {
            hasCapture[s] = reader.getBool();
            captured[s].load(reader);
        }
        preemptions = reader.get();
        lastActor = reader.get();
        w.sim().rebuildLocks(running);
        w.sim().clearViolations();
        findings.clear();
        goal = false;
    }

    @Override
    public StateWriter canonical() {
        StateWriter best = null;
        StateWriter spare = canonA;
        for (int[] p : perms) {
            StateWriter cw = spare;
            cw.canonical(p);
            encode(cw, p, true);
            if (best == null || cw.compareTo(best) < 0) {
                spare = best == null ? canonB : best;
                best = cw;
            }
        }
        return best;
    }

    /** The canonical encoding under p (the writer already started); the captures only with {@code captures}. */
    private void encode(StateWriter cw, int[] p, boolean captures) {
        w.save(cw);
        for (int k = 0; k < n; k++) {
            int s = cw.at(k);
            for (Kind kind : KINDS) {
                int actor = actor(kind, s);
                KThread t = running[actor];
                if (t == null) { cw.put(-1); continue; }
                cw.put(acts.get(runningAct[actor]).op);
                t.saveCanonical(cw, this::meaning);
            }
            if (!captures) continue;
            cw.putBool(hasCapture[s]);
            if (hasCapture[s]) captured[s].save(cw);
        }
        cw.global();
        if (maxPreemptions >= 0) {
            cw.put(preemptions);
            int pend = pendingActor();
            cw.put(pend < 0 ? -1 : (pend / n) * n + cw.id(pend % n));
        }
    }

    /** What a register object means, independent of which VM's copy it is. */
    private int meaning(Object o) {
        if (o == null) return 0;
        if (o instanceof Origin org) return 1 + org.ordinal();
        if (o instanceof TsmRequest r) {
            boolean guestPage = false;
            for (int v = 0; v < n; v++) if (r.req() != null && r.req() == w.guest(v).requestPage()) guestPage = true;
            return 64 + r.op().ordinal() * 16 + r.scope() * 2 + (guestPage ? 1 : 0);
        }
        throw new IllegalStateException("no canonical meaning for register object " + o.getClass().getName());
    }

    /**
     * The slot permutations the canonical encoding may apply: only those that map every slot
     * to one of its symmetry class (DsmLayout#symmetryClass). Renaming PF0 as a VF would merge
     * states that behave differently (PF0's FLR reaches the VFs), which is unsound.
     */
    static int[][] symmetries(int n, DsmLayout layout) {
        List<int[]> out = new ArrayList<>();
        for (int[] p : permutations(n)) {
            boolean ok = true;
            for (int i = 0; i < n; i++) ok &= layout.symmetryClass(i) == layout.symmetryClass(p[i]);
            if (ok) out.add(p);
        }
        return out.toArray(new int[0][]);
    }

    static int[][] permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] cur, boolean[] used, int i, List<int[]> out) {
        if (i == cur.length) { out.add(cur.clone()); return; }
        for (int v = 0; v < cur.length; v++) {
            if (used[v]) continue;
            used[v] = true;
            cur[i] = v;
            permute(cur, used, i + 1, out);
            used[v] = false;
        }
    }

    // ---- traces of a given action sequence (counterexamples, replay) ----

    public World world() { return w; }

    public int slots() { return n; }

    public DsmLayout layout() { return layout; }

    /**
     * Applies {@code actions} from the initial state (a tracing model), appending the trace
     * in kernel names to {@code out}, one event per line with its modeled time. Returns the
     * violations seen ("I1: detail; ...") and "goal" if secure DMA in RUN was reached.
     */
    public String replay(List<Integer> actions, List<String> out) {
        var tr = w.sim().trace();
        int from = tr.events().size();
        StringBuilder seen = new StringBuilder();
        boolean stopped = false;
        for (int a : actions) {
            if (stopped) break;
            if (!enabled(a)) {
                w.sim().note("==== " + actionName(a) + ": not enabled here; replay stops ====");
                break;
            }
            apply(a);
            for (Finding f : findings) {
                if (seen.length() > 0) seen.append("; ");
                seen.append(f.invariant()).append(": ").append(f.detail());
                stopped = true;
            }
            if (goal) seen.append(seen.length() > 0 ? "; goal" : "goal: secure DMA landed with the TDI in RUN");
        }
        for (int i = from; i < tr.events().size(); i++) {
            out.add(String.format("%11.3f us %s", tr.timeOf(i) / 1000.0, tr.render(tr.events().get(i))));
        }
        return seen.toString();
    }
}
