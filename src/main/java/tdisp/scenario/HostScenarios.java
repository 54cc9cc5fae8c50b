package tdisp.scenario;

import static tdisp.kernel.ThreadRegisters.setOrigin;

import static tdisp.scenario.Actions.aerRecovery;
import static tdisp.scenario.Actions.closeIommufd;
import static tdisp.scenario.Actions.closeVfio;
import static tdisp.scenario.Actions.hotUnplug;
import static tdisp.scenario.Actions.vmmHotReset;
import static tdisp.scenario.Actions.vmmClearMse;
import static tdisp.scenario.Actions.vmmResetIoctl;
import static tdisp.scenario.Actions.vmmRuntimePm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tdisp.device.Origin;
import tdisp.device.ResetMethod;
import tdisp.kernel.Vfio;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.world.DsmLayout;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * The host-only scenarios: what merged code runs without TDISP hardware, one per kernel
 * recording (results/kernel/traces/ID.trace, ids fixed by the recorder/referee contract).
 * A function is assigned to VFIO and iommufd, no TSM, no VM, no TDI bound
 * ({@link World#setupHost()}); then the host event. They are a catalogue of their own, not
 * rows of the correctness matrix: with nothing bound no invariant about a TDI can fail, and
 * the platform does not enter (no firmware call is reached), so they run once, on whichever
 * platform the caller gives, and the referee checks that all platforms give the same calls.
 */
public final class HostScenarios {
    /** Every recording id of the contract, in its order. */
    public static final List<String> RECORDED = List.of("close-vfio-first", "close-iommufd-first", "vfio-device-reset",
            "config-clear-mse", "config-clear-bme", "config-flr", "runtime-pm", "secondary-bus-reset", "aer-inject",
            "hot-unplug-open", "closed-fd-ioctl", "sriov-vf-reset-via-pf", "viommu-vdevice-alloc", "destroy-vdevice-in-use",
            "idevice-unbind-with-vdevice");

    private static final Map<String, Scenario> MODELLED = new LinkedHashMap<>();
    private static final Map<String, String> UNMODELLED = new LinkedHashMap<>();
    private static final Map<String, String> BOUND = new LinkedHashMap<>();

    private static void add(String id, String title, Consumer<World> body) {
        MODELLED.put(id, new Scenario(id, title, body, DsmLayout.ONE_PER_TDI));
    }

    static {
        add("close-vfio-first", "close the VFIO cdev, then iommufd", w -> {
            closeVfio(w, 0);
            closeIommufd(w, 0);
        });
        add("close-iommufd-first", "close iommufd, then the VFIO cdev", w -> {
            closeIommufd(w, 0);
            closeVfio(w, 0);
        });
        add("vfio-device-reset", "VFIO_DEVICE_RESET", w -> vmmResetIoctl(w, 0));
        add("config-clear-mse", "clear MSE through VFIO's config region", w -> vmmClearMse(w, 0));
        add("config-clear-bme", "clear BME through VFIO's config region", w -> w.run("vmm0", w.path("BME clear", b -> {
            b.step("qemu: clear BME", t -> {
                setOrigin(t, Origin.HOST);
                t.arg = w.device(t.dev).command() & ~Vfio.PCI_COMMAND_MASTER;
                w.sim().call("pwrite(vfio device fd, config region: PCI_COMMAND)");
            });
            w.vfio().configWriteCommand(b);
        }), 0, 0));
        add("config-flr", "initiate FLR in Device Control through VFIO's config region", w -> w.run("vmm0", w.path("FLR", b -> {
            b.step("qemu: initiate FLR", t -> {
                setOrigin(t, Origin.HOST);
                w.sim().call("pwrite(vfio device fd, config region: DevCtl)");
            });
            w.vfio().flrConfigWrite(b);
        }), 0, 0));
        add("runtime-pm", "low-power entry and exit (runtime PM)", w -> vmmRuntimePm(w, 0));
        add("secondary-bus-reset", "VFIO_DEVICE_PCI_HOT_RESET: a secondary bus reset", w -> vmmHotReset(w, 0));
        add("aer-inject", "an uncorrectable error reported by AER: recovery with a secondary bus reset, then the closes", w -> {
            aerRecovery(w, 0);
            closeVfio(w, 0);
            closeIommufd(w, 0);
        });
        add("hot-unplug-open", "hot-unplug with the device open; the user releases it on request", w -> hotUnplug(w, 0));
        add("closed-fd-ioctl", "VFIO_DEVICE_RESET on the VFIO fd after its close", w -> {
            closeVfio(w, 0);
            vmmResetIoctl(w, 0);
        });
        // PF0 (slot 0) and one VF (slot 1) behind its DSM, each set up by its own VMM context.
        MODELLED.put("sriov-vf-reset-via-pf", new Scenario("sriov-vf-reset-via-pf", "VFIO_DEVICE_RESET on the PF while its VF is open",
                w -> {
                    vmmResetIoctl(w, 0);
                    closeVfio(w, 0);
                    closeVfio(w, 1);
                    closeIommufd(w, 0);
                    closeIommufd(w, 1);
                }, DsmLayout.SHARED_PF0));
        // The iommufd-selftest recordings: the IOMMUFD_TEST mock device stands for the host
        // setup's idevice; its vIOMMU and vDEVICE are allocated from userspace, with no VM.
        add("viommu-vdevice-alloc", "IOMMU_VIOMMU_ALLOC, IOMMU_VDEVICE_ALLOC, close iommufd", w -> {
            w.iommufd().selftestMock();
            iommufd(w, "IOMMU_VIOMMU_ALLOC", b -> w.iommufd().viommuAllocIoctl(b));
            iommufd(w, "IOMMU_VDEVICE_ALLOC", b -> w.iommufd().vdeviceAllocIoctl(b, World.GUEST_BDF));
            closeIommufd(w, 0);
        });
        add("destroy-vdevice-in-use", "IOMMU_DESTROY of a vIOMMU with a vDEVICE (-EBUSY), of the vDEVICE, of the vIOMMU", w -> {
            w.iommufd().selftestMock();
            iommufd(w, "IOMMU_VIOMMU_ALLOC", b -> w.iommufd().viommuAllocIoctl(b));
            iommufd(w, "IOMMU_VDEVICE_ALLOC", b -> w.iommufd().vdeviceAllocIoctl(b, World.GUEST_BDF));
            iommufd(w, "IOMMU_DESTROY(viommu)", b -> w.iommufd().destroyViommuIoctl(b));
            iommufd(w, "IOMMU_DESTROY(vdevice)", b -> w.iommufd().destroyVdeviceIoctl(b));
            iommufd(w, "IOMMU_DESTROY(viommu)", b -> w.iommufd().destroyViommuIoctl(b));
            closeIommufd(w, 0);
        });
        add("idevice-unbind-with-vdevice", "unbind the idevice under its vDEVICE, then IOMMU_DESTROY of the vDEVICE (-ENOENT)", w -> {
            w.iommufd().selftestMock();
            iommufd(w, "IOMMU_VIOMMU_ALLOC", b -> w.iommufd().viommuAllocIoctl(b));
            iommufd(w, "IOMMU_VDEVICE_ALLOC", b -> w.iommufd().vdeviceAllocIoctl(b, World.GUEST_BDF));
            iommufd(w, "IOMMU_DESTROY(mock device)", b -> w.iommufd().selftestDestroyIoctl(b));
            iommufd(w, "IOMMU_DESTROY(vdevice)", b -> w.iommufd().destroyVdeviceIoctl(b));
            closeIommufd(w, 0);
        });

        // Bound-TDI scenarios of the matrix whose host-side calls answer to a recording.
        BOUND.put("close-vfio-bound", "close-vfio-first");
        BOUND.put("close-iommufd-bound", "close-iommufd-first");
        BOUND.put("vfio-reset-bound", "vfio-device-reset");
        BOUND.put("bar-zap-bound", "config-clear-mse");
        BOUND.put("guest-clear-mse", "config-clear-mse");
        BOUND.put("guest-clear-bme", "config-clear-bme");
        BOUND.put("flr-bound", "config-flr");
        BOUND.put("d3-bound", "runtime-pm");
        BOUND.put("hot-unplug-bound", "hot-unplug-open");
    }

    private HostScenarios() {}

    /** One iommufd ioctl of the VMM (userspace) on VM slot 0's ctx and device 0. */
    private static void iommufd(World w, String name, Consumer<tdisp.sim.PathBuilder> body) {
        w.run("vmm0", w.path(name, body::accept), 0, 0);
    }

    /** The modelled host-only scenarios, by recording id. */
    public static Map<String, Scenario> all() { return Collections.unmodifiableMap(MODELLED); }

    /** Recording ids the model has no host-only run for, and why. */
    public static Map<String, String> unmodelled() { return Collections.unmodifiableMap(UNMODELLED); }

    /** Matrix scenario id to the recording id its host-side calls are held to. */
    public static Map<String, String> boundMirrors() { return Collections.unmodifiableMap(BOUND); }

    /** Runs one host-only scenario with its trace on; the world is returned for its events. */
    public static World run(Strategy s, Platform p, Scenario sc, long seed) { return run(s, p, sc, seed, ResetMethod.FLR); }

    /** As {@link #run(Strategy, Platform, Scenario, long)}, the device resetting by {@code reset}. */
    public static World run(Strategy s, Platform p, Scenario sc, long seed, ResetMethod reset) {
        // A shared DSM needs its VF: two slots, PF0 and VF 1 (the recorded SR-IOV layout).
        int slots = sc.layout() == DsmLayout.SHARED_PF0 ? 2 : 1;
        World w = new World(WorldConfig.builder(s, p).seed(seed).slots(slots).layout(sc.layout()).build());
        w.device(0).setResetMethod(reset);
        w.sim().trace().setRecording(true);
        w.setupHost();
        sc.body().accept(w);
        return w;
    }

    /** Runs a matrix scenario (two VMs, as compare runs it) with its trace on. */
    public static World runBound(Strategy s, Platform p, Scenario sc, long seed, ResetMethod reset) {
        World w = new World(WorldConfig.builder(s, p).seed(seed).layout(sc.layout()).build());
        w.device(0).setResetMethod(reset);
        w.sim().trace().setRecording(true);
        w.setup();
        sc.body().accept(w);
        return w;
    }
}
