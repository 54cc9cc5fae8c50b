package tdisp.sim;

/**
 * One atomic step of a kernel path, named after the kernel code it stands for. Steps are
 * cut at lock boundaries: only between steps can another thread run.
 *
 * @param cleanup runs even after an earlier step failed (the {@code goto out_unlock} tail)
 * @param acquires true for a lock acquisition: a point where the explorer may preempt
 */
public record Step(String name, Body body, boolean cleanup, boolean acquires) {

    /** The step's effect. Returns false when the thread cannot proceed yet (lock held). */
    @FunctionalInterface
    public interface Body {
        boolean run(KThread t);
    }
}
