package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.explore.WorldModel;
import tdisp.platform.Platforms;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 22, re-check of the explorer's counterexamples: on kvm-direct / TDX Connect the
 * explorer printed "vmm0 close-vfio, guest0 BIND, guest0 MMIO_VALIDATE, guest0 UNBIND" with
 * KVM mapping the TEE BAR after VFIO had released the device. KVM maps private MMIO from the
 * dma-buf VFIO exported; vfio_pci_dma_buf_cleanup() unlinked it at the release, so there is
 * nothing to map.
 */
class Issue22KvmDirectMapTest {
    private static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    @Test
    void kvmDoesNotMapTheTeeBarAfterVfioReleasedTheDevice() {
        WorldModel m = new WorldModel(CATALOG.get("kvm-direct"), Platforms.get("tdx-connect"), 1, 1, true);
        List<Integer> actions = new ArrayList<>();
        for (String a : List.of("vmm0 close-vfio", "guest0 BIND", "guest0 MMIO_VALIDATE")) actions.add(m.actionIndex(a));
        List<String> trace = new ArrayList<>();
        m.replay(actions, trace);
        String t = String.join("\n", trace);
        assertTrue(t.contains("vfio_device_fops_release(dev0)"), t);
        assertFalse(t.contains("fw TDH.MMIO.MAP"), t);
        assertTrue(t.contains("vfio_pci_dma_buf get = -ENODEV"), t);
    }
}
