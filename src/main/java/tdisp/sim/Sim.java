package tdisp.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The runtime every component shares: the trace, lockdep, the violation list, the
 * current thread and the one seeded random source of a run. It knows no component.
 */
public final class Sim {
    private final Trace trace = new Trace();
    private final Lockdep lockdep = new Lockdep();
    private final List<Event.Violation> violations = new ArrayList<>();
    private final java.util.EnumSet<Assumption> assumed = java.util.EnumSet.noneOf(Assumption.class);
    private final List<KLock> locks = new ArrayList<>();
    private int lockGroups;
    private final SplittableRandom rng;
    private KThread current;
    private int currentId;

    public Sim(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    public Trace trace() { return trace; }

    /** Registers a global lock with the explorer's lock table. */
    public KLock register(KLock lock) {
        lock.id = locks.size();
        lock.group = lockGroups++;
        lock.slot = -1;
        locks.add(lock);
        return lock;
    }

    /** Registers one lock per device slot (pf0 locks, memory_lock, ...): renamed with the slot. */
    public KLock[] register(KLock[] perSlot) {
        int g = lockGroups++;
        for (int i = 0; i < perSlot.length; i++) {
            perSlot[i].id = locks.size();
            perSlot[i].group = g;
            perSlot[i].slot = i;
            locks.add(perSlot[i]);
        }
        return perSlot;
    }

    /**
     * Puts the locks back as the given threads hold them (restore): every registered lock
     * is freed, then each thread's held locks are taken again in its name.
     */
    public void rebuildLocks(KThread[] threads) {
        for (KLock l : locks) l.clear();
        for (KThread t : threads) {
            if (t == null) continue;
            for (int i = 0; i < t.heldCount(); i++) t.heldLock(i).acquire(t.id(), t.heldMode(i));
        }
    }

    /** Forgets recorded violations (the explorer collects them after every transition). */
    public void clearViolations() { violations.clear(); }

    public Lockdep lockdep() { return lockdep; }

    public SplittableRandom rng() { return rng; }

    /** Splits an independent deterministic stream for a component. */
    public SplittableRandom split() { return rng.split(); }

    void setCurrent(KThread t) {
        current = t;
        currentId = t.id();
    }

    /** Runs host code outside any thread (world construction) as thread 0. */
    public int currentThread() { return currentId; }

    public KThread current() { return current; }

    /**
     * True while the trace records. Call sites that build a message string check this
     * first, so a run with tracing off allocates nothing for its trace.
     */
    public boolean tracing() { return trace.recording(); }

    // Events that only appear in the trace: dropped when not recording.

    public void call(String fn) { if (trace.recording()) trace.emit(new Event.Call(currentId, fn)); }

    public void state(String object, String from, String to) {
        if (trace.recording()) trace.emit(new Event.StateChange(currentId, object, from, to));
    }

    public void note(String text) { if (trace.recording()) trace.emit(new Event.Note(currentId, text)); }

    public void ret(String fn, int errno) { if (trace.recording()) trace.emit(new Event.Ret(currentId, fn, errno)); }

    // Events that are counted and cost time: built only when recording, charged always.

    public void ioctl(String file, String cmd) {
        if (trace.recording()) trace.emit(new Event.Ioctl(currentId, file, cmd)); else trace.countIoctl();
    }

    /** A system call other than ioctl (netlink), e.g. "sendmsg(genl pci-tsm, ...)". */
    public void syscall(String call) {
        if (trace.recording()) trace.emit(new Event.Syscall(currentId, call)); else trace.countSyscall();
    }

    public void vmExit(String reason) {
        if (trace.recording()) trace.emit(new Event.Exit(currentId, Event.ExitKind.VM, reason)); else trace.countExit(Event.ExitKind.VM);
    }

    public void userExit(String reason) {
        if (trace.recording()) trace.emit(new Event.Exit(currentId, Event.ExitKind.USER, reason)); else trace.countExit(Event.ExitKind.USER);
    }

    /** A firmware command; {@code result} may be null when not tracing. */
    public void fw(String cmd, String result) {
        if (trace.recording()) trace.emit(new Event.Firmware(currentId, cmd, result)); else trace.countFirmware(cmd);
    }

    /** One DOE exchange; {@code result} may be null when not tracing. */
    public void doe(String request, String result) {
        if (trace.recording()) trace.emit(new Event.Doe(currentId, request, result)); else trace.countDoe();
    }

    public void copy(Event.CopyKind kind, String what, int bytes) {
        if (trace.recording()) trace.emit(new Event.Copy(currentId, kind, what, bytes)); else trace.countCopy(kind, bytes);
    }

    /** Work charged from cost row {@code row}, shown as {@code what}: see {@link Event.Work}. */
    public void work(String row, String what) {
        if (trace.recording()) trace.emit(new Event.Work(currentId, row, what)); else trace.countWork(row);
    }

    public void lookup(String what) {
        if (trace.recording()) trace.emit(new Event.Lookup(currentId, what)); else trace.countLookup();
    }

    private boolean lockdepOn = true;

    /** Lock-order recording (I8); off for benchmarks, where the paths are known to be clean. */
    public void setLockdep(boolean on) { lockdepOn = on; }

    private String currentStep = "";

    void setCurrentStep(String name) { currentStep = name; }

    /** Records a violation; the detail ends with the step that caused it (the call site to fix). */
    public void violation(String invariant, String detail) {
        if (!currentStep.isEmpty() && !detail.endsWith("]")) detail = detail + " [at " + currentStep + "]";
        Event.Violation v = new Event.Violation(currentId, invariant, detail);
        violations.add(v);
        trace.emit(v);
    }

    public List<Event.Violation> violations() { return Collections.unmodifiableList(violations); }

    /**
     * The current step's outcome rests on a named assumption: the run records it (always,
     * tracing or not) and the trace shows it once per run.
     */
    public void assume(Assumption a) {
        if (assumed.add(a) && trace.recording()) trace.emit(new Event.Assumed(currentId, a));
    }

    /** The assumptions the run's steps rested on so far, in catalogue order. */
    public java.util.Set<Assumption> assumed() { return Collections.unmodifiableSet(assumed); }

    /** Tries to take a lock for the current thread; false means the thread must wait. */
    public boolean lock(KLock lock, LockMode mode) {
        if (!lock.available(mode)) return false;
        String cycle = lockdepOn ? lockdep.record(current, lock.node(mode), currentStep) : null;
        lock.acquire(currentId, mode);
        current.pushLock(lock, mode);
        if (trace.recording()) trace.emit(new Event.Lock(currentId, lock.lockClass(), mode, true)); else trace.countLock(mode);
        if (cycle != null) violation("I8", lockCycleDetail(cycle, ""));
        return true;
    }

    /** The I8 detail for a cycle closed at {@code step} ("" = the current step, added by violation). */
    public static String lockCycleDetail(String cycle, String step) {
        return "lock order cycle " + cycle + (step.isEmpty() ? "" : " [at " + step + "]");
    }

    public void unlock(KLock lock, LockMode mode) {
        lock.release(mode);
        current.popLock(lock);
        if (trace.recording()) trace.emit(new Event.Lock(currentId, lock.lockClass(), mode, false));
    }
}
