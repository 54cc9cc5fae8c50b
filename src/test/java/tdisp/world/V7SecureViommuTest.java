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

    /**
     * Issue 21, point 5: the guest's own write is charged from its row (snp.sviommu.sdte_write)
     * and is no firmware command: fw_calls counts no PSP call for it, modeled time has it.
     */
    @Test
    void theGuestsOwnSdteWriteIsChargedFromItsRowAndIsNoFirmwareCall() {
        List<String> on = List.of("sev.secure-viommu=on");
        ScenarioResult base = run("iommufd-v7", on);
        var dearer = tdisp.cost.CostOptions.defaults().table().with("snp.sviommu.sdte_write", 1_000_000);
        ScenarioResult priced = ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-v7").withOverrides(on), Platforms.get("sev-tio"),
                Scenarios.get("happy-bringup")).costs(new tdisp.cost.CostOptions(dearer, false, false)).build());
        long writes = String.join("\n", base.trace()).lines().filter(l -> l.contains("secure vIOMMU writes the sDTE")).count();
        assertTrue(writes >= 1, String.join("\n", base.trace()));
        assertEquals(base.counters().modeledNs() + writes * (1_000_000 - 2_000), priced.counters().modeledNs());
        assertEquals(base.counters().fwCalls(), priced.counters().fwCalls());
    }

    @Test
    void theSecureViommuKnobDefaultsToOffAndIsLeftOutOfTheDescriptionThen() {
        var k = CATALOG.get("iommufd-v7").knobs();
        assertFalse(k.sevSecureViommu());
        assertFalse(k.describe().contains("sev.secure-viommu"));
        assertTrue(k.with("sev.secure-viommu", "on").describe().endsWith("sev.secure-viommu=on"));
    }
}
