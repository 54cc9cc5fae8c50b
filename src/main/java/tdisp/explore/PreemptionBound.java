package tdisp.explore;

import tdisp.sim.KThread;
import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;
import tdisp.sim.Step;

/**
 * Bounds how often a thread stopped before a lock may be passed over for another actor
 * (iterative context bounding, Musuvathi and Qadeer, PLDI 2007): most concurrency bugs
 * need one or two such preemptions, while the number of interleavings grows exponentially
 * with them. Switching at an exit to userspace, at a wait, or when the thread is blocked
 * or done is free. Holds the bound and, as part of the model's state, the preemptions
 * spent on the way here and the actor that ran last.
 */
final class PreemptionBound {
    private final WorldModel m;
    /** Preemption bound (-1: none); preemptions used on the way here; the actor that ran last. */
    private int max = ExplorerConfig.DEFAULT_PREEMPTIONS;
    private int used;
    private int lastActor = -1;

    PreemptionBound(WorldModel m) { this.m = m; }

    /** Sets the bound; -1 lifts it. */
    void set(int bound) { max = bound; }

    /** Whether budget is left: only then may an actor pass over another (and only then does it count). */
    private boolean budgetLeft() { return max >= 0 && used < max; }

    /** The host object every action may touch under a bound (it may spend budget or leave a preemption pending). */
    long budgetBits() { return max > 0 ? 1L << Footprints.HOST : 0; }

    /** Whether action a may run under the bound now. */
    boolean allows(int a) { return max < 0 || used < max || !preempts(a); }

    /** True if running action a now passes over the last actor, which could go on from a lock. */
    boolean preempts(int a) {
        if (lastActor < 0 || m.actorOf(a) == lastActor) return false;
        KThread t = m.running[lastActor];
        if (t == null) return false;
        Step s = m.sched.peek(t);
        return s != null && s.kind() == Step.Kind.ACQUIRE && s.readyFor(t);
    }

    /** Counts action a's preemption, if it is one; called before a runs. */
    void charge(int a) { if (preempts(a)) used++; }

    /** After an action: the actor that ran, or -1 if its thread finished. */
    void ran(int actor) { lastActor = actor; }

    /** Whether a thread about to take a free lock at {@code s} may stop there (with the budget spent nobody may pass it: it runs on). */
    boolean mayStopBefore(Step s, KThread t) {
        return s.kind() != Step.Kind.ACQUIRE || max < 0 || used < max || !s.readyFor(t);
    }

    /**
     * The bounded-POR rule of {@link Footprints#independent} (Coons, Musuvathi and McKinley,
     * OOPSLA 2013, show that reduction and bounding interact): while budget is left, an
     * action's cost, and where its segment stops, depend on who ran last, so a pair commutes
     * only if neither costs a preemption in either order and neither can leave a preemption
     * pending (no thread waits at a free lock now, and neither path holds a lock across
     * steps: {@code lockFreeA}, {@code lockFreeB}). Then both orders spend nothing and end
     * with no preemption pending, which the canonical encoding records instead of the last
     * actor. With the budget spent nobody can be preempted, and without a bound nobody counts.
     */
    boolean commutes(boolean lockFreeA, boolean lockFreeB) {
        if (budgetLeft()) return pendingActor() < 0 && lockFreeA && lockFreeB;
        return true;
    }

    /**
     * The actor whose thread another actor would preempt by running now (it stopped before a
     * free lock, with budget left), or -1. This, not the last actor as such, is what decides
     * the future: the last actor matters only through preempts().
     */
    int pendingActor() {
        if (max < 0 || used >= max || lastActor < 0) return -1;
        KThread t = m.running[lastActor];
        if (t == null) return -1;
        Step s = m.sched.peek(t);
        return s != null && s.kind() == Step.Kind.ACQUIRE && s.readyFor(t) ? lastActor : -1;
    }

    /** The exact state: preemptions spent and the last actor. */
    void save(StateWriter out) {
        out.put(used);
        out.put(lastActor);
    }

    void load(StateReader in) {
        used = in.get();
        lastActor = in.get();
    }

    /**
     * The canonical state (under a bound only): preemptions spent and the pending actor,
     * renamed as the encoding renames slots.
     */
    void encode(StateWriter cw, int n) {
        if (max < 0) return;
        cw.put(used);
        int pend = pendingActor();
        cw.put(pend < 0 ? -1 : (pend / n) * n + cw.id(pend % n));
    }
}
