package tdisp.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import tdisp.device.MmioRange;
import tdisp.device.PciFunction;
import tdisp.device.PciFunctionConfig;
import tdisp.firmware.TsmFirmware;
import tdisp.guest.TdispGuest;
import tdisp.iommu.Iommu;
import tdisp.kernel.Iommufd;
import tdisp.kernel.IommufdFaults;
import tdisp.kernel.Kvm;
import tdisp.kernel.PciTsm;
import tdisp.kernel.Vfio;
import tdisp.platform.Platform;
import tdisp.platform.Stack;
import tdisp.sim.KThread;
import tdisp.sim.Path;
import tdisp.sim.PathBuilder;
import tdisp.sim.Scheduler;
import tdisp.sim.Sim;
import tdisp.strategy.Entry;
import tdisp.strategy.KnobSection;
import tdisp.strategy.Strategy;
import tdisp.vmm.Vmm;

/**
 * One assembled system: two TDIs (each on its own device, or PF0 and a VF of one device: see
 * {@link DsmLayout}), the IOMMU, the platform firmware, the host
 * kernel (pci_tsm, VFIO, iommufd, KVM), and per VM a VMM and a guest. Device i is assigned
 * to VM i at setup. Everything is driven through paths; invariants are checked after each
 * step.
 */
public final class World {
    /** The default size: two VMs, each assigned one device (scenarios use this). */
    public static final int VMS = 2;
    public static final int DEVICES = 2;
    /** Largest size the explorer accepts (symmetry reduction tries every permutation). */
    public static final int MAX_SLOTS = 4;
    /** Guest BDF 00:01.0 for each VM's assigned device. */
    public static final int GUEST_BDF = 0x0008;
    /** A GPA in the guest's private memory (below Iommu.PRIVATE_LIMIT). */
    public static final long PRIVATE_GPA = 0x8000_0000L;

    private final WorldConfig config;
    private final Strategy strategy;
    private final Platform platform;
    private final DsmLayout layout;
    private final Sim sim;
    private final List<PciFunction> devices = new ArrayList<>();
    private final Iommu iommu;
    private final TsmFirmware fw;
    private final PciTsm tsm;
    private final Kvm kvm;
    private final Iommufd iommufd;
    private final Vfio vfio;
    private final int slots;
    private final Vmm[] vmms;
    private final TdispGuest[] guests;
    private final Routing routing;
    private final Invariants invariants;
    private final Scheduler scheduler;
    private Boolean lastSecureDma;
    private tdisp.device.TlpResult lastSecureDmaResult;
    private boolean secureDmaInRun;
    private Stage[] reached;
    private boolean audit = true;

    /** Assembles the system {@code config} describes (see {@link WorldConfig#builder}). */
    public World(WorldConfig config) {
        this.config = config;
        Strategy strategy = config.strategy();
        Platform platform = config.platform();
        Set<Fault> faults = config.faults();
        DsmLayout layout = config.layout();
        int slots = config.slots();
        this.layout = layout;
        this.slots = slots;
        this.vmms = new Vmm[slots];
        this.guests = new TdispGuest[slots];
        this.strategy = strategy;
        this.platform = platform;
        this.sim = new Sim(config.seed());
        sim.trace().setCharger(config.costs().model(platform));
        // Each component gets its own section of the strategy's knobs and of the faults, at construction.
        var knobs = strategy.knobs();
        KnobSection.Bind bind = knobs.bind();
        KnobSection.Vfio vfioKnobs = knobs.vfio();
        KnobSection.Vmm vmmKnobs = knobs.vmm();
        var deviceConfig = new PciFunctionConfig(knobs.device().noSoftReset(), faults.contains(Fault.DEVICE_IGNORES_TEE_BIT));
        int[] rids = new int[slots];
        for (int d = 0; d < slots; d++) {
            List<MmioRange> bars = List.of(new MmioRange(0, 0, 0x10000, true), new MmioRange(2, 0, 0x4000, false));
            if (layout == DsmLayout.SHARED_PF0 && d > 0) {
                rids[d] = rids[0] + d;   // VF d of PF0 (ARI routing ids on PF0's bus)
                devices.add(PciFunction.vf(devices.get(0), rids[d], rids[d], bars));
            } else {
                rids[d] = (0x41 + d) << 8;
                devices.add(new PciFunction(rids[d], rids[d], bars, sim.split(), deviceConfig));
            }
        }
        iommu = new Iommu(sim, rids, slots, new Iommu.Config(platform.iommuFencesOnFault(), faults.contains(Fault.IOMMU_IGNORES_SECURE_ENTRY)));
        var firmwareFaults = new TsmFirmware.Faults(faults.contains(Fault.FW_ACCEPTS_REPLAY), faults.contains(Fault.GUEST_SENDS_PLAINTEXT),
                faults.contains(Fault.FW_STALE_TDI_INFO), faults.contains(Fault.CCA_ACCEPT_IGNORES_DMA_FAILURE),
                faults.contains(Fault.CCA_COMMIT_BEFORE_EXCHANGE), faults.contains(Fault.CCA_COMMIT_STARTED_BEFORE_EXCHANGE));
        Stack stack = platform.assemble(sim, devices, iommu, slots, new Stack.Config(firmwareFaults, bind, knobs.kvm(), knobs.sev()));
        fw = stack.firmware();
        tsm = new PciTsm(sim, stack.ops(), slots, new PciTsm.Config(bind.lock() == tdisp.strategy.BindLock.HOST_BIND,
                faults.contains(Fault.PCI_TSM_NO_BUSY_CHECK), faults.contains(Fault.PCI_TSM_FN_EXIT_NO_UNBIND)));
        if (layout == DsmLayout.SHARED_PF0) for (int d = 1; d < slots; d++) tsm.shareDsmLock(d, 0);
        kvm = new Kvm(sim, stack.kvmArch(), tsm, slots, slots, bind.entry() == Entry.KVM);
        iommufd = new Iommufd(sim, knobs.iommufd(), bind, vfioKnobs, tsm, kvm, iommu, rids, slots,
                new IommufdFaults(faults.contains(Fault.VIOMMU_NO_KVM_REF), faults.contains(Fault.IOMMUFD_NO_REMOVE_WAIT),
                        faults.contains(Fault.IOMMUFD_DESTROY_EBUSY), faults.contains(Fault.TSM_REQ_COPYBACK_EFAULT)));
        vfio = new Vfio(sim, vfioKnobs, tsm, iommufd, kvm, devices);
        stack.attach(kvm, vfio);
        var guestFaults = new TdispGuest.Faults(faults.contains(Fault.GUEST_SENDS_PLAINTEXT), faults.contains(Fault.TDCM_TIMEOUT));
        for (int v = 0; v < slots; v++) {
            vmms[v] = new Vmm(sim, v, vmmKnobs, tsm, kvm, iommufd, vfio, slots);
            guests[v] = new TdispGuest(sim, v, GUEST_BDF, stack.guestAbi(), fw, fw.launch(v), guestFaults);
        }
        routing = new Routing(sim, bind, knobs.guestRequest(), tsm, kvm, iommufd, vfio, vmms, guests, slots);
        reached = new Stage[slots];
        java.util.Arrays.fill(reached, Stage.NONE);
        invariants = new Invariants(this);
        scheduler = new Scheduler(sim, () -> { if (audit) invariants.check(false); }, Long.MAX_VALUE);
        this.explorerMode = config.explorer();
        this.seqBase = new long[slots];
    }

    // ---- accessors for scenarios, invariants and reports ----

    public WorldConfig config() { return config; }

    public Strategy strategy() { return strategy; }

    /** Number of VMs (= TDIs: VM i owns TDI i). */
    public int slots() { return slots; }

    public DsmLayout layout() { return layout; }

    public Platform platform() { return platform; }

    public Sim sim() { return sim; }

    public PciFunction device(int d) { return devices.get(d); }

    public List<PciFunction> devices() { return devices; }

    public Iommu iommu() { return iommu; }

    public TsmFirmware firmware() { return fw; }

    public PciTsm pciTsm() { return tsm; }

    public Kvm kvm() { return kvm; }

    public Iommufd iommufd() { return iommufd; }

    public Vfio vfio() { return vfio; }

    public Vmm vmm(int vm) { return vmms[vm]; }

    public TdispGuest guest(int vm) { return guests[vm]; }

    public Routing routing() { return routing; }

    public Invariants invariants() { return invariants; }

    public Scheduler scheduler() { return scheduler; }

    /** The outcome of the last device T=1 DMA attempt into guest-private memory, or null. */
    public Boolean lastSecureDma() { return lastSecureDma; }

    public tdisp.device.TlpResult lastSecureDmaResult() { return lastSecureDmaResult; }

    /**
     * Records a device T=1 write to private memory. When it landed while the TDI is RUN,
     * the system reached the goal the explorer must prove reachable (secure DMA working).
     */
    public void recordSecureDma(int dev, tdisp.device.TlpResult r) {
        lastSecureDmaResult = r;
        lastSecureDma = r == tdisp.device.TlpResult.COMPLETED;
        if (lastSecureDma && devices.get(dev).tdiState() == tdisp.device.TdiState.RUN) {
            secureDmaInRun = true;
            reach(dev, Stage.SECURE_DMA);
        }
    }

    /** Records that TDI d got as far as {@code s} (the furthest stage is kept). */
    void reach(int d, Stage s) {
        if (s.compareTo(reached[d]) > 0) reached[d] = s;
    }

    /** The furthest stage TDI d reached since the common setup. */
    public Stage reached(int d) { return reached[d]; }

    /** True once since the last call if a secure DMA landed in a RUN TDI. */
    public boolean takeSecureDmaInRun() {
        boolean g = secureDmaInRun;
        secureDmaInRun = false;
        return g;
    }

    /**
     * Audit on (the default): invariants after every step, lockdep, and the firmware and
     * guest logs the invariants read. Benchmarks turn it off together with trace recording
     * so that a steady-state path allocates nothing, after an audited setup: a switch
     * between phases of a run, not part of the configuration.
     */
    public void setAudit(boolean on) {
        audit = on;
        sim.setLockdep(on);
        fw.setAudit(on);
        for (TdispGuest g : guests) g.setAudit(on);
    }

    // ---- running ----

    public Path path(String name, Consumer<PathBuilder> body) {
        PathBuilder b = new PathBuilder(sim);
        body.accept(b);
        return b.build(name);
    }

    public KThread thread(String actor, Path p, int vm, int dev) {
        int id = sim.trace().registerThread(actor);
        KThread t = new KThread(id, actor, p);
        t.vm = vm;
        t.dev = dev;
        return t;
    }

    /** Runs one path to completion as its own thread, then checks the quiescent invariants. */
    public KThread run(String actor, Path p, int vm, int dev) {
        KThread t = thread(actor, p, vm, dev);
        scheduler.runToCompletion(t);
        if (audit) invariants.check(true);
        return t;
    }

    /** Runs several threads together (round-robin at step granularity). */
    public void runTogether(List<KThread> threads) {
        scheduler.runAll(threads);
        invariants.check(true);
    }

    /**
     * The common starting point (domain notes §7): TSM connected for every device; each
     * VMM created its VM, opened iommufd and its device's VFIO cdev, bound it with the KVM
     * file, allocated a vIOMMU and a vDEVICE; the guest enabled the device (MSE, BME).
     */
    public void setup() {
        for (int d = 0; d < slots; d++) {
            run("admin", path("pci_tsm_connect", tsm::connect), -1, d);
        }
        for (int v = 0; v < slots; v++) {
            final int vm = v;
            final int dev = v;
            boolean v7 = strategy.knobs().bind().atVdeviceAlloc();
            run("vmm" + v, path("vmm setup", b -> {
                b.step("qemu: KVM_CREATE_VM, iommufd, VFIO_DEVICE_BIND_IOMMUFD, IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC", t -> {
                    // v7's order (the OpenVMM CCA plan): the KVM file reaches VFIO before the iommufd bind,
                    // the vIOMMU sits on a nest-parent HWPT, the vDEVICE names the guest's requester id.
                    if (v7) sim.call("qemu: KVM_CREATE_VM, KVM_DEV_VFIO_FILE_ADD, VFIO_DEVICE_BIND_IOMMUFD, IOMMU_IOAS_ALLOC,"
                            + " IOMMU_HWPT_ALLOC(IOMMU_HWPT_ALLOC_NEST_PARENT), IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC(virt_id="
                            + PciTsm.hex(GUEST_BDF) + ")");
                    kvm.createVm(vm);
                    iommufd.open(vm);
                    vfio.openAndBind(vm, dev);
                    iommufd.viommuAlloc(vm);
                    iommufd.vdeviceAlloc(vm, dev, GUEST_BDF);
                });
                if (v7) {
                    b.step("mark bind", t -> { bindEvents[vm][0] = sim.trace().events().size(); bindNs[vm] = -sim.trace().modeledNs(); });
                    iommufd.vdeviceInitBind(b);
                    vmms[vm].learn(b, tsm.bindLocks());
                    b.step("mark bind end", t -> { bindEvents[vm][1] = sim.trace().events().size(); bindNs[vm] += sim.trace().modeledNs(); });
                }
            }), vm, dev);
            run("guest" + v, path("pci_enable_device_mem", b -> {
                b.step("guest: pci_enable_device_mem + pci_set_master", t -> { t.arg = Vfio.PCI_COMMAND_MEMORY | Vfio.PCI_COMMAND_MASTER; });
                vmms[vm].guestConfigWrite(b);
            }), vm, dev);
        }
        sim.trace().resetCounters();
        java.util.Arrays.fill(reached, Stage.NONE);
        sim.note("---- setup done ----");
    }

    /**
     * The common setup of the kernel recordings (results/kernel/traces): no TSM, no VM, no
     * TDI; per slot the VMM opens iommufd and the VFIO cdev, binds it (no KVM file added),
     * attaches an IOAS and exports a BAR as a dma-buf; vfio_pci_core_enable() turned on memory
     * decode. What the model keeps of that is the open, bound, enabled device.
     */
    public void setupHost() {
        vfio.detachKvm();
        iommufd.detachKvm();
        tsm.detachAll();
        for (int v = 0; v < slots; v++) {
            final int vm = v;
            final int dev = v;
            run("vmm" + v, path("host setup", b -> b.step("qemu: open(iommufd), open(vfio cdev), VFIO_DEVICE_BIND_IOMMUFD, "
                    + "VFIO_DEVICE_ATTACH_IOMMUFD_PT, VFIO_DEVICE_FEATURE_DMA_BUF", t -> {
                iommufd.open(vm);
                vfio.openAndBind(vm, dev);
                devices.get(dev).configWriteCommand(devices.get(dev).command() | Vfio.PCI_COMMAND_MEMORY, tdisp.device.Origin.HOST);
            })), vm, dev);
        }
        sim.trace().resetCounters();
        sim.note("---- setup done ----");
    }

    /** Trace event range [from, to) of each VM's bind inside IOMMU_VDEVICE_ALLOC at setup (v7), or empty. */
    private final int[][] bindEvents = new int[MAX_SLOTS][2];
    /** The modeled time of VM v's bind inside IOMMU_VDEVICE_ALLOC (v7), charged during setup: kept with recording off too. */
    private final long[] bindNs = new long[MAX_SLOTS];

    /** The modeled ns of VM vm's bind at vDEVICE allocation (0 unless bind.trigger=vdevice-alloc). */
    public long bindAtAllocNs(int vm) { return bindNs[vm]; }

    /**
     * The events of VM {@code vm}'s bind at vDEVICE allocation during setup (bind.trigger =
     * vdevice-alloc), empty otherwise: part of that VM's bring-up although the VMM makes it
     * before the guest runs, so the sweep and the bring-up latency count it.
     */
    public List<tdisp.sim.Event> bindAtAllocEvents(int vm) {
        int[] r = bindEvents[vm];
        if (r[1] <= r[0]) return List.of();
        return List.copyOf(sim.trace().events().subList(r[0], r[1]));
    }

    // ---- explorer support ----

    /** {@link WorldConfig#explorer()}. */
    private final boolean explorerMode;
    private final long[] seqBase;

    /** Checks the invariants after a step and, in explorer mode, drops the checked history. */
    public void checkAndCompact(java.util.function.IntPredicate quiescent) {
        invariants.check(quiescent);
        if (!explorerMode) return;
        for (PciFunction d : devices) d.clearHistory();
        iommu.clearHistory();
        fw.clearHistory();
        for (int v = 0; v < slots; v++) guests[v].dropSentBefore(fw.expectedSeq(v));
        invariants.resetCursors();
    }

    /** The whole world's state (threads excluded: the explorer owns them). */
    public void save(tdisp.sim.StateWriter w) {
        if (w.isCanonical()) {
            for (int v = 0; v < slots; v++) seqBase[v] = fw.expectedSeq(v);
            w.setSeqBase(seqBase);
        }
        w.global();
        for (int k = 0; k < slots; k++) {
            PciFunction d = devices.get(w.at(k));
            for (int i = 0; i < PciFunction.SNAPSHOT_WORDS; i++) w.putLong(d.snapshotWord(i, w.isCanonical()));
        }
        iommu.save(w);
        fw.save(w);
        tsm.save(w);
        kvm.save(w);
        iommufd.save(w);
        vfio.save(w);
        routing.save(w);
        for (int k = 0; k < slots; k++) {
            int v = w.at(k);
            vmms[v].save(w);
            guests[v].save(w);
        }
    }

    public void load(tdisp.sim.StateReader r) {
        for (PciFunction d : devices) {
            for (int i = 0; i < PciFunction.SNAPSHOT_WORDS; i++) d.restoreWord(i, r.getLong());
            d.clearHistory();
        }
        iommu.load(r);
        fw.load(r);
        tsm.load(r);
        kvm.load(r);
        iommufd.load(r);
        vfio.load(r);
        routing.load(r);
        for (int v = 0; v < slots; v++) {
            vmms[v].load(r);
            guests[v].load(r);
        }
        invariants.resetCursors();
        sim.clearViolations();
    }
}
