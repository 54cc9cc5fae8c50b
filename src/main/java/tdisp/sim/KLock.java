package tdisp.sim;

/**
 * A sleeping kernel lock: a mutex or an rw_semaphore. {@code lockClass} is the name
 * lockdep would use (the same for every instance, like {@code &igroup->lock}); the
 * instance label only tells instances apart in traces. A thread's snapshot keeps the locks it
 * holds by identity ({@link Retained}); their owner and readers are rebuilt from the threads.
 */
public final class KLock implements Retained {
    private final String lockClass;
    private final String instance;
    private final boolean rwsem;
    private final String readNode;
    private final String writeNode;
    private int owner = -1;
    private int readers;
    /** Registry position (Sim.register): group of locks of one kind, slot within it or -1. */
    int id = -1;
    int group = -1;
    int slot = -1;

    public KLock(String lockClass, String instance, boolean rwsem) {
        this.lockClass = lockClass;
        this.instance = instance;
        this.rwsem = rwsem;
        this.readNode = rwsem ? lockClass + "(R)" : lockClass;
        this.writeNode = rwsem ? lockClass + "(W)" : lockClass;
    }

    /** The lockdep node for this lock class taken in this mode (read and write sides differ). */
    public String node(LockMode mode) { return mode == LockMode.READ ? readNode : writeNode; }

    public static KLock mutex(String lockClass, String instance) { return new KLock(lockClass, instance, false); }

    public static KLock rwsem(String lockClass, String instance) { return new KLock(lockClass, instance, true); }

    public String lockClass() { return lockClass; }

    public String label() { return instance.isEmpty() ? lockClass : lockClass + "[" + instance + "]"; }

    public boolean isRwsem() { return rwsem; }

    /** Registry slot (the device or VM of a per-slot lock), or -1 for a lock of the whole host. */
    public int slot() { return slot; }

    /** Whether t could take this lock in this mode now: it is free enough, or t holds it already. */
    public boolean availableTo(KThread t, LockMode mode) { return available(mode) || t != null && t.holds(this); }

    boolean available(LockMode mode) {
        if (mode == LockMode.READ) return owner < 0;
        return owner < 0 && readers == 0;
    }

    void acquire(int thread, LockMode mode) {
        if (mode == LockMode.READ) readers++; else owner = thread;
    }

    void release(LockMode mode) {
        if (mode == LockMode.READ) readers--; else owner = -1;
    }

    /** Drops every holder (the explorer rebuilds lock state from the threads' held locks). */
    void clear() {
        owner = -1;
        readers = 0;
    }

    public boolean held() { return owner >= 0 || readers > 0; }

    /** Compact state: owner+1 in the low 16 bits, readers above. */
    public int snapshot() { return (owner + 1) | (readers << 16); }

    public void restore(int s) {
        owner = (s & 0xffff) - 1;
        readers = s >>> 16;
    }
}
