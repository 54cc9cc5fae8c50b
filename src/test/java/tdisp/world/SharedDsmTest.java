package tdisp.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tdisp.device.Origin;
import tdisp.device.TdiState;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;
import tdisp.scenario.ScenarioResult;

/** PF0 and a VF behind one DSM (DsmLayout.SHARED_PF0): what one function's reset does to the other's TDI. */
class SharedDsmTest {

    static Stream<Arguments> everyStrategyAndPlatform() {
        return Runs.CATALOG.all().stream().flatMap(s -> Platforms.all().stream()
                .filter(p -> tdisp.TestStrategies.bringsUp(s, p)).map(p -> Arguments.of(s.id(), p)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyStrategyAndPlatform")
    void aPfResetTakesTheVfsBoundTdiToErrorOnEveryStrategy(String strategy, Platform p) {
        for (String sc : new String[] {"shared-dsm/pf-vfio-reset", "shared-dsm/pf-guest-flr"}) {
            ScenarioResult r = Runs.run(strategy, p, sc);
            assertTrue(r.violated().contains("I1"), sc);
            assertTrue(Runs.trace(r).contains("dev1 RUN -> ERROR by PF_FLR"), sc + ": the VF's TDI is hit by its PF's reset");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyStrategyAndPlatform")
    void aVfResetLeavesThePfsTdiRunningAndSharedBringUpPasses(String strategy, Platform p) {
        ScenarioResult r = Runs.run(strategy, p, "shared-dsm/vf-vfio-reset");
        assertEquals("RUN", r.tdiEndState(), "PF0's TDI");
        assertFalse(Runs.trace(r).contains("dev0 RUN -> ERROR"));
        ScenarioResult b = Runs.run(strategy, p, "shared-dsm/bringup");
        assertEquals(ScenarioResult.Verdict.PASS, b.verdict(), b.firstViolation());
    }

    @Test
    void functionsOfOneDsmShareItsLockAndSession() {
        World w = new World(WorldConfig.builder(Runs.strategy("iommufd-v5"), Platforms.get("sev-tio")).slots(2).layout(DsmLayout.SHARED_PF0).build());
        assertSame(w.pciTsm().pf0(0), w.pciTsm().pf0(1), "one pci_tsm_pf0::lock");
        assertSame(w.device(0).dsm(), w.device(1).dsm());
        assertSame(w.device(0), w.device(1).pf());
        World sep = new World(WorldConfig.builder(Runs.strategy("iommufd-v5"), Platforms.get("sev-tio")).build());
        assertFalse(sep.pciTsm().pf0(0) == sep.pciTsm().pf0(1));
    }

    /** I1: a guest's own FLR is on purpose for its own TDI, never for the VF's it reaches. */
    @Test
    void aGuestFlrOfThePfIsAViolationOnlyForTheVf() {
        World w = new World(WorldConfig.builder(Runs.strategy("vfio-ioctl"), Platforms.get("sev-tio")).slots(2).layout(DsmLayout.SHARED_PF0).build());
        w.setup();
        Actions.bringUp(w, 0);
        Actions.bringUp(w, 1);
        assertEquals(TdiState.RUN, w.device(1).tdiState());
        w.run("guest0", w.path("flr", b -> b.step("PF FLR by the guest itself", t -> w.device(0).flr(Origin.GUEST))), 0, 0);
        var found = w.sim().violations().stream().map(v -> v.invariant() + ": " + v.detail()).toList();
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("I1: dev1 RUN -> ERROR by PF_FLR from GUEST"), found.toString());
    }
}
