package tdisp.sim;

/**
 * One thing that happened while a kernel path ran. The trace is a list of these; the
 * counters are derived from the same stream, so they can never disagree with the trace.
 */
public sealed interface Event {
    /** The thread (actor) that produced the event. */
    int thread();

    /** Kernel-style rendering, without the thread prefix. */
    String render();

    /** A function (or exit handler, or ioctl handler) entered. */
    record Call(int thread, String fn) implements Event {
        public String render() { return fn; }
    }

    /** A user to kernel crossing by ioctl(2) on a file (VFIO cdev, iommufd, VM fd). */
    record Ioctl(int thread, String file, String cmd) implements Event {
        public String render() { return "ioctl(" + file + ", " + cmd + ")"; }
    }

    /**
     * A user to kernel crossing by another system call (a netlink sendmsg/recvmsg): charged
     * as a syscall, not counted among the ioctls.
     */
    record Syscall(int thread, String call) implements Event {
        public String render() { return call; }
    }

    /** A VM exit (guest to host kernel) or an exit to userspace (host kernel to VMM). */
    record Exit(int thread, ExitKind kind, String reason) implements Event {
        public String render() {
            return (kind == ExitKind.VM ? "VM exit: " : "exit to VMM: ") + reason;
        }
    }

    /** A lock taken or released, by its kernel name. */
    record Lock(int thread, String lock, LockMode mode, boolean acquire) implements Event {
        public String render() { return mode.verb(acquire) + "(" + lock + ")"; }
    }

    /** One firmware command (PSP mailbox command, SEAMCALL, TDCALL) and its result. */
    record Firmware(int thread, String cmd, String result) implements Event {
        public String render() { return "fw " + cmd + " = " + result; }
    }

    /** One DOE mailbox exchange with a device (drivers/pci/doe.c pci_doe()): an SPDM/TDISP message. */
    record Doe(int thread, String request, String result) implements Event {
        public String render() { return "  pci_doe: " + request + " -> " + result; }
    }

    /** A copy across a boundary: user (copy_from_user/copy_to_user) or guest memory (kvm_read_guest). */
    record Copy(int thread, CopyKind kind, String what, int bytes) implements Event {
        public String render() { return "  " + kind.fn + ": " + what + " (" + bytes + " bytes)"; }
    }

    /** An object lookup by id (xa_load in iommufd_get_object, KVM's TDI table). */
    record Lookup(int thread, String what) implements Event {
        public String render() { return what; }
    }

    /**
     * Work charged from a named cost row that is neither a crossing, a call, a lock nor a
     * firmware command (the SNP guest's own sDTE write through the secure vIOMMU).
     */
    record Work(int thread, String row, String what) implements Event {
        public String render() { return what; }
    }

    /** A device or object state change worth seeing in the trace (TDI state, SDTE, refs). */
    record StateChange(int thread, String object, String from, String to) implements Event {
        public String render() { return "  " + object + ": " + from + " -> " + to; }
    }

    /** A function returning an error code. */
    record Ret(int thread, String fn, int errno) implements Event {
        public String render() { return fn + " = " + Errno.name(errno); }
    }

    /** Free text: a policy decision, a copy, a device-side effect. */
    record Note(int thread, String text) implements Event {
        public String render() { return "  " + text; }
    }

    /** An invariant violation, recorded at the step that caused it. */
    record Violation(int thread, String invariant, String detail) implements Event {
        public String render() { return "!! " + invariant + ": " + detail; }
    }

    /**
     * A step whose outcome rests on a named assumption (the first such step of a run for
     * each assumption): typed, so results read it without parsing the trace.
     */
    record Assumed(int thread, Assumption assumption) implements Event {
        public String render() { return "  [assumption] " + assumption.id() + ": " + assumption.statement(); }
    }

    enum ExitKind { VM, USER }

    enum CopyKind {
        FROM_USER("copy_from_user"), TO_USER("copy_to_user"), READ_GUEST("kvm_read_guest"), WRITE_GUEST("kvm_write_guest");

        private final String fn;

        CopyKind(String fn) { this.fn = fn; }

        public boolean user() { return this == FROM_USER || this == TO_USER; }
    }
}
