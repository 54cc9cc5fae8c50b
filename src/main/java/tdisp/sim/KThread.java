package tdisp.sim;

import java.util.ArrayList;
import java.util.List;

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

    /** Path arguments: which device, which VM, a message, a return value. */
    public int dev;
    public int vm;
    public int arg;
    public Object msg;
    public Object out;
    /** A return value other than errno (a firmware status). */
    public int ret;
    /** Path-local flags (e.g. "took a reference"), cleared per path run. */
    public long flags;

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

    String heldNode(int i) { return heldLocks.get(i).node(heldModes.get(i)); }

    /** Makes the thread run its path again from the start (benchmarks reuse threads). */
    public void rewind() {
        if (!heldLocks.isEmpty()) throw new IllegalStateException(name + " still holds locks");
        pc = 0;
        skipTo = -1;
        errno = 0;
        flags = 0;
        ret = 0;
    }
}
