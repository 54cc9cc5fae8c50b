package tdisp.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tdisp.cost.CostModel;
import tdisp.cost.CostOptions;
import tdisp.device.TlpResult;
import tdisp.platform.Platform;
import tdisp.scenario.Actions;
import tdisp.sim.Event;
import tdisp.strategy.Strategy;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * One device's bring-up taken from the real model, not invented: a {@link World} runs
 * {@code setup()}, then {@link Actions#bringUp} and {@link Actions#deviceSecureDma} for
 * device 0, and the events recorded after setup are classified once. {@link #recipe}
 * then charges each event from a cost table ({@link CostModel#applyAsLong}) and merges
 * them into segments, so one capture serves every cost table of a sensitivity sweep (the
 * event stream does not depend on costs; only the charges do).
 *
 * <p>Classification (a modelling choice):
 * <ul>
 * <li>{@code Event.Firmware} emitted while the thread holds the platform's global
 *     firmware lock ({@code sev_cmd_mutex} on SEV-TIO, {@code tdx_spdm_lock} on TDX
 *     Connect, tracked from the {@code Event.Lock} acquire/release pairs around it):
 *     {@link Resource#GLOBAL_FW}, one server for the whole host. Firmware calls outside
 *     it (the guest's TDCALLs, {@code TDH.MMIO.MAP} under {@code kvm->mmu_lock}) are
 *     {@link Resource#LOCAL}.</li>
 * <li>{@code Event.Doe}, one SPDM/TDISP exchange over the device's DOE mailbox:
 *     {@link Resource#DEVICE}. The per-DSM {@code pci_tsm_pf0::lock} is held across the
 *     whole bind and AMD drops {@code sev_cmd_mutex} between SPDM bounce steps
 *     (domain notes, tdisp.md section 4.3), so DOE time is per device. On SEV-TIO the
 *     cost model charges each exchange {@code psp.cmd.tio_spdm_step} as well: that part
 *     is the {@code sev_tio_continue()} PSP command re-issued under the global mutex
 *     after the exchange, so it is split off as a {@link Resource#GLOBAL_FW} segment
 *     right after the DEVICE part (the PSP is one server). {@link DoeScope#AS_TRACED}
 *     instead charges the whole exchange to GLOBAL_FW when the trace shows it inside the
 *     global lock (the model nests TDX's DOE round inside {@code tdx_spdm_lock}).</li>
 * <li>{@code Event.Exit} of kind USER (the exit to the VMM, dispatch included) and the
 *     {@code Event.Ioctl} and user copies that follow on the same thread until the VMM
 *     re-enters ({@code KVM_RUN}) or the next VM exit: {@link Resource#VMM}, one server
 *     per VM (QEMU handles these exits under its big lock). Kernel work inside that
 *     ioctl (locks, lookups) stays LOCAL; its firmware and DOE are classified as above.</li>
 * <li>Everything else: {@link Resource#LOCAL}, the device's own vCPU or kernel thread.</li>
 * </ul>
 * Segments never merge across a release of the global firmware lock, so each lock hold
 * queues on its own.
 */
public final class BringUp {
    /** Where a DOE exchange's time goes. */
    public enum DoeScope {
        /** Per device (the default); SEV-TIO's sev_tio_continue step still goes to GLOBAL_FW. */
        DEVICE,
        /** The whole exchange on GLOBAL_FW when the trace shows it under the global lock. */
        AS_TRACED
    }

    private final String strategy;
    private final Platform platform;
    private final List<Event> events;
    private final Resource[] cls;
    private final boolean[] splitDoe;
    private final boolean[] releasesGlobal;
    private final long modeledNs;

    private BringUp(String strategy, Platform platform, List<Event> events, Resource[] cls, boolean[] splitDoe,
            boolean[] releasesGlobal, long modeledNs) {
        this.strategy = strategy;
        this.platform = platform;
        this.events = events;
        this.cls = cls;
        this.splitDoe = splitDoe;
        this.releasesGlobal = releasesGlobal;
        this.modeledNs = modeledNs;
    }

    /** A bring-up that never reached secure DMA (or broke an invariant): nothing to time. */
    public static final class Incomplete extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Incomplete(String why) { super(why); }
    }

    /** The platform's global firmware lock, by lockdep class name, or null where there is none. */
    public static String globalLock(Platform p) {
        return p.globalFirmwareLock().orElse(null);
    }

    /**
     * Runs the bring-up of device 0 on a fresh world charged from {@code costs} and
     * classifies its events. Fails (IllegalArgumentException) if the bring-up does not end
     * with a completed T=1 DMA or any invariant is violated on the way.
     */
    public static BringUp capture(Strategy s, Platform p, long seed, CostOptions costs, DoeScope doe) {
        World w = new World(WorldConfig.builder(s, p).seed(seed).costs(costs).build());
        w.sim().trace().setRecording(true);
        w.setup();
        int from = w.sim().trace().events().size();
        long before = w.sim().trace().counters().modeledNs();
        Actions.bringUp(w, 0);
        TlpResult dma = Actions.deviceSecureDma(w, 0);
        if (dma != TlpResult.COMPLETED || !w.sim().violations().isEmpty()) {
            String why = w.sim().violations().isEmpty() ? "secure DMA " + dma
                    : w.sim().violations().get(0).invariant() + " violated";
            throw new Incomplete("strategy " + s.id() + " on " + p.id() + ": bring-up does not complete (" + why + ")");
        }
        List<Event> all = w.sim().trace().events();
        // v7 binds in the VMM's IOMMU_VDEVICE_ALLOC before the guest runs: still this device's bring-up.
        List<Event> atAlloc = w.bindAtAllocEvents(0);
        List<Event> ev = new ArrayList<>(atAlloc);
        ev.addAll(all.subList(from, all.size()));
        ev = List.copyOf(ev);
        long modeled = w.sim().trace().counters().modeledNs() - before;
        var charge = costs.model(p);
        for (Event e : atAlloc) modeled += charge.applyAsLong(e);
        String lock = globalLock(p);
        Resource[] cls = new Resource[ev.size()];
        boolean[] splitDoe = new boolean[ev.size()];
        boolean[] rel = new boolean[ev.size()];
        Map<Integer, Integer> held = new HashMap<>();
        int vmmThread = -1; // thread currently inside a VMM exit window, or -1
        int lastThread = -1;
        for (int i = 0; i < ev.size(); i++) {
            Event e = ev.get(i);
            if (e.thread() != lastThread) vmmThread = -1;
            lastThread = e.thread();
            boolean inGlobal = held.getOrDefault(e.thread(), 0) > 0;
            Resource r = Resource.LOCAL;
            if (e instanceof Event.Firmware) {
                r = inGlobal ? Resource.GLOBAL_FW : Resource.LOCAL;
            } else if (e instanceof Event.Doe) {
                if (doe == DoeScope.AS_TRACED && inGlobal) {
                    r = Resource.GLOBAL_FW;
                } else {
                    r = Resource.DEVICE;
                    splitDoe[i] = true;
                }
            } else if (e instanceof Event.Exit x) {
                if (x.kind() == Event.ExitKind.USER) {
                    r = Resource.VMM;
                    vmmThread = e.thread();
                } else {
                    vmmThread = -1;
                }
            } else if (e instanceof Event.Ioctl || e instanceof Event.Syscall) {
                if (vmmThread == e.thread()) r = Resource.VMM;
            } else if (e instanceof Event.Copy c) {
                if (vmmThread == e.thread() && c.kind().user()) r = Resource.VMM;
            } else if (e instanceof Event.Call c) {
                if (c.fn().contains("KVM_RUN")) vmmThread = -1;
            } else if (e instanceof Event.Lock l && l.lock().equals(lock)) {
                held.merge(e.thread(), l.acquire() ? 1 : -1, Integer::sum);
                rel[i] = !l.acquire();
            }
            cls[i] = r;
        }
        return new BringUp(s.id(), p, ev, cls, splitDoe, rel, modeled);
    }

    public static BringUp capture(Strategy s, Platform p, long seed, CostOptions costs) {
        return capture(s, p, seed, costs, DoeScope.DEVICE);
    }

    public String strategy() { return strategy; }

    public Platform platform() { return platform; }

    /** The events of the bring-up, in order: VM 0's bind at vDEVICE allocation (v7), then those after setup. */
    public List<Event> events() { return events; }

    /** The resource event i was classified to (for a split SEV-TIO DOE: DEVICE). */
    public Resource classOf(int i) { return cls[i]; }

    /** Modeled time of the captured run after setup (Trace counters), under the capture's costs. */
    public long modeledNs() { return modeledNs; }

    /** The segments under a cost table (and host conditions), charged by {@link CostModel}. */
    public Recipe recipe(CostOptions costs) {
        CostModel m = costs.model(platform);
        long spdmStep = platform.doeFirmwareShare(costs.table()::value);
        List<Resource> res = new ArrayList<>();
        List<Long> dur = new ArrayList<>();
        boolean boundary = true;
        for (int i = 0; i < events.size(); i++) {
            long d = m.applyAsLong(events.get(i));
            if (splitDoe[i]) {
                long fw = Math.min(d, spdmStep);
                boundary = add(res, dur, Resource.DEVICE, d - fw, boundary);
                boundary = add(res, dur, Resource.GLOBAL_FW, fw, boundary);
            } else {
                boundary = add(res, dur, cls[i], d, boundary);
            }
            if (releasesGlobal[i]) boundary = true;
        }
        Resource[] r = res.toArray(new Resource[0]);
        long[] d = new long[dur.size()];
        for (int i = 0; i < d.length; i++) d[i] = dur.get(i);
        return new Recipe(strategy, platform, r, d);
    }

    /** Appends or merges one charge; returns the new boundary flag. */
    private static boolean add(List<Resource> res, List<Long> dur, Resource r, long d, boolean boundary) {
        if (d == 0) return boundary;
        int last = res.size() - 1;
        if (last >= 0 && res.get(last) == r && !(boundary && r == Resource.GLOBAL_FW)) {
            dur.set(last, dur.get(last) + d);
        } else {
            res.add(r);
            dur.add(d);
        }
        return false;
    }
}
