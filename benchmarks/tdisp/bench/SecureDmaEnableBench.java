package tdisp.bench;

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

import tdisp.firmware.Platform;
import tdisp.guest.GuestOp;
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
    @Param({"kvm-direct", "iommufd-rfc-v2", "split-sdte-mmio", "vfio-ioctl", "iommufd-v5"})
    public String strategy;

    @Param({"sev-tio", "tdx-connect"})
    public String platform;

    private World world;
    private KThread[] enable;
    private KThread[] reset;

    private KThread op(GuestOp op) { return world.thread("bench", world.routing().guestOp(0, op), 0, 0); }

    @Setup(Level.Trial)
    public void setup() {
        world = Fixture.bound(strategy, platform);
        boolean sev = Platform.parse(platform) == Platform.SEV_TIO;
        enable = sev
                ? new KThread[] {op(GuestOp.TDI_INFO), op(GuestOp.RUN), op(GuestOp.MMIO_VALIDATE), op(GuestOp.SDTE_WRITE)}
                : new KThread[] {op(GuestOp.TDI_INFO), op(GuestOp.MMIO_VALIDATE), op(GuestOp.SDTE_WRITE), op(GuestOp.RUN)};
        reset = sev
                ? new KThread[] {op(GuestOp.SDTE_CLEAR), op(GuestOp.MMIO_INVALIDATE), op(GuestOp.STOP), op(GuestOp.UNBIND), op(GuestOp.BIND)}
                : new KThread[] {op(GuestOp.UNBIND), op(GuestOp.BIND)};
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
