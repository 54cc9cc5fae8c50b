package tdisp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds a path the way kernel code reads: steps, lock/unlock pairs, and guarded blocks.
 * Nested calls are flattened at build time, so running a path allocates nothing.
 */
public final class PathBuilder {
    private final Sim sim;
    private final List<Step> steps = new ArrayList<>();

    public PathBuilder(Sim sim) {
        this.sim = sim;
    }

    public Sim sim() { return sim; }

    /** A plain step. */
    public PathBuilder step(String name, Consumer<KThread> body) {
        steps.add(new Step(name, t -> { body.accept(t); return true; }, false, Step.Kind.PLAIN, null));
        return this;
    }

    /** A plain step after which control is in userspace (the exit to the VMM). */
    public PathBuilder userExit(String name, Consumer<KThread> body) {
        steps.add(new Step(name, t -> { body.accept(t); return true; }, false, Step.Kind.USER_EXIT, null));
        return this;
    }

    /** Sleeps until {@code cond} holds (e.g. vfio_unregister_group_dev waiting for the user to close). */
    public PathBuilder waitUntil(String name, Predicate<KThread> cond) {
        steps.add(new Step(name, cond::test, false, Step.Kind.WAIT, cond::test));
        return this;
    }

    /**
     * wait_event(): sleeps only when {@code cond} does not hold already, so an uncontended
     * path has no wait step (and no scheduling point) at all.
     */
    public PathBuilder waitEvent(String name, Predicate<KThread> cond) {
        return when("!(" + name + ")", cond.negate(), in -> in.waitUntil(name, cond));
    }

    /**
     * A step that takes {@code lock}, does its work and drops the lock again: a short
     * critical section such as one firmware command under sev_cmd_mutex.
     */
    public PathBuilder locked(String name, KLock lock, LockMode mode, Consumer<KThread> body) {
        steps.add(new Step(name, t -> {
            if (!sim.lock(lock, mode)) return false;
            try {
                body.accept(t);
            } finally {
                sim.unlock(lock, mode);
            }
            return true;
        }, false, Step.Kind.LOCKED, t -> lock.available(mode), new Step.LockUse(t -> lock, mode)));
        return this;
    }

    /** A step that runs even after a failure (error unwinding). */
    public PathBuilder cleanup(String name, Consumer<KThread> body) {
        steps.add(new Step(name, t -> { body.accept(t); return true; }, true, Step.Kind.PLAIN, null));
        return this;
    }

    public PathBuilder lock(KLock lock, LockMode mode) {
        return lock(t -> lock, mode, lock.lockClass());
    }

    /** Takes a lock chosen at run time (per device, per VM), by its lockdep class name. */
    public PathBuilder lock(Function<KThread, KLock> which, LockMode mode, String lockClass) {
        steps.add(new Step(mode.verb(true) + "(" + lockClass + ")", t -> sim.lock(which.apply(t), mode), false, Step.Kind.ACQUIRE,
                t -> which.apply(t).available(mode), new Step.LockUse(which, mode)));
        return this;
    }

    public PathBuilder unlock(KLock lock, LockMode mode) {
        return unlock(t -> lock, mode, lock.lockClass());
    }

    /** Releases the lock if this thread holds it (it may not, if the path failed first). */
    public PathBuilder unlock(Function<KThread, KLock> which, LockMode mode, String lockClass) {
        steps.add(new Step(mode.verb(false) + "(" + lockClass + ")", t -> {
            KLock l = which.apply(t);
            if (t.holds(l)) sim.unlock(l, mode);
            return true;
        }, true, Step.Kind.PLAIN, null));
        return this;
    }

    /** {@code if (cond) { inner }}: when cond is false the block is skipped whole. */
    public PathBuilder when(String cond, Predicate<KThread> test, Consumer<PathBuilder> inner) {
        int guard = steps.size();
        steps.add(null);
        inner.accept(this);
        int end = steps.size();
        steps.set(guard, new Step("if (" + cond + ")", t -> {
            if (!test.test(t)) t.jump(end);
            return true;
        }, false, Step.Kind.PLAIN, null));
        return this;
    }

    /**
     * {@code if (cond) { inner }} decided even after a failure: an error path's own branch
     * (the guard runs as cleanup, so a failed thread skips the block rather than running
     * only its cleanup steps).
     */
    public PathBuilder whenEvenAfterFailure(String cond, Predicate<KThread> test, Consumer<PathBuilder> inner) {
        int guard = steps.size();
        steps.add(null);
        inner.accept(this);
        int end = steps.size();
        steps.set(guard, new Step("if (" + cond + ")", t -> {
            if (!test.test(t)) t.jump(end);
            return true;
        }, true, Step.Kind.PLAIN, null));
        return this;
    }

    /** {@code if (cond) { a } else { b }}. */
    public PathBuilder either(String cond, Predicate<KThread> test, Consumer<PathBuilder> a, Consumer<PathBuilder> b) {
        when(cond, test, a);
        return when("!" + cond, test.negate(), b);
    }

    public Path build(String name) { return new Path(name, steps); }
}
