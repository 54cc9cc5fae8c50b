package tdisp.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import tdisp.sim.KThread;
import tdisp.world.World;

/**
 * The SDTE-write hot path: one guest request on a bound, running TDI, repeated. Each
 * operation is the whole routed path as the model runs it: the guest seals the message
 * (AES-GCM), exits, KVM handles it or exits to the VMM, the VMM issues its ioctl, the
 * kernel copies the page in, takes its locks, calls the TSM, the firmware authenticates
 * and acts, and the response goes back the same way to be opened by the guest.
 *
 * <p>Read it against {@link BaselineBench}: same crypto and firmware work, no routing. The
 * difference is what the routing itself costs to execute. Trace recording and auditing
 * are off; the path is prebuilt, so steady state should allocate nothing (check with
 * {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuestRequestBench {
    @Param({"iommufd-rfc-v2", "iommufd-typed-op", "iommufd-v5", "iommufd-v7", "kvm-direct", "split-sdte-mmio", "vfio-ioctl"})
    public String strategy;

    @Param({"sev-tio", "tdx-connect", "cca"})
    public String platform;

    private World world;
    private KThread thread;

    @Setup
    public void setup() {
        world = Fixture.enabled(strategy, platform);
        thread = world.thread("bench", world.routing().guestOp(0, Fixture.hotOp(world)), 0, 0);
        Fixture.check(world, thread, strategy + "/" + platform + " " + Fixture.hotOp(world));
    }

    @Benchmark
    public int guestRequest(Counters c) {
        c.before(world.sim().trace());
        int r = Fixture.run(world, thread);
        c.after(world.sim().trace());
        return r;
    }
}
