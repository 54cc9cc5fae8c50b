package tdisp.calibrate;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One ioctl round trip on a real file descriptor: the VMM's way into iommufd or VFIO.
 *
 * <p>The vDEVICE and VFIO routings add one ioctl per guest request (the cost table's
 * {@code ioctl.roundtrip} row): syscall entry, fdget, vfs_ioctl's dispatch to the file's
 * unlocked_ioctl, the handler, and the way back. Here the handler is kvm_dev_ioctl
 * answering KVM_GET_API_VERSION, which does nothing but return 12, so what is left is
 * the path every ioctl shares. The copies an iommufd command makes of its argument struct
 * are charged separately ({@link UserCopyBench}).
 *
 * <p>{@link NativeCallBench#jnaNullCall} is subtracted, so the row is the kernel's part.
 * Setup fails with one line when /dev/kvm cannot be opened.
 *
 * <p>Run it: {@code java -cp target/tdisp-harness.jar org.openjdk.jmh.Main 'tdisp.calibrate.IoctlBench' -f 1 -wi 2 -i 3 -w 500ms -r 500ms -prof tdisp.calibrate.CpuTimeProfiler}
 * (or {@code ./tdisp calibrate --quick}). Expect a little above
 * {@link NativeCallBench#getppidSyscall}: the same entry and exit plus the fd lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IoctlBench {
    private int fd = -1;

    @Setup
    public void open() {
        fd = KvmDevice.open(KvmDevice.path());
        int v = LibC.ioctl(fd, KvmUapi.KVM_GET_API_VERSION, 0);
        if (v != KvmUapi.API_VERSION) throw new IllegalStateException("KVM_GET_API_VERSION gave " + v);
    }

    @TearDown
    public void close() { LibC.close(fd); }

    @Benchmark
    public int kvmGetApiVersion() { return LibC.ioctl(fd, KvmUapi.KVM_GET_API_VERSION, 0); }
}
