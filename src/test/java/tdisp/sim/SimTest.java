package tdisp.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The simulation core: lockdep, blocking, deadlock detection, guards, unwinding, krefs. */
class SimTest {
    private final Sim sim = new Sim(1);
    private final Scheduler sched = new Scheduler(sim, () -> { }, 10_000);
    private final KLock a = KLock.mutex("A", "");
    private final KLock b = KLock.mutex("B", "");

    private KThread thread(Path p) {
        return new KThread(sim.trace().registerThread("t"), "t", p);
    }

    private Path nest(KLock first, KLock second) {
        return new PathBuilder(sim).lock(first, LockMode.MUTEX).lock(second, LockMode.MUTEX)
                .unlock(second, LockMode.MUTEX).unlock(first, LockMode.MUTEX).build("nest");
    }

    private List<String> violations() {
        return sim.violations().stream().map(Event.Violation::invariant).toList();
    }

    @Test
    void abbaIsALockOrderViolationEvenWithoutADeadlock() {
        sched.runToCompletion(thread(nest(a, b)));
        assertTrue(violations().isEmpty());
        sched.runToCompletion(thread(nest(b, a)));
        assertEquals(List.of("I8"), violations());
    }

    @Test
    void readReadOnOneRwsemIsNotACycle_butReadThenWriteIs() {
        KLock rw = KLock.rwsem("R", "");
        Path p1 = new PathBuilder(sim).lock(rw, LockMode.READ).lock(a, LockMode.MUTEX).unlock(a, LockMode.MUTEX).unlock(rw, LockMode.READ).build("p1");
        sched.runToCompletion(thread(p1));
        Path p2 = new PathBuilder(sim).lock(a, LockMode.MUTEX).lock(rw, LockMode.READ).unlock(rw, LockMode.READ).unlock(a, LockMode.MUTEX).build("p2");
        sched.runToCompletion(thread(p2));
        assertEquals(List.of("I8"), violations(), "R(rw) -> A and A -> R(rw) is a cycle through A");
    }

    @Test
    void interleavedAbbaDeadlocksAndIsReported() {
        KThread t1 = thread(nest(a, b));
        KThread t2 = thread(nest(b, a));
        sched.step(t1); // t1 holds A
        sched.step(t2); // t2 holds B
        assertFalse(sched.runAll(List.of(t1, t2)));
        assertTrue(violations().contains("I9"));
    }

    @Test
    void blockedThreadWaitsAndThenProceeds() {
        KThread holder = thread(new PathBuilder(sim).lock(a, LockMode.MUTEX).step("work", t -> { }).unlock(a, LockMode.MUTEX).build("h"));
        KThread waiter = thread(new PathBuilder(sim).lock(a, LockMode.MUTEX).unlock(a, LockMode.MUTEX).build("w"));
        sched.step(holder);
        assertEquals(Scheduler.Outcome.BLOCKED, sched.step(waiter));
        assertTrue(sched.runAll(List.of(holder, waiter)));
        assertTrue(violations().isEmpty());
        assertFalse(a.held());
    }

    @Test
    void failureSkipsToCleanupAndReleasesOnlyHeldLocks() {
        StringBuilder ran = new StringBuilder();
        Path p = new PathBuilder(sim).lock(a, LockMode.MUTEX)
                .step("fail", t -> t.fail(Errno.EBUSY))
                .lock(b, LockMode.MUTEX)
                .step("never", t -> ran.append("never"))
                .unlock(b, LockMode.MUTEX).unlock(a, LockMode.MUTEX).build("p");
        KThread t = thread(p);
        sched.runToCompletion(t);
        assertEquals(Errno.EBUSY, t.errno());
        assertEquals("", ran.toString());
        assertFalse(a.held());
        assertFalse(b.held());
    }

    @Test
    void guardsSkipTheirBlock() {
        StringBuilder ran = new StringBuilder();
        Path p = new PathBuilder(sim)
                .when("false", t -> false, in -> in.step("x", t -> ran.append('x')))
                .either("true", t -> true, in -> in.step("y", t -> ran.append('y')), in -> in.step("z", t -> ran.append('z')))
                .build("p");
        sched.runToCompletion(thread(p));
        assertEquals("y", ran.toString());
    }

    @Test
    void useAfterLastPutIsI7() {
        KRef r = new KRef(sim, "obj");
        r.get();
        assertFalse(r.put());
        assertTrue(r.put());
        assertTrue(violations().isEmpty());
        r.use("reader");
        assertEquals(List.of("I7"), violations());
    }

    @Test
    void countersFollowTheEventStream() {
        sim.trace().emit(new Event.Exit(0, Event.ExitKind.VM, "x"));
        sim.trace().emit(new Event.Exit(0, Event.ExitKind.USER, "x"));
        sim.trace().emit(new Event.Ioctl(0, "f", "c"));
        sim.trace().emit(new Event.Firmware(0, "c", "ok"));
        sim.trace().emit(new Event.Firmware(0, "c", "ok"));
        assertEquals(new Trace.Counters(0, 1, 1, 1, 2, 0), sim.trace().counters());
    }
}
