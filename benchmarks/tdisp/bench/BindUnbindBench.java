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

import tdisp.guest.GuestOp;
import tdisp.sim.KThread;
import tdisp.world.World;

/**
 * A bind/unbind cycle: the guest asks for BIND (TDI to CONFIG_LOCKED through the
 * strategy's bind entry: KVM, IOMMU_VDEVICE_TSM_OP or VFIO_DEVICE_TSM_BIND) and then for
 * UNBIND (STOP, reclaim, and on TDX the private MMIO revoke under memory_lock).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BindUnbindBench {
    @Param({"iommufd-rfc-v2", "iommufd-typed-op", "iommufd-v5", "iommufd-v7", "kvm-direct", "split-sdte-mmio", "vfio-ioctl"})
    public String strategy;

    @Param({"sev-tio", "tdx-connect", "cca"})
    public String platform;

    private World world;
    private KThread bind;
    private KThread unbind;

    @Setup
    public void setup() {
        world = Fixture.bound(strategy, platform);
        bind = world.thread("bench", world.routing().guestOp(0, GuestOp.BIND), 0, 0);
        unbind = world.thread("bench", world.routing().guestOp(0, GuestOp.UNBIND), 0, 0);
        Fixture.check(world, unbind, strategy + "/" + platform + " unbind");
        Fixture.check(world, bind, strategy + "/" + platform + " bind");
        Fixture.check(world, unbind, strategy + "/" + platform + " unbind");
    }

    @Benchmark
    public int cycle(Counters c) {
        c.before(world.sim().trace());
        int r = Fixture.run(world, bind) | Fixture.run(world, unbind);
        c.after(world.sim().trace());
        return r;
    }
}
