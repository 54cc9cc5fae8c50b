package tdisp.explore;

import java.util.ArrayList;
import java.util.List;

import tdisp.sim.KLock;
import tdisp.sim.KThread;
import tdisp.sim.LockMode;
import tdisp.sim.StateWriter;
import tdisp.sim.Step;

/**
 * Footprints, for partial-order reduction: the objects an action may read or write, as
 * bits. SLOT(s) is the kernel, device and firmware state of slot s (device s and VM s:
 * every component keeps them in per-slot arrays) with the threads of slot s's actors;
 * HOST is the state of no slot: the preemption budget spent and the pending actor (the
 * model keeps no other host-wide state beyond locks, which have footprints of their own
 * below); REQPAGE(s) the shared request page of VM s (the only state a host attacker
 * touches directly); CAPTURE(s) the VMM's copy of it. A kernel path of slot s on VM v and
 * device d declares SLOT(s), SLOT(v) and SLOT(d) (two slots only for the foreign ops), the
 * request page of v for a guest's or VMM's path, and the host-wide locks it takes; where
 * TDIs share a DSM it declares every slot (a PF's FLR reaches the VFs). Three things the
 * footprints cannot see make kernel paths dependent in a state (see
 * {@link #independent}): a slot's state that names another slot's VM or device (a foreign
 * bind, a foreign op in flight: invariants of one slot then read the other), a thread
 * blocked on a lock (I9 is about all threads), and a lock the path takes that another
 * thread holds (it could end blocked). WorldModelFootprintTest checks what each action
 * really wrote and read against this, and that every pair declared independent commutes.
 */
final class Footprints {
    static final int HOST = 0;

    static int slotObject(int s) { return 1 + s; }

    static long slotBit(int s) { return 1L << slotObject(s); }

    static long pageBit(int n, int s) { return 1L << (1 + n + s); }

    static long captureBit(int n, int s) { return 1L << (1 + 2 * n + s); }

    static long allSlots(int n) { return ((1L << n) - 1) << 1; }

    private final WorldModel m;
    private final ActionCatalogue acts;
    private final int n;
    /** Declared footprints by startable action (a continue has its running action's). */
    private final long[] reads;
    private final long[] writes;
    /*
     * Host-wide locks (pci_tsm_rwsem, sev_cmd_mutex, ...), one bit each: which an action's
     * path takes at all, takes exclusively (mutex, down_write), holds across steps
     * exclusively, and holds across steps shared (down_read). Shared holders commute with
     * each other and with short sections of either mode that find the lock free; two short
     * sections always commute (neither leaves the lock taken). Per-slot locks belong to
     * their slot's object.
     */
    private final long[] lockUse, lockUseX, lockHoldX, lockHoldS;
    private final List<KLock> hostLocks = new ArrayList<>();
    /** Every lock instance and mode an action's path may take, for the blocked test. */
    private final KLock[][] pathLocks;
    private final LockMode[][] pathModes;
    /** Whether the action's whole path takes no lock it holds across steps (so it never stops pending a preemption). */
    private final boolean[] lockFree;
    /** Per state, cached until the next load or apply: -1 unknown, 0 no, 1 yes. */
    private int entangled = -1;
    private final StateWriter attribution = new StateWriter();

    /** Declares every startable action's footprint: its catalogue entry's objects plus the locks its path takes. */
    Footprints(WorldModel m, ActionCatalogue acts, int n) {
        this.m = m;
        this.acts = acts;
        this.n = n;
        int total = acts.size();
        reads = new long[total];
        writes = new long[total];
        lockFree = new boolean[total];
        lockUse = new long[total];
        lockUseX = new long[total];
        lockHoldX = new long[total];
        lockHoldS = new long[total];
        pathLocks = new KLock[total][];
        pathModes = new LockMode[total][];
        for (int i = 0; i < total; i++) {
            ActionCatalogue.Act a = acts.get(i);
            reads[i] = a.reads();
            writes[i] = a.writes();
            boolean free = true;
            List<KLock> ls = new ArrayList<>();
            List<LockMode> ms = new ArrayList<>();
            KThread probe = acts.pool[i];
            probe.reset();
            probe.vm = a.vm();
            probe.dev = a.dev();
            for (Step st : a.path().steps()) {
                free &= st.kind() != Step.Kind.ACQUIRE;
                if (st.lock() == null) continue;
                KLock l;
                try {
                    l = st.lock().which().apply(probe);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(a.name() + ": cannot tell which lock '" + st.name() + "' takes from its registers", e);
                }
                ls.add(l);
                ms.add(st.lock().mode());
                if (l.slot() >= 0) {
                    // A per-slot lock is part of its slot's state.
                    if (a.writes() != 0 && (a.writes() & allSlots(n)) != 0) { reads[i] |= slotBit(l.slot()); writes[i] |= slotBit(l.slot()); }
                    continue;
                }
                int g = hostLocks.indexOf(l);
                if (g < 0) { g = hostLocks.size(); hostLocks.add(l); }
                if (g >= 64) throw new IllegalStateException("more than 64 host-wide locks");
                long b = 1L << g;
                boolean exclusive = st.lock().mode() != LockMode.READ;
                lockUse[i] |= b;
                if (exclusive) lockUseX[i] |= b;
                if (st.kind() == Step.Kind.ACQUIRE) {
                    if (exclusive) lockHoldX[i] |= b; else lockHoldS[i] |= b;
                }
            }
            probe.reset();
            lockFree[i] = free;
            pathLocks[i] = ls.toArray(new KLock[0]);
            pathModes[i] = ms.toArray(new LockMode[0]);
        }
    }

    /** The state changed (a load or an apply): what was cached about it is stale. */
    void stateChanged() { entangled = -1; }

    /** How many footprint objects this model has (the bits a footprint may set). */
    int footprintObjects() { return 1 + 3 * n; }

    String objectName(int bit) {
        if (bit == HOST) return "host";
        if (bit <= n) return "kernel-slot" + (bit - 1);
        return bit <= 2 * n ? "request-page" + (bit - 1 - n) : "capture" + (bit - 1 - 2 * n);
    }

    /** The startable action whose footprint action a has now (a continue: its running path's), or -1. */
    private int footprintAct(int a) { return a < acts.size() ? a : m.runningAct[a - acts.size()]; }

    /**
     * The declared footprints in the current state, for the test that checks them. Under a
     * preemption bound every action may spend budget or leave a preemption pending: host
     * state that independent() handles by its bounded-POR rule rather than by footprints.
     */
    long declaredReads(int a) { int f = footprintAct(a); return f < 0 ? 0 : reads[f] | m.bound.budgetBits(); }

    long declaredWrites(int a) { int f = footprintAct(a); return f < 0 ? 0 : writes[f] | m.bound.budgetBits(); }

    /** Whether action a runs kernel code (its footprint has a slot), as opposed to the attacker's page operations. */
    private boolean kernelPath(int f) { return (writes[f] & allSlots(n)) != 0; }

    /**
     * Footprint independence (no write of one meets a read or write of the other; the same
     * actor's actions never commute), made sound with the preemption bound by
     * {@link PreemptionBound#commutes}.
     */
    boolean independent(int a, int b) {
        if (acts.actorOf(a) == acts.actorOf(b)) return false;
        int fa = footprintAct(a), fb = footprintAct(b);
        if (fa < 0 || fb < 0) return false;
        if ((writes[fa] & (reads[fb] | writes[fb])) != 0 || (writes[fb] & reads[fa]) != 0) return false;
        if (kernelPath(fa) && kernelPath(fb)) {
            long conflict = lockHoldX[fa] & lockUse[fb] | lockHoldX[fb] & lockUse[fa] | lockHoldS[fa] & lockUseX[fb] | lockHoldS[fb] & lockUseX[fa];
            if (conflict != 0 || entangled() || mayBlock(a, fa) || mayBlock(b, fb)) return false;
        }
        return m.bound.commutes(lockFree[fa], lockFree[fb]);
    }

    /**
     * Whether the kernel paths' footprints miss something in this state: a slot's state
     * names another slot's VM or device (a foreign bind, a foreign op in flight), or a
     * thread waits for a lock. Computed once per state.
     */
    private boolean entangled() {
        if (entangled < 0) {
            boolean e = false;
            for (KThread t : m.running) {
                if (t == null) continue;
                Step s = m.sched.peek(t);
                if (s != null && s.acquires() && !s.readyFor(t)) e = true;
            }
            if (!e) {
                m.canon.encodeUnpermuted(attribution, true);
                e = attribution.crossSlot();
            }
            entangled = e ? 1 : 0;
        }
        return entangled == 1;
    }

    /** Whether action a (footprint fa) may take a lock another thread holds now, and so end blocked. */
    private boolean mayBlock(int a, int fa) {
        KThread self = a < acts.size() ? null : m.running[a - acts.size()];
        KLock[] ls = pathLocks[fa];
        for (int i = 0; i < ls.length; i++) if (!ls[i].availableTo(self, pathModes[fa][i])) return true;
        return false;
    }
}
