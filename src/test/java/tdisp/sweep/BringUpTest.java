package tdisp.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostModel;
import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;
import tdisp.sim.Event;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** Recipes come from the model's own run and account for every modeled nanosecond. */
class BringUpTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));
    static final CostOptions DEFAULTS = CostOptions.defaults();

    @Test
    void recipeDurationsSumExactlyToTheModeledTimeOfTheSameRun() {
        CostTable moved = CostTable.defaults().with("psp.cmd.simple", 123_457).with("doe.poll_interval", 3_999_999)
                .with("uaccess.copy", 77.7);
        List<CostOptions> tables = List.of(DEFAULTS, new CostOptions(moved, true, true));
        for (Platform p : Platforms.all()) {
            for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
                for (CostOptions o : tables) {
                    BringUp b = BringUp.capture(s, p, 1, o);
                    Recipe r = b.recipe(o);
                    assertTrue(b.modeledNs() > 1_000_000, "a bring-up takes modeled time");
                    assertEquals(b.modeledNs(), r.total(), s.id() + "/" + p.id());
                }
                // One capture serves every table: re-charging the default run equals a fresh run under the moved table.
                CostOptions o = tables.get(1);
                assertEquals(BringUp.capture(s, p, 1, o).modeledNs(), BringUp.capture(s, p, 1, DEFAULTS).recipe(o).total(),
                        s.id() + "/" + p.id() + ": event stream must not depend on costs");
            }
        }
    }

    @Test
    void theCaptureIsTheBringUpAfterSetupAsTheTraceCountersSeeIt() {
        World w = new World(WorldConfig.builder(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio")).costs(DEFAULTS).build());
        w.setup();
        Actions.bringUp(w, 0);
        Actions.deviceSecureDma(w, 0);
        assertEquals(w.sim().trace().counters().modeledNs(), BringUp.capture(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), 1, DEFAULTS).modeledNs());
    }

    @Test
    void kvmDirectHasNoVmmSegmentsAndEveryVmmRoutedStrategyDoes() {
        CostTable t = CostTable.defaults();
        long exitCost = Math.round(t.value("kvm.exit_to_user.extra") + t.value("vmm.dispatch"));
        for (Platform p : Platforms.all()) {
            for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
                BringUp b = BringUp.capture(s, p, 1, DEFAULTS);
                Recipe r = b.recipe(DEFAULTS);
                long userExits = b.events().stream().filter(e -> e instanceof Event.Exit x && x.kind() == Event.ExitKind.USER).count();
                if (s.id().equals("kvm-direct")) {
                    assertEquals(0, r.count(Resource.VMM), p.id());
                    assertEquals(0, userExits, p.id());
                } else {
                    assertTrue(userExits >= 4, s.id() + "/" + p.id() + " exits to the VMM: " + userExits);
                    assertTrue(r.count(Resource.VMM) >= userExits, s.id() + "/" + p.id());
                    assertTrue(r.total(Resource.VMM) >= userExits * exitCost, s.id() + "/" + p.id());
                }
            }
        }
    }

    @Test
    void onSevTioGlobalFirmwareIsEveryPspCommandPlusTheSpdmContinueSteps() {
        CostTable t = CostTable.defaults();
        long step = Math.round(t.value("psp.cmd.tio_spdm_step"));
        checkGlobalFirmware(Platforms.get("sev-tio"), f -> true, step);
    }

    @Test
    void onTdxConnectGlobalFirmwareIsTheSeamcallsUnderTdxExtLock() {
        // TDCALLs never take tdx_spdm_lock; TDH.MMIO.MAP runs under kvm->mmu_lock only.
        checkGlobalFirmware(Platforms.get("tdx-connect"),
                f -> f.cmd().startsWith("TDH.") && !f.cmd().startsWith("TDH.MMIO.MAP"), 0);
    }

    private static void checkGlobalFirmware(Platform p, java.util.function.Predicate<Event.Firmware> global, long doeStep) {
        CostTable t = CostTable.defaults();
        for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
            BringUp b = BringUp.capture(s, p, 1, DEFAULTS);
            Recipe r = b.recipe(DEFAULTS);
            CostModel m = DEFAULTS.model(p);
            long doe = b.events().stream().filter(e -> e instanceof Event.Doe).count();
            long doeEach = Math.round(t.value("doe.poll_interval") + t.value("workqueue.dispatch") + t.value("spdm.device.noncrypto_resp"));
            long fw = 0;
            for (Event e : b.events()) {
                if (e instanceof Event.Firmware f && global.test(f)) fw += m.applyAsLong(e);
            }
            String where = s.id() + "/" + p.id();
            assertTrue(doe >= 4, where + ": DOE exchanges " + doe);
            assertEquals(fw + doe * doeStep, r.total(Resource.GLOBAL_FW), where);
            assertEquals(doe * doeEach, r.total(Resource.DEVICE), where);
        }
    }

    @Test
    void doeUnderTheLockQueuesGloballyOnlyWhenAsked() {
        for (Platform p : Platforms.all()) {
            Strategy s = CATALOG.get("kvm-direct");
            Recipe dflt = BringUp.capture(s, p, 1, DEFAULTS).recipe(DEFAULTS);
            Recipe traced = BringUp.capture(s, p, 1, DEFAULTS, BringUp.DoeScope.AS_TRACED).recipe(DEFAULTS);
            assertEquals(dflt.total(), traced.total());
            if (p.globalFirmwareLock().isEmpty()) {
                // No global lock (Arm): nothing queues globally however the DOE is scoped.
                assertEquals(0, traced.total(Resource.GLOBAL_FW), p.id());
                assertEquals(dflt.total(Resource.DEVICE), traced.total(Resource.DEVICE), p.id());
                continue;
            }
            // Where there is a global lock, the trace nests every DOE exchange in it.
            assertEquals(0, traced.total(Resource.DEVICE), p.id());
            assertEquals(dflt.total(Resource.GLOBAL_FW) + dflt.total(Resource.DEVICE), traced.total(Resource.GLOBAL_FW), p.id());
        }
    }

    @Test
    void segmentsAreMergedAndNonEmpty() {
        for (Platform p : Platforms.all()) {
            for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
                Recipe r = BringUp.capture(s, p, 1, DEFAULTS).recipe(DEFAULTS);
                int globalRuns = 0;
                for (int i = 0; i < r.size(); i++) {
                    assertTrue(r.duration(i) > 0, r.toString());
                    if (i > 0 && r.resource(i) == r.resource(i - 1)) {
                        assertEquals(Resource.GLOBAL_FW, r.resource(i), "only lock holds stay apart: " + r);
                        globalRuns++;
                    }
                }
                if (p.globalFirmwareLock().isPresent()) assertTrue(r.count(Resource.GLOBAL_FW) >= 8, r.toString());
                else assertEquals(0, r.count(Resource.GLOBAL_FW), r.toString());
                assertTrue(r.size() < b(s, p).events().size() / 2, "merging shrinks the event stream: " + r);
                assertTrue(globalRuns <= r.count(Resource.GLOBAL_FW));
            }
        }
    }

    @Test
    void lockHoldsStayApartWhenLockingCostsNothing() {
        CostOptions free = new CostOptions(CostTable.defaults().with("lock.mutex.uncontended", 0)
                .with("lock.rwsem.read.uncontended", 0), false, false);
        for (Platform p : Platforms.all()) {
            BringUp b = BringUp.capture(CATALOG.get("kvm-direct"), p, 1, DEFAULTS);
            Recipe dflt = b.recipe(DEFAULTS);
            Recipe r = b.recipe(free);
            assertEquals(dflt.count(Resource.GLOBAL_FW), r.count(Resource.GLOBAL_FW), p.id() + ": " + r);
            assertEquals(dflt.total(Resource.GLOBAL_FW), r.total(Resource.GLOBAL_FW));
        }
    }

    private static BringUp b(Strategy s, Platform p) { return BringUp.capture(s, p, 1, DEFAULTS); }
}
