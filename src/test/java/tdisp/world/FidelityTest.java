package tdisp.world;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;

/** Review findings of issue 8, each checked against the trace the model prints. */
class FidelityTest {
    static final Platform SEV = Platforms.get("sev-tio");
    static final Platform TDX = Platforms.get("tdx-connect");

    private static int index(List<String> lines, int from, String s) {
        for (int i = from; i < lines.size(); i++) if (lines.get(i).contains(s)) return i;
        return -1;
    }

    @Test
    void vfioFlrOnAConfigWriteIsPciTryResetFunction() {
        List<String> tr = Runs.run("vfio-ioctl", SEV, "flr-bound").trace();
        int w = index(tr, 0, "vfio_exp_config_write");
        assertTrue(w >= 0);
        assertTrue(index(tr, w, "pci_try_reset_function(dev0)") > w);
    }

    @Test
    void sevTdiUnbindChecksTheFenceBeforeReclaimAndEndsWithRmpMakeSharedMmio() {
        List<String> tr = Runs.run("iommufd-v5", SEV, "rebind").trace();
        int unbind = index(tr, 0, "sev_tio: tdi_unbind");
        assertTrue(unbind >= 0);
        int fence = index(tr, unbind, "TIO_ASID_FENCE_STATUS");
        int reclaim = index(tr, unbind, "fw TIO_TDI_RECLAIM");
        int shared = index(tr, unbind, "rmp_make_shared_mmio");
        assertTrue(fence > unbind && reclaim > fence && shared > reclaim, "order in AMD's tdi_unbind(): " + fence + " " + reclaim + " " + shared);
    }

    @Test
    void aTdxTraceNamesNoAmdGuestOpAndThePostedHostOps() {
        for (String s : List.of("happy-bringup", "rebind", "close-vfio-bound")) {
            String tr = Runs.trace(Runs.run("iommufd-v5", TDX, s));
            assertFalse(tr.contains("SEV_TIO_OP") || tr.contains("tio_msg") || tr.contains("TIO_"), s + " prints an AMD name on TDX");
            assertFalse(tr.contains("tdx_tdi_") || tr.contains("tdx_sept_map_mmio") || tr.contains("tdx_sept_zap_private_mmio"), s);
        }
        String tr = Runs.trace(Runs.run("iommufd-v5", TDX, "close-vfio-bound"));
        assertTrue(tr.contains("tdx-host: tdx_tsm_bind") && tr.contains("tdx_mmio_map") && tr.contains("tdx_sept_drop_private_spte"), tr);
    }

    @Test
    void hotUnplugGoesThroughPciDestroyDevAndDisconnectsTheLink() {
        List<String> tr = Runs.run("iommufd-v5", SEV, "hot-unplug-bound").trace();
        int d = index(tr, 0, "pci_destroy_dev -> pci_tsm_destroy");
        assertTrue(d >= 0);
        assertTrue(index(tr, d, "down_write(pci_tsm_rwsem)") > d);
        assertTrue(index(tr, d, "fw TIO_DEV_DISCONNECT") > d);
    }

    // ---- I11 ----

    @Test
    void vfioUnbindFirstTradesTheErrorForAYankOfTheRunningGuest() {
        ScenarioResult r = Runs.run("vfio-ioctl", SEV, "vfio-reset-bound");
        assertTrue(r.violated().contains("I11"), r.violated().toString());
        assertFalse(r.violated().contains("I1"), r.violated().toString());
        assertTrue(Runs.run("iommufd-v5", SEV, "vfio-reset-bound").violated().contains("I1"));
    }

    @Test
    void theGuestsOwnTeardownAndAToldHotUnplugAreNoYank() {
        List<String> bad = new ArrayList<>();
        for (String s : List.of("happy-bringup", "rebind", "hot-unplug-bound", "close-kvm-bound", "device-error-injected")) {
            for (Platform p : Platforms.all()) {
                ScenarioResult r = Runs.run("vfio-ioctl", p, s);
                if (r.violated().contains("I11")) bad.add(s + "@" + p.id() + ": " + r.firstViolation());
            }
        }
        assertTrue(bad.isEmpty(), bad.toString());
    }

    @Test
    void aTsmDisconnectOfARunningTdiIsAYankOnEveryStrategy() {
        for (String s : List.of("iommufd-v5", "vfio-ioctl", "kvm-direct")) {
            assertTrue(Runs.run(s, TDX, "tsm-disconnect-bound").violated().contains("I11"), s);
        }
    }

    // ---- vfio_pci_dma_buf_cleanup() and the VMM's view of the bound state ----

    @Test
    void closeDeviceRevokesTheBarDmaBufsBeforeTheDisableAsLinux72Does() {
        List<String> tr = Runs.run("iommufd-v5", TDX, "close-vfio-bound").trace();
        int disable = index(tr, 0, "vfio_pci_core_disable(dev0)");
        int cleanup = index(tr, 0, "vfio_pci_dma_buf_cleanup(dev0)");
        assertTrue(cleanup >= 0 && disable > cleanup, disable + " " + cleanup);
        assertTrue(tr.get(cleanup - 1).contains("down_write(vdev->memory_lock)"), tr.get(cleanup - 1));
        List<String> older = Runs.run("iommufd-v5", TDX, "close-vfio-bound", "vfio.dma-buf-cleanup=after-disable").trace();
        assertTrue(index(older, 0, "vfio_pci_dma_buf_cleanup(dev0)") > index(older, 0, "vfio_pci_core_disable(dev0)"));
    }

    @Test
    void onTdxTheRevokeOfABoundTdisPrivateMmioIsRefusedByTheModule() {
        // Unbind first (so no ERROR from the disable) isolates the dma-buf revoke: with the TDI
        // unbound before close_device the revoke finds nothing mapped and the module refuses nothing.
        ScenarioResult merged = Runs.run("iommufd-v5", TDX, "close-vfio-bound");
        assertTrue(merged.violated().contains("I2"), merged.violated() + " " + merged.firstViolation());
        assertTrue(Runs.trace(merged).contains("TDH.MMIO.UNMAP"));
        ScenarioResult fixed = Runs.run("iommufd-v5", TDX, "close-vfio-bound", "vfio.last-close=unbind-first");
        assertFalse(fixed.violated().contains("I2"), fixed.violated().toString());
    }

    @Test
    void kvmDirectWithTheSysfsBoundStateTrapsTheGuestBmeClear() {
        ScenarioResult blind = Runs.run("kvm-direct", SEV, "guest-clear-bme");
        assertTrue(blind.violated().contains("I1"), "the VMM carried no bind: " + blind.violated());
        ScenarioResult sysfs = Runs.run("kvm-direct", SEV, "guest-clear-bme", "vmm.bound-state=sysfs");
        assertFalse(sysfs.violated().contains("I1"), sysfs.firstViolation());
    }
}
