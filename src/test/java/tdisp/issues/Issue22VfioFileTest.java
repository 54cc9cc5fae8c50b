package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.explore.Counterexample;
import tdisp.explore.Explorer;
import tdisp.explore.ExplorerConfig;
import tdisp.explore.ExplorerResult;
import tdisp.explore.WorldModel;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;
import tdisp.sim.Errno;
import tdisp.sim.KThread;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * Issue 22, point 2, "Operations on a VFIO fd after its release": "The explorer prints a
 * guest {@code pwrite} on the VFIO device fd succeeding after
 * {@code vfio_device_fops_release()} of that fd began. {@code ->release} runs after the last
 * reference is dropped, and a later call gets {@code EBADF}. The model counts file
 * references for iommufd ({@code fdget}/{@code fdput}) but not for the VFIO cdev. Model them
 * the same way; every printed interleaving must be one the VFS allows."
 */
class Issue22VfioFileTest {
    private static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    /** What a call on the cdev prints once it got past fdget(). */
    private static final List<String> VFIO_CALLS = List.of("vfio_pci_config_rw", "vfio_exp_config_write",
            "vfio_pci_ioctl_reset", "vfio_pci_runtime_pm_entry", "vfio_pci_ioctl_tsm_");

    private static String callAfterRelease(List<String> trace) {
        boolean released = false;
        for (String line : trace) {
            if (line.contains("vfio_device_fops_release(dev0)")) released = true;
            else if (released) for (String c : VFIO_CALLS) if (line.contains(c)) return line;
        }
        return null;
    }

    @Test
    void aCallHoldingTheFileDelaysTheReleaseAndACallAfterCloseIsEbadf() {
        World w = new World(WorldConfig.builder(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio")).build());
        w.sim().trace().setRecording(true);
        w.setup();
        KThread flr = w.thread("guest0", Actions.guestFlrPath(w, 0), 0, 0);
        while (!w.scheduler().peek(flr).name().equals("vfio_exp_config_write")) w.scheduler().step(flr);
        KThread close = w.thread("vmm0", Actions.closeVfioPath(w, 0), 0, 0);
        for (int i = 0; i < 50 && w.scheduler().step(close) == tdisp.sim.Scheduler.Outcome.RAN; i++) { }
        assertFalse(close.done(), "the release waits for the FLR's fdput");
        KThread late = w.run("vmm0-late", Actions.vmmResetIoctlPath(w), 0, 0);
        assertEquals(Errno.EBADF, late.errno(), "a call after close(2) finds no fd");
        w.scheduler().runToCompletion(flr);
        w.scheduler().runToCompletion(close);
        List<String> trace = new ArrayList<>();
        for (var e : w.sim().trace().events()) trace.add(w.sim().trace().render(e));
        assertEquals(null, callAfterRelease(trace), String.join("\n", trace));
        assertTrue(String.join("\n", trace).contains("vfio_device_fops_release(dev0)"));
    }

    @Test
    void noExplorerCounterexampleShowsACallOnTheVfioFdAfterItsRelease() {
        Set<String> allowed = Set.of("guest0 BIND", "guest0 FLR", "guest0 clear-BME", "vmm0 close-vfio",
                "vmm0 VFIO_DEVICE_RESET", "vmm0 clear-MSE", "vmm0 runtime-PM", "guest0 continue", "vmm0 continue");
        WorldModel m = new WorldModel(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), 1, 1);
        m.setPreemptionBound(1);
        m.restrictTo(allowed::contains);
        ExplorerResult r = new Explorer(m, ExplorerConfig.bfs(6), null).run();
        assertFalse(r.counterexamples().isEmpty());
        for (Counterexample c : r.counterexamples().values()) {
            WorldModel replay = new WorldModel(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), 1, 1, true);
            replay.setPreemptionBound(1);
            List<String> trace = new ArrayList<>();
            replay.replay(c.actions(), trace);
            String bad = callAfterRelease(trace);
            assertEquals(null, bad, c.invariant() + " " + c.detail() + "\n" + String.join("\n", trace));
        }
    }
}
