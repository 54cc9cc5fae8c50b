package tdisp.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import tdisp.guest.GuestOp;
import tdisp.guest.GuestStep;
import tdisp.sim.KThread;
import tdisp.world.World;

/**
 * Secure-DMA enablement: from a bound, CONFIG_LOCKED TDI to secure DMA working, as the
 * guest drives it (domain §7: AMD TDI_INFO, RUN, MMIO_VALIDATE, SDTE_WRITE; TDX GET_STATE,
 * MMIO accept, DMA accept, START). Before each operation the TDI is put back to bound and
 * locked (guest teardown and BIND, not measured), so every operation does the full flow.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SecureDmaEnableBench {
    @Param({"iommufd-rfc-v2", "iommufd-typed-op", "iommufd-v5", "iommufd-v7", "kvm-direct", "split-sdte-mmio", "vfio-ioctl"})
    public String strategy;

    @Param({"sev-tio", "tdx-connect", "cca"})
    public String platform;

    private World world;
    private KThread[] enable;
    private KThread[] reset;

    private KThread op(GuestOp op) { return world.thread("bench", world.routing().guestOp(0, op), 0, 0); }

    @Setup(Level.Trial)
    public void setup() {
        world = Fixture.bound(strategy, platform);
        // The accept flow between BIND and the final state check, then the teardown back to bound.
        List<GuestOp> up = world.guest(0).abi().bringUp();
        enable = up.subList(1, up.size() - 1).stream().map(this::op).toArray(KThread[]::new);
        List<KThread> back = new ArrayList<>();
        for (GuestStep s : world.guest(0).abi().teardown()) if (s instanceof GuestStep.Op o) back.add(op(o.op()));
        back.add(op(GuestOp.BIND));
        reset = back.toArray(new KThread[0]);
        for (KThread t : enable) Fixture.check(world, t, strategy + "/" + platform + " enable " + t.path().name());
        rebind();
    }

    @Setup(Level.Invocation)
    public void rebind() {
        for (KThread t : reset) Fixture.run(world, t);
    }

    @Benchmark
    public int enable(Counters c) {
        c.before(world.sim().trace());
        int r = 0;
        for (KThread t : enable) r |= Fixture.run(world, t);
        c.after(world.sim().trace());
        return r;
    }
}
