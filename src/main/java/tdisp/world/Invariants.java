package tdisp.world;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tdisp.device.ErrorCause;
import tdisp.device.Origin;
import tdisp.device.ErrorTrigger;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.firmware.TsmFirmware;
import tdisp.guest.TdispGuest;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;
import tdisp.world.Invariant.Check;

/**
 * Invariants I1-I11 (domain notes, invariants.md; I11 from issue 8), checked after every step. Each reads
 * the components' own records (device error causes, firmware refusals and accepted
 * messages, IOMMU deliveries, guest beliefs); none relies on a table of expected answers.
 * I7 (use after free), I8 (lock order) and I9 (progress) are reported where they happen,
 * by KRef, Sim.lock and the Scheduler.
 */
public final class Invariants {
    /**
     * What breaking an invariant means: a rule someone else wrote (a spec, a firmware, the
     * kernel's own rules), which makes a violation a bug, or this project's policy for what
     * a good design does, which makes it a cost a design chose. Counted apart everywhere.
     */
    public enum Kind {
        SPEC("spec"), FIRMWARE("firmware"), KERNEL("kernel"), POLICY("policy");

        private final String token;

        Kind(String token) { this.token = token; }

        public String token() { return token; }

        public boolean rule() { return this != POLICY; }
    }

    /**
     * Every invariant the model checks, in report order: for `tdisp list`, the README, the
     * reports and the explorer's properties.
     */
    public static final List<Invariant> CATALOGUE = List.of(
            new Invariant("I1", "no-unintended-error: TDISP ERROR only from a guest or injected fault", Kind.POLICY,
                    "TDISP makes ERROR the defined result of a host FLR, BME/MSE clear or "
                            + "state-losing power transition (PCIe 6.x 11.2); no spec or firmware forbids the host to cause it: "
                            + "not breaking a running TDI is a design goal (Yilun's RFC 19/20 unbinds first for it)", Check.STEP),
            new Invariant("I2", "firmware-refusal-handled: no firmware call refused for a kernel ordering bug", Kind.FIRMWARE,
                    "the TDX module, the RMM or the PSP refused the call: the kernel broke the "
                            + "firmware's ordering rule and its own call failed", Check.STEP),
            new Invariant("I3", "host-isolation: no host MMIO/DMA reaches private resources after LOCK", Kind.SPEC,
                    "TDISP 11.2 and the SEV-TIO, TDX Connect and RMM specs: after LOCK no host "
                            + "access reaches the TDI's private MMIO or the guest's private memory", Check.STEP),
            new Invariant("I4", "guest-request-opacity: host carries ciphertext; forged/replayed messages change nothing", Kind.SPEC,
                    "the platforms' guest-request protocols seal requests against the host and "
                            + "reject tampered or replayed ones", Check.STEP),
            new Invariant("I5", "single-owner: a TDI is bound to at most one VM, and the secure entry names it", Kind.KERNEL,
                    "pci_tsm_bind() returns -EBUSY for a bound TDI (drivers/pci/tsm.c); the "
                            + "firmware binds a TDI to one guest", Check.STEP),
            new Invariant("I6", "clean-teardown: all files closed => nothing bound, no SDTE, no private MMIO, no fence", Kind.KERNEL,
                    "once every file is closed the kernel must have released what it holds: "
                            + "a binding, firmware object or private mapping left behind is a leak", Check.STEP),
            new Invariant("I7", "no-use-after-free: no object used after its last reference is dropped", Kind.KERNEL,
                    "a use after free is a kernel bug", Check.USE),
            new Invariant("I8", "lock-order: observed lock nesting stays acyclic", Kind.KERNEL,
                    "lockdep's rule: a lock-order cycle can deadlock", Check.LOCK_ORDER),
            new Invariant("I9", "progress: every ioctl and guest request returns", Kind.KERNEL,
                    "an ioctl or guest request that never returns is a hang", Check.PROGRESS),
            new Invariant("I10", "guest-sees-truth: the state the guest authenticates is the device's real state", Kind.SPEC,
                    "TDISP GET_DEVICE_INTERFACE_STATE and the platforms' attestation: what the "
                            + "firmware vouches for is the device's state", Check.STEP),
            new Invariant("I11", "no-yank: a RUN TDI keeps RUN, private MMIO and secure DMA unless its guest asked or was told of a removal", Kind.POLICY,
                    "the project's rule (issue 8): the host may stop a running TDI under "
                            + "every spec; that it should ask or warn the guest first is a design goal", Check.STEP));

    /** The invariant with this id ("I1".."I11"). */
    public static Invariant get(String id) {
        for (Invariant i : CATALOGUE) if (i.id().equals(id)) return i;
        throw new IllegalArgumentException("unknown invariant '" + id + "'");
    }

    /** The kind of invariant {@code id} ("I1".."I11"). */
    public static Kind kind(String id) { return get(id).kind(); }

    /** The ids, in catalogue order. */
    public static List<String> ids() { return CATALOGUE.stream().map(Invariant::id).toList(); }

    private final World w;
    private final Sim sim;
    private final int[] causesSeen;
    private final TdiState[] lastState;
    /** I11: what the running guest had last step (RUN, private MMIO, valid secure entry), and its VM. */
    private final boolean[] hadRun, hadMmio, hadDma;
    private final int[] holder;
    private int refusalsSeen;
    private int deliveriesSeen;
    private int reportsSeen;
    private final Set<String> once = new HashSet<>();
    private final int n;

    Invariants(World w) {
        this.w = w;
        this.sim = w.sim();
        this.n = w.slots();
        this.causesSeen = new int[n];
        this.lastState = new TdiState[n];
        java.util.Arrays.fill(lastState, TdiState.CONFIG_UNLOCKED);
        hadRun = new boolean[n];
        hadMmio = new boolean[n];
        hadDma = new boolean[n];
        holder = new int[n];
    }

    private void fail(String id, String detail) {
        if (once.add(id + detail)) sim.violation(id, detail);
    }

    /** @param quiescent true between paths, when no thread is half-way (I6 is judged then) */
    public void check(boolean quiescent) { check(quiescent ? v -> true : v -> false); }

    /**
     * @param quiescent per VM: true when no thread is half-way through a path on that VM or
     *                  its device (I6 is judged for the VM then). Per VM rather than for the
     *                  whole host, so that another VM's ioctl in flight neither hides nor
     *                  delays this VM's teardown judgement (and two VMs' steps commute for the
     *                  explorer's partial-order reduction).
     */
    public void check(java.util.function.IntPredicate quiescent) {
        TsmFirmware fw = w.firmware();
        Iommu iommu = w.iommu();
        for (int d = 0; d < n; d++) {
            PciFunction dev = w.device(d);
            // Not an invariant: put every TDI state change into the trace where it happened.
            if (dev.tdiState() != lastState[d]) {
                sim.state("TDI " + d + " (" + Iommu.hex(dev.bdf()) + ")", lastState[d].name(), dev.tdiState().name());
                lastState[d] = dev.tdiState();
            }
            // I1: every transition into ERROR has an allowed cause.
            int nc = dev.errorCauseCount();
            for (int i = causesSeen[d]; i < nc; i++) {
                ErrorCause c = dev.errorCause(i);
                // A guest's own action is fatal on purpose only for its own TDI: a PF FLR that
                // reaches a VF's TDI is a side effect on another VM's device, whoever asked.
                boolean onPurpose = c.origin() == Origin.INJECTED_FAULT || c.origin() == Origin.LINK || c.origin() == Origin.GUEST && c.trigger() != ErrorTrigger.PF_FLR;
                if (!onPurpose) {
                    fail("I1", "dev" + d + " " + c.from() + " -> ERROR by " + c.trigger() + " from " + c.origin());
                }
            }
            causesSeen[d] = nc;
            // Not an invariant: how far bring-up got (a scenario that needs RUN and never saw it is "not reached").
            TdiState st = dev.tdiState();
            if (st == TdiState.RUN) w.reach(d, Stage.RUN);
            else if (st == TdiState.CONFIG_LOCKED) w.reach(d, Stage.LOCKED);
            if (w.pciTsm().boundKvm(d) >= 0) w.reach(d, Stage.BOUND);
            // I3 (MMIO half): the device never completes a host access to TEE MMIO while locked.
            if (dev.hostTeeMmioDelivered() > 0) fail("I3", "host MMIO reached TEE MMIO of locked dev" + d);
            // I5: pci_tsm, firmware and the secure entry agree on the one owner.
            int fwVm = fw.boundVm(d);
            int coreVm = w.pciTsm().boundKvm(d);
            if (fwVm >= 0 && coreVm >= 0 && fwVm != coreVm) fail("I5", "dev" + d + " bound to vm" + fwVm + " in firmware but vm" + coreVm + " in pci_tsm");
            SecureEntry e = iommu.secureEntry(dev.bdf());
            if (e.valid() && e.vm() != fwVm) fail("I5", "secure entry of dev" + d + " names vm" + e.vm() + ", firmware binding is vm" + fwVm);
            checkYank(d, dev, fw, e);
            // I7: a pci_tdi pointing at a destroyed kvm will be dereferenced by unbind.
            if (coreVm >= 0 && !w.kvm().alive(coreVm)) fail("I7", "pci_tdi of dev" + d + " still points at destroyed kvm vm" + coreVm);
        }
        // I2: firmware refused a call because the kernel broke an ordering rule.
        List<String> refusals = fw.orderingRefusals();
        for (int i = refusalsSeen; i < refusals.size(); i++) fail("I2", refusals.get(i));
        refusalsSeen = refusals.size();
        // I3 (DMA half): private memory is reached only through a valid secure entry of a RUN TDI.
        List<Iommu.DmaRecord> del = iommu.deliveries();
        for (int i = deliveriesSeen; i < del.size(); i++) {
            Iommu.DmaRecord r = del.get(i);
            if (!r.privateMemory()) continue;
            int d = deviceIndex(r.requesterId());
            if (!r.entry().valid() || w.device(d).tdiState() != TdiState.RUN || r.vm() != fw.boundVm(d)) {
                fail("I3", "DMA from dev" + d + " reached vm" + r.vm() + " private memory with TDI " + w.device(d).tdiState()
                        + " and secure entry " + r.entry().state());
            }
        }
        deliveriesSeen = del.size();
        // I10: every state the firmware vouches for to a guest is the device's state then.
        List<TsmFirmware.StateReport> reps = fw.stateReports();
        for (int i = reportsSeen; i < reps.size(); i++) {
            TsmFirmware.StateReport r = reps.get(i);
            if (r.reported() != r.actual()) fail("I10", "vm" + r.vm() + " told TDI " + r.dev() + " is " + r.reported() + " while the device is " + r.actual());
        }
        reportsSeen = reps.size();
        for (int v = 0; v < n; v++) {
            TdispGuest g = w.guest(v);
            checkOpacity(v, g, fw);
            if (quiescent.test(v) && !w.vmm(v).holdsFiles()) checkTeardown(v);
        }
    }

    /**
     * I11 (yank): a TDI in RUN leaves RUN, or loses its private MMIO or its secure DMA, in a
     * step run by a host-side actor (VMM ioctl or close, admin, host kernel) while the VM
     * still runs (its VM fd is open) and was not told of a removal (VFIO_DEVICE_REQ). Steps
     * of the guest's own thread (its STOP, unbind, config writes, FLR) and device-internal
     * errors are requested or are I1's business.
     */
    private void checkYank(int d, PciFunction dev, TsmFirmware fw, SecureEntry e) {
        boolean run = dev.tdiState() == TdiState.RUN;
        boolean mmio = fw.privateMmio(d);
        boolean dma = e.valid();
        boolean armed = hadRun[d] && holder[d] >= 0;
        if (armed && (!run || !mmio && hadMmio[d] || !dma && hadDma[d])) {
            int vm = holder[d];
            tdisp.sim.KThread t = sim.current();
            String actor = t == null ? "host" : t.name();
            boolean host = !actor.startsWith("guest") && !actor.startsWith("device");
            if (host && w.kvm().fdOpen(vm) && !w.vfio().removalRequested(d)) {
                String lost = !run ? "left RUN (" + dev.tdiState() + ")" : !mmio && hadMmio[d] ? "lost its private MMIO" : "lost secure DMA";
                fail("I11", "dev" + d + " of running vm" + vm + " " + lost + " by " + actor + ", not requested by the guest");
            }
        }
        hadRun[d] = run;
        hadMmio[d] = run && mmio;
        hadDma[d] = run && dma;
        holder[d] = run ? fw.boundVm(d) : -1;
    }

    /**
     * After the explorer dropped the checked logs (or restored a state): read them from the
     * start again, re-sync the trace's view of TDI states and forget reported details.
     */
    void resetCursors() {
        java.util.Arrays.fill(causesSeen, 0);
        refusalsSeen = 0;
        deliveriesSeen = 0;
        reportsSeen = 0;
        for (int d = 0; d < n; d++) {
            lastState[d] = w.device(d).tdiState();
            boolean run = lastState[d] == TdiState.RUN;
            hadRun[d] = run;
            hadMmio[d] = run && w.firmware().privateMmio(d);
            hadDma[d] = run && w.iommu().secureEntry(w.device(d).bdf()).valid();
            holder[d] = run ? w.firmware().boundVm(d) : -1;
        }
        once.clear();
    }

    private void checkOpacity(int vm, TdispGuest g, TsmFirmware fw) {
        for (TdispGuest.Sent s : g.sent()) {
            if (s.plaintextHash() == s.ciphertextHash()) {
                fail("I4", "vm" + vm + " request seq " + s.seqno() + " crossed the host in plaintext");
            }
        }
        // Checked after every step of every explored path: the lists are a few entries long, so
        // scanning them beats building sets each time.
        List<TsmFirmware.Accepted> accepted = fw.accepted();
        List<TdispGuest.Sent> sent = g.sent();
        for (int i = 0; i < accepted.size(); i++) {
            TsmFirmware.Accepted a = accepted.get(i);
            if (a.vm() != vm) continue;
            boolean twice = false;
            for (int j = 0; j < i && !twice; j++) twice = accepted.get(j).vm() == vm && accepted.get(j).seqno() == a.seqno();
            if (twice) fail("I4", "firmware accepted vm" + vm + " seq " + a.seqno() + " twice (replay)");
            long key = a.seqno() * 31 + a.ciphertextHash();
            boolean wasSent = false;
            for (int j = 0; j < sent.size() && !wasSent; j++) wasSent = sent.get(j).seqno() * 31 + sent.get(j).ciphertextHash() == key;
            if (!wasSent) fail("I4", "firmware accepted a vm" + vm + " message the guest never sent");
        }
    }

    /** I6: the VM's VMM closed all its files; nothing of the VM may remain. */
    private void checkTeardown(int vm) {
        TsmFirmware fw = w.firmware();
        for (int d = 0; d < n; d++) {
            if (d != vm) continue; // device d was assigned to VM d
            int rid = w.device(d).bdf();
            if (w.pciTsm().boundKvm(d) == vm) fail("I6", "vm" + vm + " files closed but pci_tdi of dev" + d + " is still bound");
            if (fw.tdiObjectExists(d)) fail("I6", "vm" + vm + " files closed but firmware still holds the TDI of dev" + d);
            if (w.iommu().secureEntry(rid).state() != SecureEntry.State.NONE) fail("I6", "vm" + vm + " files closed but dev" + d + " secure entry is " + w.iommu().secureEntry(rid).state());
            if (fw.privateMmio(d)) fail("I6", "vm" + vm + " files closed but dev" + d + " MMIO is still private");
        }
        if (w.iommu().asidFenced(vm)) fail("I6", "vm" + vm + " files closed but its ASID is still fenced");
    }

    private int deviceIndex(int rid) {
        for (int d = 0; d < n; d++) if (w.device(d).bdf() == rid) return d;
        return -1;
    }
}
