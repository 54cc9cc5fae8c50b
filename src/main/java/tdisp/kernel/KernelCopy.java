package tdisp.kernel;

import static tdisp.kernel.ThreadRegisters.REQUEST;
import static tdisp.kernel.ThreadRegisters.USER_REQUEST;

import tdisp.firmware.MsgBuf;
import tdisp.sim.Event;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * A kernel entry point's own copy of the guest's request and response pages
 * (copy_from_user/copy_to_user in an ioctl, kvm_read_guest/kvm_write_guest in KVM). The
 * copies are real: whole pages, into buffers owned by this entry point, so the firmware
 * reads the kernel's copy and the guest sees only what is copied back.
 */
public final class KernelCopy {
    private final Sim sim;
    private final Event.CopyKind in;
    private final Event.CopyKind out;
    private final MsgBuf[] kreq;
    private final MsgBuf[] krsp;
    /** True between copy-in and copy-out: only then do the kernel pages hold anything live. */
    private final boolean[] busy;
    /** Kernel-side request descriptors, per device and per user request object (reused). */
    private final java.util.IdentityHashMap<TsmRequest, TsmRequest>[] views;

    @SuppressWarnings("unchecked")
    public KernelCopy(Sim sim, int devices, boolean user) {
        this.sim = sim;
        this.in = user ? Event.CopyKind.FROM_USER : Event.CopyKind.READ_GUEST;
        this.out = user ? Event.CopyKind.TO_USER : Event.CopyKind.WRITE_GUEST;
        this.kreq = new MsgBuf[devices];
        this.krsp = new MsgBuf[devices];
        this.busy = new boolean[devices];
        this.views = new java.util.IdentityHashMap[devices];
        for (int d = 0; d < devices; d++) {
            kreq[d] = new MsgBuf();
            krsp[d] = new MsgBuf();
            views[d] = new java.util.IdentityHashMap<>();
        }
    }

    /** Copies the request page in and points REQUEST at the kernel copy (the user's is kept in USER_REQUEST). */
    public void copyIn(PathBuilder b) {
        b.step(in == Event.CopyKind.FROM_USER ? "copy_from_user(req)" : "kvm_read_guest(req)", t -> {
            TsmRequest u = t.get(REQUEST);
            if (u == null) return;
            t.set(USER_REQUEST, u);
            if (!u.hasPages()) return;
            kreq[t.dev].copyFrom(u.req());
            busy[t.dev] = true;
            sim.copy(in, "request page (ciphertext)", MsgBuf.PAGE);
            TsmRequest k = views[t.dev].get(u);
            if (k == null) {
                k = u.withPages(kreq[t.dev], krsp[t.dev]);
                views[t.dev].put(u, k);
            }
            t.set(REQUEST, k);
        });
    }

    /** Copies the response page back (on success) and restores REQUEST to the user's request. */
    public void copyOut(PathBuilder b) {
        b.cleanup(out == Event.CopyKind.TO_USER ? "copy_to_user(rsp)" : "kvm_write_guest(rsp)", t -> {
            TsmRequest u = t.get(USER_REQUEST);
            if (u == null) return;
            if (u.hasPages()) busy[t.dev] = false;
            if (u.hasPages() && !t.failed() && t.ret >= 0) {
                u.rsp().copyFrom(krsp[t.dev]);
                sim.copy(out, "response page (ciphertext)", MsgBuf.PAGE);
            }
            t.set(REQUEST, u);
            t.set(USER_REQUEST, null);
        });
    }

    /** Exact: everything. Canonical: the pages only while a request is between copy-in and copy-out. */
    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < busy.length; k++) {
            int d = w.at(k);
            w.putBool(busy[d]);
            if (!w.isCanonical() || busy[d]) {
                kreq[d].save(w);
                krsp[d].save(w);
            }
        }
    }

    public void load(tdisp.sim.StateReader r) {
        for (int d = 0; d < busy.length; d++) {
            busy[d] = r.getBool();
            kreq[d].load(r);
            krsp[d].load(r);
        }
    }
}
