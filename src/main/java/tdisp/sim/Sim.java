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
    private final SplittableRandom rng;
    private KThread current;
    private int currentId;

    public Sim(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    public Trace trace() { return trace; }

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

    public void call(String fn) { trace.emit(new Event.Call(currentId, fn)); }

    public void ioctl(String file, String cmd) { trace.emit(new Event.Ioctl(currentId, file, cmd)); }

    public void vmExit(String reason) { trace.emit(new Event.Exit(currentId, Event.ExitKind.VM, reason)); }

    public void userExit(String reason) { trace.emit(new Event.Exit(currentId, Event.ExitKind.USER, reason)); }

    public void fw(String cmd, String result) { trace.emit(new Event.Firmware(currentId, cmd, result)); }

    public void state(String object, String from, String to) {
        trace.emit(new Event.StateChange(currentId, object, from, to));
    }

    public void doe(String request, String result) { trace.emit(new Event.Doe(currentId, request, result)); }

    public void copy(Event.CopyKind kind, String what, int bytes) { trace.emit(new Event.Copy(currentId, kind, what, bytes)); }

    public void note(String text) { trace.emit(new Event.Note(currentId, text)); }

    public void ret(String fn, int errno) { trace.emit(new Event.Ret(currentId, fn, errno)); }

    public void violation(String invariant, String detail) {
        Event.Violation v = new Event.Violation(currentId, invariant, detail);
        violations.add(v);
        trace.emit(v);
    }

    public List<Event.Violation> violations() { return Collections.unmodifiableList(violations); }

    /** Tries to take a lock for the current thread; false means the thread must wait. */
    public boolean lock(KLock lock, LockMode mode) {
        if (!lock.available(mode)) return false;
        List<String> held = current.heldNodes();
        String node = Lockdep.node(lock, mode);
        String cycle = lockdep.record(held, node);
        lock.acquire(currentId, mode);
        current.pushLock(lock, mode);
        trace.emit(new Event.Lock(currentId, lock.lockClass(), mode, true));
        if (cycle != null) violation("I8", "lock order cycle " + cycle);
        return true;
    }

    public void unlock(KLock lock, LockMode mode) {
        lock.release(mode);
        current.popLock(lock);
        trace.emit(new Event.Lock(currentId, lock.lockClass(), mode, false));
    }
}
