package tdisp.calibrate;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The step the routing designs differ by: an exit KVM handles itself versus one that
 * goes back to the VMM and re-enters.
 *
 * <p>KVM-direct answers the guest's request in the kernel; the iommufd and VFIO routings
 * first return from KVM_RUN to the VMM, which later calls KVM_RUN again. The cost table
 * charges the first as the platform's exit row and the second as that plus
 * {@code kvm.exit_to_user.extra}. Both can be timed on any KVM host with a guest of a few
 * bytes ({@link RealModeGuest}):
 *
 * <ul>
 * <li>{@link #cpuidExitInKernel}: one KVM_RUN runs {@value RealModeGuest#ITERATIONS} CPUIDs,
 *     each an exit that kvm_emulate_cpuid answers without leaving the kernel, then one OUT
 *     back to us; the score is per loop turn;</li>
 * <li>{@link #loopWithoutExit}: the same loop minus the CPUID. The difference of the two
 *     is one in-kernel exit, the {@code vmexit.roundtrip.inkernel} row; on VMX/SVM this
 *     loop costs a few ns, but a host that emulates real-mode code (no unrestricted guest,
 *     or a software hypervisor such as kvm_pvm) shows its emulation cost here, and
 *     calibration says so;</li>
 * <li>{@link #exitToUserspaceAndBack}: every KVM_RUN returns KVM_EXIT_IO for the guest's
 *     OUT, and we re-enter at once. Minus the JNA call, the in-kernel exit and one
 *     non-exiting instruction (the guest's jmp back), this is the table's
 *     {@code kvm.exit_to_user.extra}: the return from KVM_RUN to the VMM and the re-entry.</li>
 * </ul>
 *
 * <p>Every KVM_RUN is checked to end in KVM_EXIT_IO on the guest's port, so a guest that
 * went astray cannot be measured as a fast one. Calibration reads CPU time per operation
 * ({@link CpuTimeProfiler}) beside the wall-clock score, which on a shared host includes
 * waiting for a core. On a nested host every figure includes the outer hypervisor's
 * share, and the rows written say so ({@code measured-nested}) so that {@code --nested}
 * does not multiply them again.
 *
 * <p>Run it: {@code java -cp target/tdisp-harness.jar org.openjdk.jmh.Main 'tdisp.calibrate.KvmExitBench' -f 1 -wi 2 -i 3 -w 500ms -r 500ms -prof tdisp.calibrate.CpuTimeProfiler}
 * (or {@code ./tdisp calibrate --quick}). Expect on bare-metal VMX/SVM about 0.5-1.5 us per
 * in-kernel exit and a few us more for the trip to userspace; on a nested host several
 * times that.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KvmExitBench {
    /** One guest per loop, built once per fork. */
    @State(Scope.Thread)
    public abstract static class Guest {
        RealModeGuest guest;

        abstract RealModeGuest.Loop loop();

        @Setup
        public void create() {
            guest = RealModeGuest.create(KvmDevice.path(), loop());
            guest.enterExpectingOut(); // first entry faults the page in
        }

        @TearDown
        public void destroy() { guest.close(); }
    }

    public static class CpuidGuest extends Guest {
        @Override
        RealModeGuest.Loop loop() { return RealModeGuest.Loop.CPUID; }
    }

    public static class BusyGuest extends Guest {
        @Override
        RealModeGuest.Loop loop() { return RealModeGuest.Loop.BUSY; }
    }

    public static class OutGuest extends Guest {
        @Override
        RealModeGuest.Loop loop() { return RealModeGuest.Loop.OUT; }
    }

    @Benchmark
    @OperationsPerInvocation(RealModeGuest.ITERATIONS)
    public int cpuidExitInKernel(CpuidGuest g) { return g.guest.enterExpectingOut(); }

    @Benchmark
    @OperationsPerInvocation(RealModeGuest.ITERATIONS)
    public int loopWithoutExit(BusyGuest g) { return g.guest.enterExpectingOut(); }

    @Benchmark
    public int exitToUserspaceAndBack(OutGuest g) { return g.guest.enterExpectingOut(); }
}
