package tdisp.sim;

import java.util.List;

/**
 * Runs threads one step at a time. Invariants are checked by the {@code afterStep} hook
 * after every step that ran. A step that cannot take its lock leaves the thread where it
 * is; if no thread can move, the system is deadlocked (I9).
 */
public final class Scheduler {
    /** What one call to {@link #step} did. */
    public enum Outcome { RAN, BLOCKED, DONE }

    private final Sim sim;
    private final Runnable afterStep;
    private final long stepLimit;
    private long stepsRun;

    public Scheduler(Sim sim, Runnable afterStep, long stepLimit) {
        this.sim = sim;
        this.afterStep = afterStep;
        this.stepLimit = stepLimit;
    }

    /** Runs the next step of t that is not skipped. */
    public Outcome step(KThread t) {
        sim.setCurrent(t);
        while (!t.done()) {
            if (t.skipTo >= 0) {
                t.pc = t.skipTo;
                t.skipTo = -1;
                continue;
            }
            Step s = t.path().step(t.pc);
            if (t.failed() && !s.cleanup()) {
                t.pc++;
                continue;
            }
            sim.setCurrentStep(s.name());
            if (!s.body().run(t)) return Outcome.BLOCKED;
            t.pc++;
            sim.trace().countStep();
            stepsRun++;
            afterStep.run();
            sim.setCurrentStep("");
            return Outcome.RAN;
        }
        return Outcome.DONE;
    }

    /** A trace note in t's name (the explorer's action headers). */
    public void announce(KThread t, String text) {
        sim.setCurrent(t);
        sim.note(text);
    }

    /** The step t would run next (skipping what a failure skips), or null at the end. */
    public Step peek(KThread t) {
        int pc = t.skipTo >= 0 ? t.skipTo : t.pc;
        while (pc < t.path().size()) {
            Step s = t.path().step(pc);
            if (t.failed() && !s.cleanup()) { pc++; continue; }
            return s;
        }
        return null;
    }

    /** True when the next step t would run is a lock acquisition (a preemption point). */
    public boolean atLockPoint(KThread t) {
        int pc = t.pc;
        while (pc < t.path().size()) {
            Step s = t.path().step(pc);
            if (t.failed() && !s.cleanup()) { pc++; continue; }
            return s.acquires();
        }
        return false;
    }

    /** Runs t to its end; other threads are not scheduled. A blocked t is a deadlock (I9). */
    public boolean runToCompletion(KThread t) {
        while (!t.done()) {
            if (step(t) == Outcome.BLOCKED) {
                sim.violation("I9", "no thread can run: " + t.name() + " waits at '" + t.path().step(t.pc).name() + "'");
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the threads round-robin, one step each, until all are done.
     * @return false if they deadlocked or hit the step limit (reported as I9)
     */
    public boolean runAll(List<KThread> threads) {
        while (true) {
            boolean allDone = true;
            boolean progress = false;
            for (KThread t : threads) {
                if (t.done()) continue;
                Outcome o = step(t);
                if (o == Outcome.RAN) progress = true;
                if (!t.done()) allDone = false;
            }
            if (allDone) return true;
            if (!progress) {
                StringBuilder sb = new StringBuilder("no thread can run:");
                for (KThread t : threads) {
                    if (!t.done()) sb.append(' ').append(t.name()).append(" waits at '").append(t.path().step(t.pc).name()).append('\'');
                }
                sim.violation("I9", sb.toString());
                return false;
            }
            if (stepsRun > stepLimit) {
                sim.violation("I9", "step limit " + stepLimit + " exceeded");
                return false;
            }
        }
    }

    public long stepsRun() { return stepsRun; }
}
