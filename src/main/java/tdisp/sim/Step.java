package tdisp.sim;

/**
 * One atomic step of a kernel path, named after the kernel code it stands for. Steps are
 * cut at lock boundaries: only between steps can another thread run.
 *
 * @param cleanup runs even after an earlier step failed (the {@code goto out_unlock} tail)
 * @param kind what the step does to scheduling (see {@link Kind})
 * @param ready side-effect-free test whether the step can run now (null: always); the
 *              explorer uses it to see blocked threads without running them
 * @param lock  the lock an ACQUIRE or LOCKED step takes, and how (null for other kinds):
 *              the explorer's partial-order reduction reads which locks a path can take
 */
public record Step(String name, Body body, boolean cleanup, Kind kind, Ready ready, LockUse lock) {

    public Step(String name, Body body, boolean cleanup, Kind kind, Ready ready) {
        this(name, body, cleanup, kind, ready, null);
    }

    /** Which lock instance (chosen from the thread's registers) and in which mode. */
    public record LockUse(java.util.function.Function<KThread, KLock> which, LockMode mode) {}

    /** The step's effect. Returns false when the thread cannot proceed yet (lock held). */
    @FunctionalInterface
    public interface Body {
        boolean run(KThread t);
    }

    @FunctionalInterface
    public interface Ready {
        boolean test(KThread t);
    }

    public enum Kind {
        /** Runs without waiting. */
        PLAIN,
        /** mutex_lock / down_read / down_write that the path holds across later steps. */
        ACQUIRE,
        /** A short critical section taken and dropped inside the step (one firmware command). */
        LOCKED,
        /** Control returns to userspace (exit to the VMM): any other thread may run first. */
        USER_EXIT,
        /** Sleeps until another actor does something (not a lock: cannot be part of a lock cycle). */
        WAIT
    }

    /** A lock acquisition of either kind (the scenarios' preemption points). */
    public boolean acquires() { return kind == Kind.ACQUIRE || kind == Kind.LOCKED; }

    /**
     * Where the explorer lets another thread in: before a lock the path then holds, at a
     * return to userspace, and before a wait. A LOCKED section's lock is never held between
     * steps, so taking it never blocks and needs no interleaving point of its own.
     */
    public boolean preemptible() { return kind == Kind.ACQUIRE || kind == Kind.USER_EXIT || kind == Kind.WAIT; }

    public boolean readyFor(KThread t) { return ready == null || ready.test(t); }
}
