package tdisp.explore;

import java.util.ArrayList;
import java.util.List;

import tdisp.explore.WorldModel.Kind;
import tdisp.firmware.MsgBuf;
import tdisp.guest.GuestOp;
import tdisp.kernel.Vfio;
import tdisp.scenario.Actions;
import tdisp.sim.KThread;
import tdisp.sim.Path;
import tdisp.strategy.Entry;
import tdisp.strategy.Strategy;
import tdisp.world.DsmLayout;
import tdisp.world.World;

/**
 * The host stack's actions, numbered: per VM slot s, what its guest, its VMM (also playing
 * the attacker), the host admin on device s and device s itself can start, each with the
 * prebuilt kernel path it runs, its registers and its declared footprint. Numbered once,
 * when the model is built; after the startable actions come one "continue" per actor.
 */
final class ActionCatalogue {
    private static final Kind[] KINDS = Kind.values();

    /** One startable action: which actor runs which prebuilt path with which registers, and its footprint. */
    record Act(String name, int actor, int slot, int op, Path path, int vm, int dev, Pre pre, long reads, long writes) {}

    /** Whether a startable action's precondition holds now (null: none). */
    @FunctionalInterface
    interface Pre { boolean ok(); }

    private final World w;
    private final Strategy strategy;
    private final DsmLayout layout;
    private final int n;
    private final MsgBuf[] captured;
    private final boolean[] hasCapture;
    private final List<Act> acts = new ArrayList<>();
    final int[] actorIds;
    final String[] actorNames;
    /** One thread per startable action, reused each time it starts. */
    final KThread[] pool;
    /** Action names by index, built once: enabled() consults them on the search's hot path. */
    private final String[] names;

    /**
     * Registers the actors' threads in the trace and numbers the actions of every slot. The
     * VMM's capture and replay write {@code captured} and {@code hasCapture}, the model's
     * copies of the shared request pages.
     */
    ActionCatalogue(World w, Strategy strategy, DsmLayout layout, int n, MsgBuf[] captured, boolean[] hasCapture) {
        this.w = w;
        this.strategy = strategy;
        this.layout = layout;
        this.n = n;
        this.captured = captured;
        this.hasCapture = hasCapture;
        int actors = KINDS.length * n;
        actorIds = new int[actors];
        actorNames = new String[actors];
        for (int s = 0; s < n; s++) {
            for (Kind k : KINDS) {
                int a = actor(k, s);
                actorNames[a] = switch (k) {
                    case GUEST -> "guest" + s;
                    case VMM -> "vmm" + s;
                    case ADMIN -> "admin" + s;
                    case DEVICE -> "device" + s;
                };
                actorIds[a] = w.sim().trace().registerThread(actorNames[a]);
            }
        }
        for (int s = 0; s < n; s++) defineActions(s);
        pool = new KThread[acts.size()];
        for (int i = 0; i < acts.size(); i++) {
            Act a = acts.get(i);
            pool[i] = new KThread(actorIds[a.actor], actorNames[a.actor], a.path);
        }
        names = new String[acts.size() + actors];
        for (int i = 0; i < names.length; i++) {
            names[i] = i < acts.size() ? acts.get(i).name : actorNames[i - acts.size()] + " continue";
        }
    }

    /** Startable actions (the continues are numbered after them). */
    int size() { return acts.size(); }

    /** Actors: four kinds per slot. */
    int actors() { return actorNames.length; }

    /** Startable action a. */
    Act get(int a) { return acts.get(a); }

    String name(int a) { return names[a]; }

    /** Every action, startable or continue. */
    int count() { return names.length; }

    /** The action with this name, or -1. */
    int index(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        return -1;
    }

    int actor(Kind k, int slot) { return k.ordinal() * n + slot; }

    /** The actor that runs action a (a startable one's, or the continued one). */
    int actorOf(int a) { return a < acts.size() ? acts.get(a).actor : a - acts.size(); }

    /**
     * A kernel path: it reads and writes its actor's slot, its VM's and its device's, a
     * guest's or VMM's also the VM's request page; with TDIs sharing a DSM, every slot.
     */
    private void def(Kind k, int s, String op, Path p, int vm, int dev, Pre pre) {
        long fp = Footprints.slotBit(s) | Footprints.slotBit(dev);
        if (vm >= 0) fp |= Footprints.slotBit(vm);
        if (layout != DsmLayout.ONE_PER_TDI) fp |= Footprints.allSlots(n);
        if (k == Kind.GUEST || k == Kind.VMM) fp |= Footprints.pageBit(n, vm >= 0 ? vm : s);
        def(k, s, op, p, vm, dev, pre, fp, fp);
    }

    private void def(Kind k, int s, String op, Path p, int vm, int dev, Pre pre, long reads, long writes) {
        String name = actorNames[actor(k, s)] + " " + op;
        int opIndex = 0;
        for (Act a : acts) if (a.slot == s && a.actor == actor(k, s)) opIndex++;
        acts.add(new Act(name, actor(k, s), s, opIndex, p, vm, dev, pre, reads, writes));
    }

    private void defineActions(int s) {
        // Guest: the TDISP flow step by step, in any order, plus what a guest driver writes to config space.
        for (GuestOp op : GuestOp.values()) def(Kind.GUEST, s, op.name(), w.routing().guestOp(s, op), s, s, null);
        def(Kind.GUEST, s, "clear-BME", Actions.guestCommandWritePath(w, s, Vfio.PCI_COMMAND_MEMORY), s, s, null);
        def(Kind.GUEST, s, "clear-MSE-BME", Actions.guestCommandWritePath(w, s, 0), s, s, null);
        def(Kind.GUEST, s, "set-MSE-BME", Actions.guestCommandWritePath(w, s, Vfio.PCI_COMMAND_MEMORY | Vfio.PCI_COMMAND_MASTER), s, s, null);
        def(Kind.GUEST, s, "FLR", Actions.guestFlrPath(w, s), s, s, null);
        // The guest kernel's tsm/accept (pci_tsm_accept(): ->run once, -EBUSY while a driver is
        // bound, no unaccept). Its pci_tsm_rwsem and device lock are VM s's guest's own, not
        // KLocks: they are slot s's state like the rest of the guest, never a host-lock bit.
        def(Kind.GUEST, s, "pci_tsm_accept", w.routing().guestAccept(s), s, s, null);
        // VMM: file closes and VFIO ioctls.
        def(Kind.VMM, s, "close-vfio", Actions.closeVfioPath(w, s), s, s, null);
        def(Kind.VMM, s, "close-iommufd", Actions.closeIommufdPath(w, s), s, s, null);
        def(Kind.VMM, s, "close-vm", Actions.closeVmPath(w, s), s, s, null);
        def(Kind.VMM, s, "IOMMU_DESTROY(vdevice)", Actions.destroyVdevicePath(w, s), s, s, null);
        def(Kind.VMM, s, "VFIO_DEVICE_RESET", Actions.vmmResetIoctlPath(w), s, s, null);
        def(Kind.VMM, s, "runtime-PM", Actions.vmmRuntimePmPath(w), s, s, null);
        def(Kind.VMM, s, "clear-MSE", Actions.vmmClearMsePath(w), s, s, null);
        def(Kind.VMM, s, "VFIO_DEVICE_PCI_HOT_RESET", Actions.vmmHotResetPath(w), s, s, null);
        // The same VMM as an attacker: the request page is shared, the ioctls take any id.
        // These three touch only the shared page and the VMM's copy: they commute with every kernel path of another actor.
        long page = Footprints.pageBit(n, s);
        long copy = Footprints.captureBit(n, s);
        def(Kind.VMM, s, "tamper-request", w.path("tamper", b -> b.step("vmm: tamper request page", t -> Actions.tamper(w, t.vm))), s, s, null,
                page, page);
        def(Kind.VMM, s, "capture-request", w.path("capture", b -> b.step("vmm: copy the shared request page", t -> {
            captured[t.vm].copyFrom(w.guest(t.vm).requestPage());
            hasCapture[t.vm] = true;
            if (w.sim().tracing()) w.sim().note("vmm: captured request seq " + captured[t.vm].seqno);
        })), s, s, null, page | copy, copy);
        def(Kind.VMM, s, "replay-request", w.path("replay", b -> b.step("vmm: write captured request over the shared page", t -> {
            w.guest(t.vm).requestPage().copyFrom(captured[t.vm]);
            if (w.sim().tracing()) w.sim().note("vmm: replayed captured request seq " + captured[t.vm].seqno);
        })), s, s, () -> hasCapture[s], copy, page);
        if (n > 1) {
            int other = (s + 1) % n;
            // Another VM's device through this VM's path: bind it, or write its SDTE.
            if (strategy.knobs().bindEntry() != Entry.KVM) {
                def(Kind.VMM, s, "foreign-BIND(dev" + other + ")", w.routing().guestOp(s, GuestOp.BIND), s, other, null);
            }
            def(Kind.VMM, s, "foreign-SDTE_WRITE(dev" + other + ")", w.routing().guestOp(s, GuestOp.SDTE_WRITE), s, other, null);
        }
        // Host admin on device s.
        // sysfs tsm/disconnect exists on a PF0 only (pci_tsm_attr_visible(), drivers/pci/tsm.c
        // 7.2): on a shared DSM a VF's link goes down with its PF0's disconnect, not its own.
        if (layout == DsmLayout.ONE_PER_TDI || s == 0) def(Kind.ADMIN, s, "tsm-disconnect", Actions.tsmDisconnectPath(w), -1, s, null);
        def(Kind.ADMIN, s, "hot-unplug", Actions.hotUnplugPath(w), -1, s, null);
        def(Kind.ADMIN, s, "host-MMIO-read", Actions.hostMmioReadPath(w), -1, s, null);
        def(Kind.ADMIN, s, "host-DMA(T=0)", Actions.hostDmaPath(w), -1, s, null);
        // The device.
        def(Kind.DEVICE, s, "DMA(T=1)", Actions.deviceSecureDmaPath(w), -1, s, null);
        def(Kind.DEVICE, s, "inject-ERROR", Actions.injectErrorPath(w), -1, s, null);
        def(Kind.DEVICE, s, "link-down", Actions.linkDownPath(w), -1, s, null);
        def(Kind.DEVICE, s, "DPC", Actions.dpcRecoveryPath(w), -1, s, null);
    }
}
