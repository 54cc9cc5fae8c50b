package tdisp.kernel;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.KRef;
import tdisp.sim.KThread;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * The PCI TSM core as merged in Linux 6.19 (drivers/pci/tsm.c, AMD's tsm tree for the TDI
 * helpers): per-device {@code pdev->tsm} link state and {@code struct pci_tdi}, the global
 * {@code pci_tsm_rwsem} and the per-DSM {@code pci_tsm_pf0::lock}.
 */
public final class PciTsm {
    public static final String RWSEM = "pci_tsm_rwsem";
    public static final String PF0_LOCK = "pci_tsm_pf0::lock";

    private final Sim sim;
    private final PciTsmOps ops;
    private final KLock rwsem;
    private final KLock[] pf0;
    private final boolean[] linked;
    private final int[] tdiKvm;
    private final int[] tdiId;
    private final KRef[] tdi;
    private final boolean[] present;
    /** The function whose DSM each function sits behind (itself for a PF0): pdev->tsm->dsm_dev. */
    private final int[] dsm;
    private final boolean bindLocks;
    private final boolean faultNoBusyCheck;
    private final boolean faultFnExitNoUnbind;

    /**
     * How the core is built, fixed for its life.
     *
     * @param bindLocks           whether ops->bind LOCKs the TDI (every posting to v5) or only creates its
     *                            context, the guest's SET_TDI_STATE(LOCKED) locking it later (v7; knob bind.lock)
     * @param faultNoBusyCheck    deliberate defect for I5 non-vacuity: bind ignores an existing binding to
     *                            another VM
     * @param faultFnExitNoUnbind deliberate defect for I6 non-vacuity: device removal drops the TDI without
     *                            unbinding it (the pre-bind-patch placeholder)
     */
    public record Config(boolean bindLocks, boolean faultNoBusyCheck, boolean faultFnExitNoUnbind) {
        /** The host's bind LOCKs; no defect. */
        public static final Config DEFAULT = new Config(true, false, false);
    }

    public boolean bindLocks() { return bindLocks; }

    public PciTsm(Sim sim, PciTsmOps ops, int devices, Config config) {
        this.sim = sim;
        this.ops = ops;
        this.bindLocks = config.bindLocks();
        this.faultNoBusyCheck = config.faultNoBusyCheck();
        this.faultFnExitNoUnbind = config.faultFnExitNoUnbind();
        this.rwsem = KLock.rwsem(RWSEM, "");
        this.pf0 = new KLock[devices];
        this.linked = new boolean[devices];
        this.tdiKvm = new int[devices];
        this.tdiId = new int[devices];
        this.tdi = new KRef[devices];
        this.present = new boolean[devices];
        this.dsm = new int[devices];
        for (int i = 0; i < devices; i++) {
            dsm[i] = i;
            pf0[i] = KLock.mutex(PF0_LOCK, "dev" + i);
            tdiKvm[i] = -1;
            present[i] = true;
        }
        sim.register(rwsem);
        sim.register(pf0);
    }

    public KLock pf0(int dev) { return pf0[dev]; }

    /** No TSM on this host (host-only runs): no function has a pdev->tsm. */
    public void detachAll() { java.util.Arrays.fill(present, false); }

    /**
     * Function {@code fn} is a VF behind device {@code pf}'s DSM: it takes that DSM's
     * {@code pci_tsm_pf0::lock} (drivers/pci/tsm.c: a function's pci_tsm points at its PF0's).
     * The lock registered for the slot stays unused.
     */
    public void shareDsmLock(int fn, int pf) { pf0[fn] = pf0[pf]; dsm[fn] = pf; }

    public KLock rwsem() { return rwsem; }

    /** The kvm of the pci_tdi bound on the device, or -1 (pdev->tsm->tdi->kvm). */
    public int boundKvm(int dev) { return tdi[dev] != null ? tdiKvm[dev] : -1; }

    public int tdiId(int dev) { return tdiId[dev]; }

    public boolean linked(int dev) { return linked[dev]; }

    /** Find the device a VM bound under a guest TDI id (what a PCI-aware KVM would need). */
    public int lookup(int kvm, int id) {
        for (int d = 0; d < tdi.length; d++) if (tdi[d] != null && tdiKvm[d] == kvm && tdiId[d] == id) return d;
        return -1;
    }

    /** pci_tsm_connect(): sysfs "connect", link setup by the TSM (SPDM + IDE). */
    public void connect(PathBuilder b) {
        b.step("pci_tsm_connect", t -> sim.call("pci_tsm_connect(" + dev(t) + ")"))
         .lock(rwsem, LockMode.WRITE)
         .lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK);
        ops.connect(b);
        b.step("pdev->tsm = tsm", t -> linked[t.dev] = true)
         .unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
         .unlock(rwsem, LockMode.WRITE);
    }

    /** pci_tsm_bind(pdev, kvm, tdi_id): idempotent for the same kvm, -EBUSY for another. */
    public void bind(PathBuilder b) {
        b.step("pci_tsm_bind", t -> {
            if (sim.tracing()) sim.call("pci_tsm_bind(" + dev(t) + ", kvm=vm" + t.vm + ", tdi_id=" + hex(t.arg) + ")");
            if (t.vm < 0) fail(t, "pci_tsm_bind", Errno.EINVAL);
        }).lock(rwsem, LockMode.READ)
          // drivers/pci/tsm.c (7.2): no pdev->tsm is -EINVAL here; -ENXIO is for a TSM that
          // is not a link TSM, which every platform modelled is.
          .step("pdev->tsm?", t -> { if (!present[t.dev] || !linked[t.dev]) fail(t, "pci_tsm_bind", Errno.EINVAL); })
          .lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
          .step("pdev->tsm->tdi?", t -> {
              if (tdi[t.dev] != null && tdiKvm[t.dev] != t.vm && !faultNoBusyCheck) fail(t, "pci_tsm_bind", Errno.EBUSY);
          })
          .when("!pdev->tsm->tdi", t -> tdi[t.dev] == null, in -> { if (bindLocks) ops.bind(in); else ops.create(in); })
          .step("pdev->tsm->tdi = tdi", t -> {
              if (tdi[t.dev] == null || tdiKvm[t.dev] != t.vm) {
                  // Only reachable for another kvm with the -EBUSY check faulted out.
                  if (tdi[t.dev] == null) tdi[t.dev] = new KRef(sim, "pci_tdi[dev" + t.dev + "]");
                  tdiKvm[t.dev] = t.vm;
                  tdiId[t.dev] = t.arg;
                  sim.state("pci_tdi[dev" + t.dev + "]", "unbound", "bound(vm" + t.vm + ")");
              }
          })
          .unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
          .unlock(rwsem, LockMode.READ);
    }

    /** pci_tsm_unbind(pdev): idempotent; ops->unbind only if a TDI is bound. */
    public void unbind(PathBuilder b) {
        b.step("pci_tsm_unbind", t -> sim.call("pci_tsm_unbind(" + dev(t) + ")"))
         .lock(rwsem, LockMode.READ);
        unbindLocked(b);
        b.unlock(rwsem, LockMode.READ);
    }

    /** __pci_tsm_unbind(): caller holds pci_tsm_rwsem. */
    private void unbindLocked(PathBuilder b) {
        b.when("pdev->tsm", t -> present[t.dev] && linked[t.dev], in -> {
            in.lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
              .when("pdev->tsm->tdi", t -> tdi[t.dev] != null, in2 -> {
                  in2.step("tdi->kvm", t -> { t.vm = tdiKvm[t.dev]; tdi[t.dev].use("ops->unbind"); });
                  ops.unbind(in2);
                  in2.step("pdev->tsm->tdi = NULL", t -> {
                      sim.state("pci_tdi[dev" + t.dev + "]", "bound(vm" + tdiKvm[t.dev] + ")", "unbound");
                      tdi[t.dev].put();
                      tdi[t.dev] = null;
                      tdiKvm[t.dev] = -1;
                  });
              })
              .unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK);
        });
    }

    /**
     * pci_tsm_guest_req(pdev, scope, ...): scopes above STATE_CHANGE are refused; the
     * request runs against the TDI's own kvm (tdi->kvm), whoever carried it.
     */
    public void guestReq(PathBuilder b) {
        b.step("pci_tsm_guest_req", t -> {
            TsmRequest r = t.get(REQUEST);
            if (sim.tracing()) sim.call("pci_tsm_guest_req(" + dev(t) + ", scope=" + r.scope() + ")");
            if (r.scope() > TsmRequest.PCI_TSM_REQ_STATE_CHANGE) fail(t, "pci_tsm_guest_req", Errno.EINVAL);
        }).lock(rwsem, LockMode.READ)
          .step("pdev->tsm?", t -> { if (!present[t.dev] || !linked[t.dev]) fail(t, "pci_tsm_guest_req", Errno.ENXIO); })
          .lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
          .step("pdev->tsm->tdi?", t -> {
              if (tdi[t.dev] == null) fail(t, "pci_tsm_guest_req", Errno.ENXIO);
              else if (tdi[t.dev].use("ops->guest_req")) {
                  t.vm = tdiKvm[t.dev];
                  // SET_TDI_STATE(LOCKED) binds the TDI to the guest id the bind recorded.
                  if (t.get(REQUEST).op() == TsmRequest.Op.LOCK) t.arg = tdiId[t.dev];
              }
          });
        ops.guestReq(b);
        b.unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
         .unlock(rwsem, LockMode.READ);
    }

    /**
     * The pci-tsm netlink dump PCI_TSM_CMD_EVIDENCE_READ with a refresh of the report
     * (pci_tsm_nl_evidence_read_pre/_dumpit, Dan Williams's v2 patch 08/19). The device is
     * named by DEV_NAME and the caller needs CAP_NET_ADMIN (GENL_ADMIN_PERM): no vDEVICE and
     * no VM ownership check. That it takes pci_tsm_rwsem and the DSM's lock around the
     * refresh, like guest_req, is our reading of the posting (the evidence has its own lock
     * for the cached objects).
     */
    public void evidenceRead(PathBuilder b) {
        b.step("pci_tsm_nl_evidence_read_pre", t -> { if (sim.tracing()) sim.call("pci_tsm_nl_evidence_read_pre(" + dev(t) + ") -> pci_tsm_nl_evidence_read_dumpit"); })
         .lock(rwsem, LockMode.READ)
         .step("pdev->tsm?", t -> { if (!present[t.dev] || !linked[t.dev]) fail(t, "pci_tsm_nl_evidence_read_pre", Errno.ENXIO); })
         .lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK);
        ops.refreshEvidence(b);
        b.unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK)
         .unlock(rwsem, LockMode.READ);
    }

    /** sysfs "disconnect": pci_tsm_rwsem for write, then pci_tsm_disconnect(). */
    public void disconnect(PathBuilder b) {
        b.step("disconnect_store", t -> sim.call("disconnect_store(" + dev(t) + ")"))
         .lock(rwsem, LockMode.WRITE);
        disconnectLocked(b);
        b.unlock(rwsem, LockMode.WRITE);
    }

    /** pci_tsm_disconnect(), pci_tsm_rwsem held for write: pci_tsm_unbind_all(), then ops->disconnect. */
    private void disconnectLocked(PathBuilder b) {
        b.step("pci_tsm_disconnect", t -> sim.call("pci_tsm_disconnect(" + dev(t) + ") -> pci_tsm_unbind_all"));
        // pci_tsm_unbind_all(): pci_tsm_walk_fns_reverse() unbinds the DSM's other functions,
        // VFs last to first, then the PF0 itself; remove_fn() later drops their pci_tsm under
        // the PF0's lock (drivers/pci/tsm.c, 7.2). Built only where functions share a DSM, so
        // a world of one DSM per function runs the steps it ran before.
        for (int f = dsm.length - 1; f >= 0; f--) {
            if (dsm[f] == f) continue;
            int fn = f;
            b.when("dev" + fn + " behind this DSM", t -> dsm[fn] == t.dev, in -> {
                in.step("pci_tsm_walk_fns_reverse", t -> { if (sim.tracing()) sim.call("pci_tsm_walk_fns_reverse -> __pci_tsm_unbind(" + dev(fn) + ")"); t.dev = fn; });
                unbindLocked(in);
                in.step("walk back to the DSM", t -> t.dev = dsm[fn]);
            });
        }
        teardownTdi(b);
        b.when("pdev->tsm", t -> linked[t.dev], in -> {
            in.lock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK);
            for (int f = dsm.length - 1; f >= 0; f--) {
                if (dsm[f] == f) continue;
                int fn = f;
                in.when("remove_fn(dev" + fn + ")", t -> dsm[fn] == t.dev && linked[fn], x -> x.step("remove_fn", t -> {
                    if (sim.tracing()) sim.call("pci_tsm_walk_fns_reverse -> remove_fn(" + dev(fn) + ") -> tsm_remove");
                    linked[fn] = false;
                }));
            }
            ops.disconnect(in);
            in.step("pdev->tsm = NULL", t -> linked[t.dev] = false)
              .unlock(t -> pf0[t.dev], LockMode.MUTEX, PF0_LOCK);
        });
    }

    /**
     * pci_destroy_dev() -> pci_tsm_destroy(): pci_tsm_rwsem for write, then __pci_tsm_destroy():
     * a PF0 under a link TSM (every function of the model is its own DSM) goes through
     * pci_tsm_disconnect(), other functions through pci_tsm_fn_exit() (drivers/pci/tsm.c,
     * drivers/pci/remove.c; "before device_del() to keep config cycle access").
     */
    public void destroy(PathBuilder b) {
        b.step("pci_tsm_destroy", t -> sim.call("pci_remove_bus_device -> pci_destroy_dev -> pci_tsm_destroy(" + dev(t) + ")"))
         .lock(rwsem, LockMode.WRITE);
        b.when("pdev->tsm", t -> present[t.dev], tsm -> tsm.either("is_link_tsm && is_pci_tsm_pf0", t -> linked[t.dev], this::disconnectLocked, in -> {
            in.step("pci_tsm_fn_exit", t -> sim.call("pci_tsm_fn_exit(" + dev(t) + ")"));
            teardownTdi(in);
        }));
        b.unlock(rwsem, LockMode.WRITE)
         .step("pdev->tsm = NULL", t -> present[t.dev] = false);
    }

    /** __pci_tsm_unbind() of the function's TDI, or with the fault the pre-bind placeholder that only drops it. */
    private void teardownTdi(PathBuilder b) {
        b.either("fault: no unbind", t -> faultFnExitNoUnbind, in -> in.step("drop pci_tdi without unbind", t -> {
            if (tdi[t.dev] != null) {
                sim.state("pci_tdi[dev" + t.dev + "]", "bound(vm" + tdiKvm[t.dev] + ")", "freed without unbind");
                tdi[t.dev].put();
                tdi[t.dev] = null;
                tdiKvm[t.dev] = -1;
            }
        }), this::unbindLocked);
    }

    public boolean present(int dev) { return present[dev]; }

    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < linked.length; k++) {
            int d = w.at(k);
            w.putBool(linked[d]);
            w.putId(tdiKvm[d]);
            w.put(tdiId[d]);
            KRef.save(w, tdi[d]);
            w.putBool(present[d]);
        }
    }

    public void load(tdisp.sim.StateReader r) {
        for (int d = 0; d < linked.length; d++) {
            linked[d] = r.getBool();
            tdiKvm[d] = r.get();
            tdiId[d] = r.get();
            tdi[d] = KRef.load(r, tdi[d], sim, "pci_tdi[dev", d);
            present[d] = r.getBool();
        }
    }

    private void fail(KThread t, String fn, int errno) {
        sim.ret(fn, errno);
        t.fail(errno);
    }

    static String dev(KThread t) { return dev(t.dev); }

    static String dev(int d) { return "dev" + d; }

    public static String hex(int v) { return String.format("%#06x", v); }
}
