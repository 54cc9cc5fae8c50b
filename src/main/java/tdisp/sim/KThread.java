package tdisp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A thread of control: a path and a program counter, plus the few registers the paths
 * pass between steps. No Java thread is involved.
 */
public final class KThread {
    private final int id;
    private final String name;
    private final Path path;
    int pc;
    int skipTo = -1;
    private int errno;
    private final List<KLock> heldLocks = new ArrayList<>(4);
    private final List<LockMode> heldModes = new ArrayList<>(4);

    /** Path arguments: which device, which VM, a number; the value registers are {@link #get}/{@link #set}. */
    public int dev;
    public int vm;
    public int arg;
    /** The value slots, read and written through typed {@link Register}s only. */
    private final RegisterValue[] slots = new RegisterValue[Register.SLOTS];
    /** A return value other than errno (a firmware status). */
    public int ret;
    /** Path-local flags (e.g. "took a reference"), cleared per path run. */
    public long flags;
    /** A VM / device id saved across a nested call that switches t.vm / t.dev (renamed by symmetry). */
    public int savedVm = -1;
    public int savedDev = -1;

    public KThread(int id, String name, Path path) {
        this.id = id;
        this.name = name;
        this.path = path;
    }

    public int id() { return id; }

    public String name() { return name; }

    public Path path() { return path; }

    public int pc() { return pc; }

    public boolean done() { return pc >= path.size(); }

    public int errno() { return errno; }

    public boolean failed() { return errno != 0; }

    /** Sets the return code of the path; later non-cleanup steps are skipped. */
    public void fail(int errno) {
        if (this.errno == 0) this.errno = errno;
    }

    /** Used by guards: continue at step index {@code to}. */
    public void jump(int to) { skipTo = to; }

    /** The value of {@code r}, or null when its slot is empty or holds another register's value. */
    public <T extends RegisterValue> T get(Register<T> r) {
        RegisterValue v = slots[r.slot()];
        return r.type().isInstance(v) ? r.type().cast(v) : null;
    }

    /** Sets {@code r} (null clears its slot). */
    public <T extends RegisterValue> void set(Register<T> r, T value) { slots[r.slot()] = value; }

    public boolean holds(KLock lock) { return heldLocks.contains(lock); }

    void pushLock(KLock lock, LockMode mode) {
        heldLocks.add(lock);
        heldModes.add(mode);
    }

    void popLock(KLock lock) {
        int i = heldLocks.lastIndexOf(lock);
        heldLocks.remove(i);
        heldModes.remove(i);
    }

    int heldCount() { return heldLocks.size(); }

    KLock heldLock(int i) { return heldLocks.get(i); }

    LockMode heldMode(int i) { return heldModes.get(i); }

    /** Program counter and registers, exactly (register values and held locks by reference). */
    public void save(StateWriter w) {
        w.put(pc);
        w.put(skipTo);
        w.put(errno);
        w.put(dev);
        w.put(vm);
        w.put(arg);
        w.put(ret);
        w.putLong(flags);
        w.put(savedVm);
        w.put(savedDev);
        for (RegisterValue v : slots) w.putRef(v);
        w.put(heldLocks.size());
        for (int i = 0; i < heldLocks.size(); i++) {
            w.putRef(heldLocks.get(i));
            w.put(heldModes.get(i).ordinal());
        }
    }

    private static final LockMode[] MODES = LockMode.values();

    public void load(StateReader r) {
        pc = r.get();
        skipTo = r.get();
        errno = r.get();
        dev = r.get();
        vm = r.get();
        arg = r.get();
        ret = r.get();
        flags = r.getLong();
        savedVm = r.get();
        savedDev = r.get();
        for (int i = 0; i < slots.length; i++) slots[i] = r.getRef(RegisterValue.class);
        heldLocks.clear();
        heldModes.clear();
        int n = r.get();
        for (int i = 0; i < n; i++) {
            heldLocks.add(r.getRef(KLock.class));
            heldModes.add(MODES[r.get()]);
        }
    }

    /**
     * The canonical form: ids renamed, locks named by (kind, renamed slot), register values by
     * what they mean ({@code meaning} maps each value slot's content, or null, to an int).
     */
    public void saveCanonical(StateWriter w, ToIntFunction<RegisterValue> meaning) {
        w.put(pc);
        w.put(skipTo);
        w.put(errno);
        w.putId(dev);
        w.putId(vm);
        w.put(arg);
        w.put(ret);
        w.putLong(flags);
        w.putId(savedVm);
        w.putId(savedDev);
        for (RegisterValue v : slots) w.put(meaning.applyAsInt(v));
        w.put(heldLocks.size());
        for (int i = 0; i < heldLocks.size(); i++) {
            KLock l = heldLocks.get(i);
            w.put(l.group);
            w.putId(l.slot);
            w.put(heldModes.get(i).ordinal());
        }
    }

    String heldNode(int i) { return heldLocks.get(i).node(heldModes.get(i)); }

    /** Back to the start with every register cleared (the explorer reuses thread objects). */
    public void reset() {
        heldLocks.clear();
        heldModes.clear();
        pc = 0;
        skipTo = -1;
        errno = 0;
        flags = 0;
        ret = 0;
        arg = 0;
        savedVm = -1;
        savedDev = -1;
        java.util.Arrays.fill(slots, null);
    }

    /** Makes the thread run its path again from the start (benchmarks reuse threads). */
    public void rewind() {
        if (!heldLocks.isEmpty()) throw new IllegalStateException(name + " still holds locks");
        int keep = arg;
        reset();
        arg = keep;
    }
}
