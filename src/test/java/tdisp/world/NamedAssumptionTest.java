package tdisp.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.sim.Assumption;
import tdisp.strategy.Knob;

/**
 * Issue 22.8: a verdict that rests on a choice no source makes names it. The step that
 * takes the choice records the assumption (typed, not parsed from the trace); where two
 * readings exist a knob selects the other, and the verdict moves with it.
 */
class NamedAssumptionTest {
    @Test
    void theD3hotCellRestsOnNoSoftResetAndTheOtherReadingKeepsTheTdiOutOfError() {
        ScenarioResult loses = Runs.run("iommufd-v5", Platforms.get("sev-tio"), "d3-bound");
        assertTrue(loses.assumptions().contains(Assumption.D3HOT_LOSES_STATE), loses.assumptionIds().toString());
        assertTrue(loses.violated().contains("I1"), loses.violated().toString());
        assertTrue(Runs.trace(loses).contains("[assumption] A-D3HOT-LOSES-STATE"), Runs.trace(loses));

        ScenarioResult keeps = Runs.run("iommufd-v5", Platforms.get("sev-tio"), "d3-bound", "device.no-soft-reset=1");
        assertTrue(keeps.assumptions().contains(Assumption.D3HOT_LOSES_STATE), "the other reading rests on it too");
        assertFalse(keeps.violated().contains("I1"), keeps.violated() + " " + keeps.firstViolation());
    }

    @Test
    void aCellNoAssumedStepTouchesCarriesNoAssumption() {
        ScenarioResult r = Runs.run("iommufd-v5", Platforms.get("sev-tio"), "tamper-guest-request");
        assertEquals(Set.of(), r.assumptions());
    }

    @Test
    void onCcaARevokeThatMissesTheRealmMappingLeavesItMappedAndTheUnlockIsRefused() {
        ScenarioResult unmaps = Runs.run("iommufd-v5", Platforms.get("cca"), "close-vfio-bound");
        assertTrue(unmaps.assumptions().contains(Assumption.CCA_REVOKE_UNMAPS), unmaps.assumptionIds().toString());
        assertFalse(unmaps.violated().contains("I2"), unmaps.violated().toString());

        ScenarioResult misses = Runs.run("iommufd-v5", Platforms.get("cca"), "close-vfio-bound", "kvm.cca-dma-buf-revoke=misses");
        assertTrue(misses.assumptions().contains(Assumption.CCA_REVOKE_UNMAPS));
        assertTrue(misses.violated().contains("I2"), misses.violated() + "\n" + Runs.trace(misses));
    }

    @Test
    void tdxCarriesTheTdsRequestsOnAnAssumptionAndSaysSo() {
        ScenarioResult r = Runs.run("iommufd-v5", Platforms.get("tdx-connect"), "happy-bringup");
        assertTrue(r.assumptions().contains(Assumption.TDX_GUEST_REQ_THROUGH_HOST), r.assumptionIds().toString());
    }

    /**
     * The shared-DSM depth-8 search's I6 (results/README.md): a guest MMIO_VALIDATE after
     * UNBIND makes the BAR pages private again only because the VMM issues the RMP update
     * unchecked; the path must say so, and a bound TDI's update must not.
     */
    @Test
    void anRmpUpdateForAnUnboundTdiRestsOnTheVmmNotCheckingAndABoundOnesDoesNot() {
        tdisp.explore.WorldModel m = new tdisp.explore.WorldModel(Runs.strategy("iommufd-v5"), Platforms.get("sev-tio"), 1, 1);
        m.setPreemptionBound(0);
        m.reset();
        for (String a : java.util.List.of("guest0 MMIO_VALIDATE", "guest0 continue")) {
            int i = m.actionIndex(a);
            assertTrue(m.enabled(i), a);
            m.apply(i);
        }
        assertTrue(m.world().sim().assumed().contains(Assumption.SNP_RMP_UPDATE_UNBOUND), m.world().sim().assumed().toString());
        ScenarioResult bound = Runs.run("iommufd-v5", Platforms.get("sev-tio"), "happy-bringup");
        assertFalse(bound.assumptions().contains(Assumption.SNP_RMP_UPDATE_UNBOUND), bound.assumptionIds().toString());
        assertTrue(Runs.trace(bound).contains("assigned to vm0, immutable=0"), "the posted update is not immutable");
    }

    /** The MMIO_VALIDATE-before-BIND I6 of the default explore: it stands on the unchecked reading only. */
    @Test
    void refusingTheRmpUpdateOfAnUnboundTdiRemovesTheI6ThatRestsOnIt() {
        assertTrue(i6AfterValidateAndClose(Runs.strategy("iommufd-v5")), "unchecked (default): the pages stay private after every close");
        assertFalse(i6AfterValidateAndClose(Runs.strategy("iommufd-v5", "kvm.snp-rmp-update=bound-only")), "bound-only: nothing was assigned");
    }

    private static boolean i6AfterValidateAndClose(tdisp.strategy.Strategy s) {
        tdisp.explore.WorldModel m = new tdisp.explore.WorldModel(s, Platforms.get("sev-tio"), 1, 1);
        m.setPreemptionBound(0);
        m.reset();
        boolean i6 = false;
        for (String a : java.util.List.of("guest0 MMIO_VALIDATE", "vmm0 close-iommufd", "guest0 continue", "vmm0 close-vfio", "vmm0 close-vm")) {
            int i = m.actionIndex(a);
            assertTrue(m.enabled(i), a);
            m.apply(i);
            i6 |= m.findings().stream().anyMatch(f -> f.invariant().equals("I6"));
        }
        assertTrue(m.world().sim().assumed().contains(Assumption.SNP_RMP_UPDATE_UNBOUND), "either reading rests on the assumption");
        return i6;
    }

    @Test
    void everyAssumptionHasAUniqueIdAStatementAReasonAndPlatformsAndItsKnobExists() {
        Set<String> ids = new HashSet<>();
        for (Assumption a : Assumption.values()) {
            assertTrue(a.id().matches("A-[A-Z0-9-]+"), a.id());
            assertTrue(ids.add(a.id()), "twice: " + a.id());
            assertFalse(a.statement().isBlank());
            assertFalse(a.why().isBlank());
            assertFalse(a.platforms().isEmpty());
            if (!a.knob().isEmpty()) assertTrue(Knob.find(a.knob()).map(Knob::assumptionReading).orElse(false), a.knob());
            assertEquals(a, Assumption.byId(a.id()));
        }
    }

    @Test
    void theDefaultReadingsLeaveAStrategysKnobDescriptionAsItWasAndAnotherReadingIsNamed() {
        String plain = Runs.strategy("iommufd-v5").knobs().describe();
        assertFalse(plain.contains("no-soft-reset"), plain);
        assertTrue(Runs.strategy("iommufd-v5", "device.no-soft-reset=1").knobs().describe().endsWith(";device.no-soft-reset=1"));
    }
}
