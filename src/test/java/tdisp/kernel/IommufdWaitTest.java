package tdisp.kernel;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.explore.Explorer;
import tdisp.explore.ExplorerConfig;
import tdisp.explore.ExplorerResult;
import tdisp.explore.WorldModel;
import tdisp.platform.Platforms;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.Fault;

/**
 * Since 6.17 the idevice teardown sleeps in iommufd_object_dec_wait() (REMOVE_WAIT on the
 * vDEVICE's wait_cnt) until every ioctl that looked the vDEVICE up has put it, so close(vfio)
 * cannot abort a vDEVICE between a BIND's iommufd_get_vdevice() and its tsm_bind().
 */
class IommufdWaitTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    /** The explorer on the BIND-versus-close sub-model, --vms 1 --preemptions 1 --depth 8. */
    private static ExplorerResult explore(Set<Fault> faults) {
        WorldModel m = new WorldModel(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), 1, 1, tdisp.world.DsmLayout.ONE_PER_TDI, false, faults);
        m.setPreemptionBound(1);
        Set<String> allowed = Set.of("guest0 BIND", "vmm0 close-vm", "vmm0 close-vfio", "vmm0 close-iommufd",
                "guest0 continue", "vmm0 continue");
        m.restrictTo(allowed::contains);
        return new Explorer(m, ExplorerConfig.bfs(8), null).run();
    }

    @Test
    void aBindThatLookedUpTheVdeviceFinishesBeforeTheCloseUnbindsIt() {
        ExplorerResult r = explore(EnumSet.noneOf(Fault.class));
        assertNull(r.shortest("I6"), () -> "I6: " + r.shortest("I6"));
        assertNull(r.shortest("I7"), () -> "I7: " + r.shortest("I7"));
        assertNull(r.shortest("I2"), () -> "I2: " + r.shortest("I2"));
        assertTrue(r.exhausted());
    }

    @Test
    void withoutTheWaitTheCloseSlipsBetweenLookupAndBind() {
        ExplorerResult r = explore(EnumSet.of(Fault.IOMMUFD_NO_REMOVE_WAIT));
        assertNotNull(r.shortest("I6"), () -> r.counterexamples().values().toString());
        // The vCPU holds the VM, so the leak shows as a TDI still bound after every file closed.
        assertNotNull(r.shortest("I2") != null ? r.shortest("I2") : r.shortest("I7"), r.counterexamples().keySet().toString());
    }

    @Test
    void anIoctlHoldingTheVdeviceMakesIommuDestroyBusy() {
        tdisp.world.World w = new tdisp.world.World(tdisp.world.WorldConfig.builder(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio")).build());
        w.setup();
        var bind = w.thread("guest0", w.routing().guestOp(0, tdisp.guest.GuestOp.BIND), 0, 0);
        // Run the BIND until it holds the vDEVICE (past iommufd_get_vdevice).
        while (!w.scheduler().peek(bind).name().equals("tsm_bind")) w.scheduler().step(bind);
        var destroy = w.run("vmm0", tdisp.scenario.Actions.destroyVdevicePath(w, 0), 0, 0);
        assertTrue(destroy.errno() == tdisp.sim.Errno.EBUSY, "IOMMU_DESTROY while held: " + destroy.errno());
        w.scheduler().runToCompletion(bind);
        assertTrue(w.pciTsm().boundKvm(0) == 0);
    }
}
