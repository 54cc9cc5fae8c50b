package tdisp.sim;

/**
 * Virtual-time charges per kind of event (implemented by the cost model). Split by kind so
 * that a run with tracing off can charge without building Event objects.
 */
public interface Charger {
    long exit(Event.ExitKind kind);

    long ioctl();

    /** Any other system call crossing (netlink sendmsg/recvmsg). */
    default long syscall() { return ioctl(); }

    long lock(LockMode mode);

    long copy(Event.CopyKind kind, int bytes);

    long doe();

    long lookup();

    long firmware(String cmd);

    /** Work charged from a cost row by name (Event.Work); nothing by default. */
    default long work(String row) { return 0; }

    /** The charge for a recorded event: the same numbers as the per-kind methods. */
    default long charge(Event e) {
        if (e instanceof Event.Exit x) return exit(x.kind());
        if (e instanceof Event.Ioctl) return ioctl();
        if (e instanceof Event.Syscall) return syscall();
        if (e instanceof Event.Lock l) return l.acquire() ? lock(l.mode()) : 0;
        if (e instanceof Event.Copy c) return copy(c.kind(), c.bytes());
        if (e instanceof Event.Doe) return doe();
        if (e instanceof Event.Lookup) return lookup();
        if (e instanceof Event.Work w) return work(w.row());
        if (e instanceof Event.Firmware f) return firmware(f.cmd());
        return 0;
    }

    Charger FREE = new Charger() {
        public long exit(Event.ExitKind kind) { return 0; }
        public long ioctl() { return 0; }
        public long lock(LockMode mode) { return 0; }
        public long copy(Event.CopyKind kind, int bytes) { return 0; }
        public long doe() { return 0; }
        public long lookup() { return 0; }
        public long firmware(String cmd) { return 0; }
    };
}
