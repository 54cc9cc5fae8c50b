package tdisp.scenario;

import static tdisp.scenario.Actions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.iommu.SecureEntry;
import tdisp.kernel.Vfio;
import tdisp.sim.KThread;
import tdisp.sim.Scheduler;
import tdisp.world.DsmLayout;
import tdisp.world.Stage;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * The scenario catalogue (invariants.md, "Scenario catalogue"). VM 0 owns device 0 and is
 * the subject; VM 1 owns device 1 and plays the second VM or the attacker.
 */
public final class Scenarios {
    private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

    /** A scenario that only means something where the guest seals its requests in host-carried pages. */
    private static void addSealed(String id, String title, Stage stage, Consumer<World> body) {
        ALL.put(id, new Scenario(id, title, body, tdisp.world.DsmLayout.ONE_PER_TDI, GuestAbi::sealsMessagesForHost,
                "a sealed guest request page the host carries", stage));
    }

    /** A host or guest event while the TDI runs: needs RUN ({@link Scenario#DEFAULT_STAGE}). */
    private static void add(String id, String title, Consumer<World> body) {
        ALL.put(id, new Scenario(id, title, body));
    }

    /** A scenario about an earlier (or later) stage than RUN. */
    private static void add(String id, String title, Stage stage, Consumer<World> body) {
        ALL.put(id, new Scenario(id, title, body).needing(stage));
    }

    /** A scenario with TDI 0 on PF0 and TDI 1 on its VF, one DSM: both VMs bring up, then {@code then}. */
    private static void addSharedDsm(String id, String title, Consumer<World> then) {
        addSharedDsm(id, title, Scenario.DEFAULT_STAGE, then);
    }

    private static void addSharedDsm(String id, String title, Stage stage, Consumer<World> then) {
        ALL.put("shared-dsm/" + id, new Scenario("shared-dsm/" + id, title, w -> {
            bringUp(w, 0);
            bringUp(w, 1);
            then.accept(w);
        }, DsmLayout.SHARED_PF0).needing(stage));
    }

    static {
        add("happy-bringup", "bind, report, MMIO validate, SDTE write, RUN, device DMA, guest unbind", Stage.SECURE_DMA, w -> {
            bringUp(w, 0);
            deviceSecureDma(w, 0);
            guestUnbind(w, 0);
        });
        add("guest-accept-driver-bound", "guest accepts its TDI while a driver is bound (-EBUSY), unbinds it, accepts", w -> {
            var abi = w.guest(0).abi();
            for (GuestOp op : abi.bringUp()) {
                if (op != GuestOp.RUN) { guest(w, 0, op); continue; }
                w.guest(0).setDriverBound(true);
                guestAccept(w, 0);
                w.guest(0).setDriverBound(false);
                guestAccept(w, 0);
                // No unaccept: a second accept changes nothing.
                guestAccept(w, 0);
            }
            deviceSecureDma(w, 0);
        });
        add("guest-clear-bme", "guest clears Bus Master Enable while RUN", w -> {
            bringUp(w, 0);
            guestCommandWrite(w, 0, Vfio.PCI_COMMAND_MEMORY);
            guest(w, 0, GuestOp.TDI_INFO);
            deviceSecureDma(w, 0);
        });
        add("guest-clear-mse", "guest clears Memory Space Enable while RUN", w -> {
            bringUp(w, 0);
            guestCommandWrite(w, 0, Vfio.PCI_COMMAND_MASTER);
            guest(w, 0, GuestOp.TDI_INFO);
        });
        add("vfio-reset-bound", "VMM issues VFIO_DEVICE_RESET while the TDI is bound", w -> {
            bringUp(w, 0);
            vmmResetIoctl(w, 0);
        });
        add("flr-bound", "guest FLR through the PCIe capability, emulated by VFIO, while bound", w -> {
            bringUp(w, 0);
            guestFlr(w, 0);
        });
        add("bar-zap-bound", "VMM clears MSE through VFIO (BAR zap, private MMIO revoke) while bound", w -> {
            bringUp(w, 0);
            vmmClearMse(w, 0);
        });
        add("close-vfio-bound", "VMM closes the VFIO device fd while bound, then exits", w -> {
            bringUp(w, 0);
            closeVfio(w, 0);
            vmmExit(w, 0);
        });
        add("close-iommufd-bound", "VMM closes iommufd while bound, then exits", w -> {
            bringUp(w, 0);
            closeIommufd(w, 0);
            vmmExit(w, 0);
        });
        add("close-kvm-bound", "VMM closes the VM fd while bound, then exits", w -> {
            bringUp(w, 0);
            closeVm(w, 0);
            vmmExit(w, 0);
        });
        add("tsm-disconnect-bound", "admin disconnects the TSM link while the TDI is bound", w -> {
            bringUp(w, 0);
            tsmDisconnect(w, 0);
            guest(w, 0, GuestOp.TDI_INFO);
        });
        add("d3-bound", "runtime-PM suspend to D3hot and resume while bound", w -> {
            bringUp(w, 0);
            vmmRuntimePm(w, 0);
        });
        add("hot-unplug-bound", "function hot-unplugged while bound (pci_destroy_dev -> pci_tsm_destroy), VMM exits", w -> {
            bringUp(w, 0);
            hotUnplug(w, 0);
            vmmExit(w, 0);
        });
        add("hot-reset-bound", "VMM resets the bus (VFIO_DEVICE_PCI_HOT_RESET: secondary bus reset) while bound, then exits", w -> {
            bringUp(w, 0);
            vmmHotReset(w, 0);
            vmmExit(w, 0);
        });
        add("surprise-removal-bound", "link lost while bound (pciehp surprise removal: pci_dev_set_disconnected, then removal), VMM exits", w -> {
            bringUp(w, 0);
            surpriseRemoval(w, 0);
            vmmExit(w, 0);
        });
        add("dpc-recovery-bound", "DPC contains an error while bound (pcie_do_recovery, link retrained), then the VMM exits", w -> {
            bringUp(w, 0);
            dpcRecovery(w, 0);
            vmmExit(w, 0);
        });
        add("bind-second-vm", "VM 1 tries to bind VM 0's bound TDI", Stage.BOUND, w -> {
            bringUp(w, 0);
            w.run("vmm1", w.path("open foreign cdev", b -> b.step("qemu: open(vfio cdev of dev0) + VFIO_DEVICE_BIND_IOMMUFD", t -> {
                int r = w.vfio().openAndBind(1, 0);
                w.sim().ret("vfio_df_open(dev0)", r);
            })), 1, 0);
            w.run("guest1", w.routing().guestOp(1, GuestOp.BIND), 1, 0);
            deviceSecureDma(w, 0);
        });
        addSealed("tamper-guest-request", "VMM flips a ciphertext byte of an SDTE write", Stage.BOUND, w -> {
            for (GuestOp op : w.guest(0).abi().enablePrerequisites()) guest(w, 0, op);
            tamperedRequest(w, 0, w.guest(0).abi().enableRequest());
            guest(w, 0, GuestOp.TDI_INFO);
        });
        addSealed("replay-guest-request", "VMM replays an old guest request in place of a new one", Stage.BOUND, w -> {
            guest(w, 0, GuestOp.BIND);
            guest(w, 0, GuestOp.TDI_INFO);
            tdisp.firmware.MsgBuf captured = captureRequestPage(w, 0);
            replayedRequest(w, 0, GuestOp.TDI_INFO, captured);
        });
        add("host-access-after-lock", "host MMIO to TEE BAR and host DMA to private memory after LOCK", Stage.LOCKED, w -> {
            bringUp(w, 0);
            hostMmioRead(w, 0);
            hostDma(w, 0);
        });
        add("foreign-vdevice-request", "requests for an unbound TDI and for another VM's TDI", Stage.BOUND, w -> {
            bringUp(w, 0);
            w.run("guest1", w.routing().guestOp(1, GuestOp.TDI_INFO), 1, 1);
            w.run("vmm1", w.routing().guestOp(1, GuestOp.SDTE_WRITE), 1, 0);
            deviceSecureDma(w, 0);
        });
        add("unbind-races-request", "guest UNBIND on one vCPU races an SDTE write on another", Stage.BOUND, Scenarios::race);
        add("device-error-injected", "device drops to ERROR by itself; guest learns it; VMM exits", w -> {
            bringUp(w, 0);
            w.run("device0", w.path("inject", b -> b.step("device: internal error", t -> w.device(0).injectError())), -1, 0);
            guest(w, 0, GuestOp.TDI_INFO);
            vmmExit(w, 0);
        });
        add("rebind", "guest unbinds, then binds again: no residue, DMA works again", Stage.SECURE_DMA, w -> {
            bringUp(w, 0);
            guestUnbind(w, 0);
            w.run("checker", w.path("residue", b -> b.step("check residue after unbind", t -> {
                int rid = w.device(0).bdf();
                if (w.iommu().secureEntry(rid).state() != SecureEntry.State.NONE) w.sim().violation("I6", "secure entry left after unbind");
                if (w.firmware().privateMmio(0)) w.sim().violation("I6", "private MMIO left after unbind");
                if (w.iommu().asidFenced(0)) w.sim().violation("I6", "ASID fence left after unbind");
            })), -1, 0);
            guestCommandWrite(w, 0, Vfio.PCI_COMMAND_MEMORY | Vfio.PCI_COMMAND_MASTER);
            bringUp(w, 0);
            deviceSecureDma(w, 0);
        });
        add("boot-many-devices", "both VMs bring up their TDIs at once, interleaved on shared firmware locks", Stage.SECURE_DMA, w -> {
            // Each VM walks its bring-up ops; the two VMs take turns one step at a time.
            List<GuestOp> ops = bringUpOrder(w);
            int[] next = new int[World.VMS];
            KThread[] cur = new KThread[World.VMS];
            boolean busy = true;
            while (busy) {
                busy = false;
                boolean moved = false;
                for (int vm = 0; vm < World.VMS; vm++) {
                    if (cur[vm] == null || cur[vm].done()) {
                        if (cur[vm] != null) w.invariants().check(false);
                        cur[vm] = next[vm] < ops.size() ? w.thread("guest" + vm, w.routing().guestOp(vm, ops.get(next[vm]++)), vm, vm) : null;
                    }
                    if (cur[vm] == null) continue;
                    busy = true;
                    if (w.scheduler().step(cur[vm]) != tdisp.sim.Scheduler.Outcome.BLOCKED) moved = true;
                }
                if (busy && !moved) {
                    w.sim().violation("I9", "bring-up of both VMs deadlocked");
                    break;
                }
            }
            deviceSecureDma(w, 0);
            deviceSecureDma(w, 1);
        });
        String[] parts = {"vfio", "iommufd", "kvm", "vdevice"};
        for (List<String> order : permutations(List.of(parts))) {
            add("teardown/" + String.join("-", order), "bound TDI, VMM closes " + String.join(", ", order), w -> {
                bringUp(w, 0);
                for (String p : order) {
                    switch (p) {
                        case "vfio" -> closeVfio(w, 0);
                        case "iommufd" -> closeIommufd(w, 0);
                        case "kvm" -> closeVm(w, 0);
                        default -> destroyVdevice(w, 0);
                    }
                }
            });
        }
        sharedDsm();
    }

    /**
     * TDI 0 is PF0 and TDI 1 its VF behind one DSM (DsmLayout.SHARED_PF0); VM 0 owns the PF, VM 1
     * the VF. A PF FLR reaches the VF's TDI (§11.2; tdisp.md §3 row 11), which no routing
     * strategy can order around: VM 0's VMM has no handle on VM 1's binding.
     */
    private static void sharedDsm() {
        addSharedDsm("bringup", "PF0 and its VF, one DSM: both VMs bring up, DMA, unbind", Stage.SECURE_DMA, w -> {
            deviceSecureDma(w, 0);
            deviceSecureDma(w, 1);
            guestUnbind(w, 0);
            guestUnbind(w, 1);
        });
        addSharedDsm("pf-vfio-reset", "VM 0's VMM resets PF0 (VFIO_DEVICE_RESET) while VM 1's VF TDI runs", w -> {
            vmmResetIoctl(w, 0);
            guest(w, 1, GuestOp.TDI_INFO);
            deviceSecureDma(w, 1);
        });
        addSharedDsm("pf-guest-flr", "VM 0's guest FLRs PF0 while VM 1's VF TDI runs", w -> {
            guestFlr(w, 0);
            guest(w, 1, GuestOp.TDI_INFO);
        });
        addSharedDsm("vf-vfio-reset", "VM 1's VMM resets its VF: PF0's TDI must keep running", w -> {
            vmmResetIoctl(w, 1);
            guest(w, 0, GuestOp.TDI_INFO);
            deviceSecureDma(w, 0);
        });
    }

    /**
     * Every one-preemption interleaving at lock boundaries: the request runs up to its k-th
     * lock acquisition, then the unbind runs until it finishes or blocks, then both run
     * round-robin; and the same with the roles swapped. Each interleaving gets a fresh world
     * (recorded into the same trace), so any violation in any of them is the verdict.
     */
    private static void race(World w) {
        bringUp(w, 0);
        // The first interleaving runs on the given world; later ones replay on fresh worlds
        // and copy their violations over.
        List<int[]> plans = new ArrayList<>();
        for (int first = 0; first < 2; first++) for (int k = 0; k < 8; k++) plans.add(new int[] {first, k});
        boolean primary = true;
        for (int[] plan : plans) {
            World x = primary ? w : new World(WorldConfig.builder(w.strategy(), w.platform()).build());
            if (!primary) {
                x.sim().trace().setRecording(false);
                x.setup();
                bringUp(x, 0);
            }
            boolean ran = interleave(x, plan[0], plan[1]);
            if (!primary) {
                for (var v : x.sim().violations()) if (w.sim().violations().stream().noneMatch(o -> o.invariant().equals(v.invariant()))) w.sim().violation(v.invariant(), v.detail() + " (interleaving " + (plan[0] == 0 ? "request" : "unbind") + " first, preempted at lock " + plan[1] + ")");
            }
            primary = false;
            if (!ran) break;
        }
    }

    /** @return false when thread {@code first} has fewer than k+1 lock points (no more plans). */
    private static boolean interleave(World w, int first, int k) {
        KThread req = w.thread("guest0/cpu0", w.routing().guestOp(0, w.guest(0).abi().hotOp()), 0, 0);
        KThread unb = w.thread("guest0/cpu1", w.routing().guestOp(0, GuestOp.UNBIND), 0, 0);
        KThread a = first == 0 ? req : unb;
        KThread b = first == 0 ? unb : req;
        Scheduler s = w.scheduler();
        int seen = 0;
        while (!a.done()) {
            if (s.atLockPoint(a) && seen++ == k) break;
            s.step(a);
        }
        boolean more = !a.done();
        while (!b.done() && s.step(b) == Scheduler.Outcome.RAN) { }
        w.runTogether(List.of(a, b));
        return more;
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) return List.of(List.of());
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String head = rest.remove(i);
            for (List<String> p : permutations(rest)) {
                List<String> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }

    /** The guest's bring-up ops in the platform's order (as Actions.bringUp runs them). */
    static List<GuestOp> bringUpOrder(World w) {
        return w.guest(0).abi().bringUp();
    }

    private Scenarios() {}

    public static Map<String, Scenario> all() { return Collections.unmodifiableMap(ALL); }

    public static Scenario get(String id) {
        Scenario s = ALL.get(id);
        if (s == null) throw new IllegalArgumentException("unknown scenario '" + id + "' (see `tdisp list`)");
        return s;
    }
}
