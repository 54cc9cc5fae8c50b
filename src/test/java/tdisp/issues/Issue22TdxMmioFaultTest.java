package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 22, point 7: "KVM maps TDX private MMIO at fault time (TDP MMU, {@code mmu_lock}
 * for read), not under {@code KVM_SET_MEMORY_ATTRIBUTES} with the lock held for write."
 * (Linux 7.2: kvm_tdp_mmu_page_fault() takes read_lock(&vcpu->kvm->mmu_lock); the comment
 * over tdx_sept_set_private_spte() puts a non-present to present leaf under the shared lock.)
 */
class Issue22TdxMmioFaultTest {
    private static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private static int index(List<String> trace, String s, int from) {
        for (int i = from; i < trace.size(); i++) if (trace.get(i).contains(s)) return i;
        return -1;
    }

    @Test
    void theMapRunsAtTheFaultAfterReEntryUnderTheReadLock() {
        ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-v5"), Platforms.get("tdx-connect"), Scenarios.get("close-vfio-bound")).trace(ScenarioRun.Trace.RECORDED).build());
        List<String> trace = r.trace();
        int ioctl = index(trace, "KVM_SET_MEMORY_ATTRIBUTES(PRIVATE)", 0);
        int map = index(trace, "fw TDH.MMIO.MAP", 0);
        assertTrue(ioctl >= 0 && map > ioctl, String.join("\n", trace));
        int reenter = index(trace, "KVM_RUN) /* re-enter */", ioctl);
        assertTrue(reenter > ioctl && reenter < map, "the ioctl returns and the vCPU re-enters before the map");
        int lock = -1;
        for (int i = map; i > ioctl; i--) if (trace.get(i).contains("kvm->mmu_lock")) { lock = i; break; }
        assertTrue(lock > 0, "the map holds kvm->mmu_lock");
        assertTrue(trace.get(lock).contains("down_read(kvm->mmu_lock)"), trace.get(lock));
        assertTrue(String.join(" ", trace.subList(lock, map)).contains("kvm_tdp_mmu_page_fault"));
        assertEquals(-1, index(trace.subList(ioctl, map), "down_write(kvm->mmu_lock)", 0));
    }
}
