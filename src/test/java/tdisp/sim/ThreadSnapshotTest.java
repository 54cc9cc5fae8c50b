package tdisp.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A thread's exact snapshot keeps its register values and held locks as typed references
 * and puts them back by identity; its canonical form writes what the values mean.
 */
class ThreadSnapshotTest {
    /** A register value only this test declares (the kernel's request and origin live elsewhere). */
    private record Token(int n) implements RegisterValue {}

    private record Other(int n) implements RegisterValue {}

    private static final Register<Token> TOKEN = new Register<>("token", 0, Token.class);
    private static final Register<Other> OTHER = new Register<>("other", 0, Other.class);
    private static final Register<Token> SECOND = new Register<>("second", 1, Token.class);

    private final Sim sim = new Sim(1);
    private final KLock lock = KLock.rwsem("L", "");

    private KThread thread() {
        return new KThread(sim.trace().registerThread("t"), "t", new PathBuilder(sim).step("s", t -> { }).build("p"));
    }

    @Test
    void exactRestorePutsBackTheSameValuesAndLocks() {
        KThread t = thread();
        Token tok = new Token(7);
        t.set(TOKEN, tok);
        t.pushLock(lock, LockMode.READ);
        t.arg = 3;
        StateWriter w = new StateWriter();
        w.exact(1);
        t.save(w);
        StateWriter.Snapshot snap = w.snapshot();

        t.popLock(lock);
        t.reset();
        assertNull(t.get(TOKEN));
        StateReader r = new StateReader().reset(snap);
        t.load(r);
        assertTrue(r.atEnd(), "load reads what save wrote");
        assertSame(tok, t.get(TOKEN));
        assertNull(t.get(SECOND));
        assertTrue(t.holds(lock));
        assertEquals(LockMode.READ, t.heldMode(0));
        assertEquals(3, t.arg);
    }

    @Test
    void aSharedSlotAnswersOnlyTheRegisterWhoseTypeItHolds() {
        KThread t = thread();
        t.set(OTHER, new Other(1));
        assertNull(t.get(TOKEN));
        assertEquals(new Other(1), t.get(OTHER));
    }

    @Test
    void readingAReferenceAsAnotherTypeFails() {
        StateWriter w = new StateWriter();
        w.exact(1);
        w.putRef(new Token(1));
        StateReader r = new StateReader().reset(w.snapshot());
        assertThrows(ClassCastException.class, () -> r.getRef(KLock.class));
    }

    @Test
    void aCanonicalEncodingRefusesReferences() {
        StateWriter w = new StateWriter();
        w.canonical(new int[] {0});
        assertThrows(IllegalStateException.class, () -> w.putRef(lock));
    }

    @Test
    void theCanonicalFormWritesEachSlotsMeaningNotItsIdentity() {
        KThread a = thread();
        KThread b = thread();
        a.set(TOKEN, new Token(5));
        b.set(TOKEN, new Token(5));
        List<RegisterValue> seen = new ArrayList<>();
        StateWriter wa = new StateWriter();
        StateWriter wb = new StateWriter();
        wa.canonical(new int[] {0});
        wb.canonical(new int[] {0});
        a.saveCanonical(wa, v -> { seen.add(v); return v instanceof Token k ? 100 + k.n() : 0; });
        b.saveCanonical(wb, v -> v instanceof Token k ? 100 + k.n() : 0);
        assertEquals(0, wa.compareTo(wb));
        assertEquals(List.of(new Token(5)), seen.subList(0, 1));
        assertEquals(Register.SLOTS, seen.size(), "every slot, empty ones as null");
        b.set(TOKEN, new Token(6));
        wb.canonical(new int[] {0});
        b.saveCanonical(wb, v -> v instanceof Token k ? 100 + k.n() : 0);
        assertNotEquals(0, wa.compareTo(wb));
    }
}
