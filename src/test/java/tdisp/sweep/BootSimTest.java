package tdisp.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostTable;
import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/** The queueing simulation: FIFO servers, percentiles, scale, determinism. */
class BootSimTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static Recipe recipe(String strategy, Platform p) {
        return BringUp.capture(CATALOG.get(strategy), p, 1, CostOptions.defaults()).recipe(CostOptions.defaults());
    }

    static Recipe of(Object... resAndDur) {
        Resource[] r = new Resource[resAndDur.length / 2];
        long[] d = new long[r.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (Resource) resAndDur[2 * i];
            d[i] = ((Number) resAndDur[2 * i + 1]).longValue();
        }
        return new Recipe("test", Platforms.get("sev-tio"), r, d);
    }

    @Test
    void oneDeviceTakesExactlyItsRecipe() {
        for (Platform p : Platforms.all()) {
            for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
                Recipe r = recipe(s.id(), p);
                for (int vms : new int[] {1, 8}) {
                    BootSim.Result x = BootSim.run(r, 1, vms);
                    assertEquals(r.total(), x.makespanNs(), s.id() + "/" + p.id());
                    assertEquals(r.total(), x.p50Ns());
                    assertEquals(r.total(), x.p99Ns());
                    assertEquals(0.0, x.fwWaitShare());
                }
            }
        }
    }

    @Test
    void globalFirmwareIsOneFifoServerAndEachVmmOnePerVm() {
        Recipe fw = of(Resource.LOCAL, 1, Resource.GLOBAL_FW, 10, Resource.DEVICE, 5);
        BootSim.Result x = BootSim.run(fw, 3, 3);
        // Devices 0, 1, 2 arrive together at t=1 and are served in id order: 11, 21, 31, then +5.
        assertEquals(36, x.makespanNs());
        assertEquals(26, x.p50Ns());
        assertEquals(36, x.p99Ns());
        assertEquals(20, x.criticalFwWaitNs());
        assertEquals(20.0 / 36, x.fwWaitShare(), 1e-12);
        assertEquals(30, x.fwWork());

        Recipe vmm = of(Resource.VMM, 10, Resource.LOCAL, 1);
        assertEquals(41, BootSim.run(vmm, 4, 1).makespanNs(), "one VM: four exits in a row");
        BootSim.Result two = BootSim.run(vmm, 4, 2);
        assertEquals(21, two.makespanNs(), "two VMs: two each");
        assertEquals(10, two.criticalVmmWaitNs());
        assertEquals(11, BootSim.run(vmm, 4, 4).makespanNs(), "a VMM per device: no queue");

        Recipe free = of(Resource.DEVICE, 10, Resource.LOCAL, 3);
        assertEquals(13, BootSim.run(free, 4096, 1).makespanNs(), "DEVICE and LOCAL never wait");
    }

    @Test
    void lockHoldsQueueSeparately() {
        // Device 0 holds the server twice; device 1 arrives between the holds and goes first the second time.
        Recipe r = of(Resource.GLOBAL_FW, 10, Resource.LOCAL, 1, Resource.GLOBAL_FW, 10);
        BootSim.Result x = BootSim.run(r, 2, 1);
        // d0: [0,10], arrives 11; d1: [10,20], arrives 21; d0: [20,30]; d1: [30,40].
        assertEquals(40, x.makespanNs());
        assertEquals(30, x.p50Ns());
    }

    @Test
    void nearestRankPercentiles() {
        long[] a = new long[100];
        for (int i = 0; i < 100; i++) a[i] = i + 1;
        assertEquals(50, BootSim.nearestRank(a, 50));
        assertEquals(99, BootSim.nearestRank(a, 99));
        assertEquals(1, BootSim.nearestRank(new long[] {1}, 99));
        assertEquals(7, BootSim.nearestRank(new long[] {3, 7}, 99));
        assertEquals(3, BootSim.nearestRank(new long[] {3, 7}, 50));
        assertEquals(3, BootSim.nearestRank(new long[] {1, 2, 3, 4, 5}, 50));
    }

    @Test
    void onOneVmGlobalFirmwareWorkBoundsTheMakespanWhichGrowsWithDevicesOnSevTio() {
        for (Platform p : Platforms.all()) {
            for (Strategy s : tdisp.TestStrategies.bringingUp(CATALOG.all(), p)) {
                Recipe r = recipe(s.id(), p);
                long prev = 0;
                for (int n : new int[] {1, 8, 64, 512, 4096}) {
                    BootSim.Result x = BootSim.run(r, n, 1);
                    assertEquals((long) n * r.total(Resource.GLOBAL_FW), x.fwWork());
                    assertTrue(x.makespanNs() >= x.fwWork(), s.id() + "/" + p.id() + " n=" + n);
                    assertTrue(x.makespanNs() >= r.total());
                    assertTrue(x.p50Ns() <= x.p99Ns() && x.p99Ns() <= x.makespanNs());
                    // Every SEV-TIO bring-up queues on sev_cmd_mutex, so more devices always take longer.
                    if (r.total(Resource.GLOBAL_FW) > 0 && p.doeFirmwareShare(CostTable.defaults()::value) > 0) {
                        assertTrue(x.makespanNs() > prev, s.id() + " n=" + n);
                    }
                    prev = x.makespanNs();
                }
            }
        }
        // On SEV-TIO 64 devices are firmware-bound: more than 90 % of the last device's time is queueing.
        BootSim.Result x = BootSim.run(recipe("kvm-direct", Platforms.get("sev-tio")), 64, 8);
        assertTrue(x.fwWaitShare() > 0.9, "fw wait share " + x.fwWaitShare());
    }

    @Test
    void aFourThousandDevicePointRunsWellUnderASecond() {
        BringUp b = BringUp.capture(CATALOG.get("vfio-ioctl"), Platforms.get("sev-tio"), 1, CostOptions.defaults());
        BootSim.run(b.recipe(CostOptions.defaults()), 64, 8); // class loading
        long t0 = System.nanoTime();
        Recipe r = b.recipe(CostOptions.defaults());
        BootSim.Result x = BootSim.run(r, 4096, 1, 7, 1_000_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "4096-device point took " + ms + " ms");
        assertTrue(x.makespanNs() >= x.fwWork());
    }

    @Test
    void startJitterIsSeededAndOffByDefault() {
        Recipe r = recipe("iommufd-v5", Platforms.get("tdx-connect"));
        assertEquals(BootSim.run(r, 64, 8, 1, 0), BootSim.run(r, 64, 8, 2, 0), "no jitter: the seed does not matter");
        assertEquals(BootSim.run(r, 64, 8, 5, 500_000), BootSim.run(r, 64, 8, 5, 500_000));
        assertNotEquals(BootSim.run(r, 64, 8, 5, 500_000), BootSim.run(r, 64, 8, 6, 500_000));
        assertThrows(IllegalArgumentException.class, () -> BootSim.run(r, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> BootSim.run(r, 4097, 1));
        assertThrows(IllegalArgumentException.class, () -> BootSim.run(r, 1, 0));
    }
}
