package tdisp.bench;

import java.nio.file.Path;

import tdisp.cost.CostOptions;
import tdisp.platform.Platforms;
import tdisp.guest.GuestOp;
import tdisp.scenario.Actions;
import tdisp.sim.KThread;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * Builds the worlds the benchmarks measure: a VM whose TDI is bound (and, for the hot
 * path, fully enabled), with trace recording and auditing off so that only the routed
 * path itself runs. Modeled time is charged from the cost table `tdisp bench --costs`
 * handed the fork (CostOptions.fromSystemProperties). Every benchmark checks once in
 * setup that its operation really succeeds, so a broken path cannot be measured as a
 * fast one.
 */
final class Fixture {
    private Fixture() {}

    static Strategy strategy(String id) {
        // `tdisp bench --strategies-dir` passes its directory to the forks as tdisp.strategies.
        String given = System.getProperty("tdisp.strategies");
        Path dir = given != null ? Path.of(given) : Path.of(System.getProperty("tdisp.home", "."), "strategies");
        return StrategyCatalog.load(dir).get(id);
    }

    /** A world with VM 0's TDI bound but not yet enabled (CONFIG_LOCKED). */
    static World bound(String strategy, String platform) {
        World w = new World(WorldConfig.builder(strategy(strategy), Platforms.get(platform)).costs(CostOptions.fromSystemProperties()).build());
        w.sim().trace().setRecording(false);
        w.setup();
        Actions.guest(w, 0, GuestOp.BIND);
        w.setAudit(false);
        return w;
    }

    /** A world with VM 0's TDI in RUN with secure DMA and MMIO. */
    static World enabled(String strategy, String platform) {
        World w = new World(WorldConfig.builder(strategy(strategy), Platforms.get(platform)).costs(CostOptions.fromSystemProperties()).build());
        w.sim().trace().setRecording(false);
        w.setup();
        Actions.bringUp(w, 0);
        w.setAudit(false);
        return w;
    }

    /**
     * The guest request that enables and uses secure DMA on the platform: AMD's SDTE write
     * (TIO_MSG_SDTE_WRITE through the routed path). On TDX the DMA accept is a TDCALL the
     * host never sees, so the host-carried request is the TD's TDG.DEVIF.REQUEST, carried
     * by the VMM as TDH.DEVIF.REQUEST(td_flag=1).
     */
    static GuestOp hotOp(World w) {
        return w.guest(0).abi().hotOp();
    }

    /** Runs t once more from the start; throws if the path failed. */
    static int run(World w, KThread t) {
        t.rewind();
        w.scheduler().runToCompletion(t);
        return t.errno() | (t.ret < 0 ? 0x100 : 0);
    }

    static void check(World w, KThread t, String what) {
        int r = run(w, t);
        if (r != 0 || w.guest(0).lastStatus() != 0) {
            throw new IllegalStateException(what + " failed in setup: errno/ret " + r + ", guest status " + w.guest(0).lastStatus());
        }
    }
}
