package tdisp.world;

import static org.junit.jupiter.api.Assertions.*;

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
 * Issue 21, point 2 on AMD: with the secure vIOMMU the SNP guest writes its sDTE itself
 * (amd_iommu_update_sdte()) and sends no TIO_MSG_SDTE_WRITE_REQ through the VMM.
 */
class V7SecureViommuTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(String strategy, List<String> set) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy).withOverrides(set), Platforms.get("sev-tio"), Scenarios.get("happy-bringup")).trace(ScenarioRun.Trace.RECORDED).build());
    }

    @Test
    void withTheSecureViommuTheSnpGuestWritesItsSdteWithoutAnExitToTheVmm() {
        for (String s : List.of("iommufd-v7", "iommufd-v5", "kvm-direct")) {
            ScenarioResult off = run(s, List.of());
            ScenarioResult on = run(s, List.of("sev.secure-viommu=on"));
            String t = String.join("\n", on.trace());
            assertTrue(String.join("\n", off.trace()).contains("TIO_MSG_SDTE_WRITE_REQ(V=1)"), s);
            assertFalse(t.contains("TIO_MSG_SDTE_WRITE_REQ"), s + "\n" + t);
            assertTrue(t.contains("guest: amd_iommu_update_sdte(set=1)"), s + "\n" + t);
            assertEquals("yes", on.secureDma(), s);
            assertEquals(off.verdict(), on.verdict(), s);
            // The enable and the teardown's clear each lose their exit.
            assertEquals(off.counters().vmExits() - 2, on.counters().vmExits(), s);
        }
    }

    @Test
    void theSecureViommuKnobDefaultsToOffAndIsLeftOutOfTheDescriptionThen() {
        var k = CATALOG.get("iommufd-v7").knobs();
        assertFalse(k.sevSecureViommu());
        assertFalse(k.describe().contains("sev.secure-viommu"));
        assertTrue(k.with("sev.secure-viommu", "on").describe().endsWith("sev.secure-viommu=on"));
    }
}
