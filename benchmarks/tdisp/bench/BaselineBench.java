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

import tdisp.kernel.TsmRequest;
import tdisp.sim.KThread;
import tdisp.sim.PathBuilder;
import tdisp.world.World;

/**
 * The baseline for {@link GuestRequestBench}: the guest seals the same request and hands
 * its page straight to the firmware model, which authenticates it, acts and seals the
 * response, which the guest opens. No exit, no VMM, no ioctl, no copy, no lock: what is
 * left when routing costs nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBench {
    @Param({"sev-tio", "tdx-connect", "cca"})
    public String platform;

    private World world;
    private KThread thread;

    @Setup
    public void setup() {
        world = Fixture.enabled("iommufd-v5", platform);
        var op = Fixture.hotOp(world);
        PathBuilder b = new PathBuilder(world.sim());
        world.guest(0).prepare(b, op);
        b.step("firmware directly", t -> {
            TsmRequest r = t.get(tdisp.kernel.ThreadRegisters.REQUEST);
            t.ret = world.firmware().carryGuestMessage(0, 0, r.req(), r.rsp());
        });
        world.guest(0).complete(b, op);
        thread = world.thread("baseline", b.build("baseline " + op), 0, 0);
        Fixture.check(world, thread, "baseline " + platform);
    }

    @Benchmark
    public int guestRequest(Counters c) {
        c.before(world.sim().trace());
        int r = Fixture.run(world, thread);
        c.after(world.sim().trace());
        return r;
    }
}
