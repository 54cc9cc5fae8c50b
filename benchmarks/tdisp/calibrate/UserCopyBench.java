package tdisp.calibrate;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * copy_from_user and copy_to_user of a guest-request page, through system calls that
 * really copy.
 *
 * <p>A routing through the VMM copies the 4 KiB request page into the kernel and the
 * response page back out (the cost table's {@code uaccess.copy}, per KiB). The syscall
 * must be one whose work is the copy: writing to /dev/null copies nothing (write_null
 * returns the count), and reading /dev/zero clears user memory instead of copying
 * (iov_iter_zero). A memfd does copy: pwrite goes through shmem_file_write_iter into its
 * page-cache page (copy_folio_from_iter_atomic, i.e. copy_from_user), and pread through
 * shmem_file_read_iter back out (copy_folio_to_iter, i.e. copy_to_user). The file is one
 * resident page, so neither direction allocates or faults.
 *
 * <p>Each direction runs at 64 bytes, at one 4 KiB page and at 64 KiB (16 resident pages)
 * from offset 0. Calibration takes the slope from 64 bytes to 64 KiB as ns per KiB (the
 * {@code uaccess.copy} row), so the fixed cost of the syscall and of the file path cancels
 * and what remains is the copy plus shmem's per-page lookup, as in the local pread/pwrite
 * slopes the estimate came from; 64 bytes to 4 KiB gives the page-copy figure. The per-call part (STAC/CLAC, access_ok:
 * {@code uaccess.fixed}) cannot be told apart from the file path this way and is left as
 * estimated.
 *
 * <p>Run it: {@code java -cp target/tdisp-harness.jar org.openjdk.jmh.Main 'tdisp.calibrate.UserCopyBench' -f 1 -wi 2 -i 3 -w 500ms -r 500ms -prof tdisp.calibrate.CpuTimeProfiler}
 * (or {@code ./tdisp calibrate --quick}). Expect 4096-byte calls one to a few hundred ns
 * above the 64-byte ones in both directions, and 64 KiB calls a few microseconds above
 * (tens of ns per KiB: ERMS rep movsb).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UserCopyBench {
    /** The file and the buffer: 16 pages, so the slope has a wide base to stand on. */
    static final int SIZE = 64 * 1024;

    @Param({"64", "4096", "65536"})
    public int bytes;

    private int fd = -1;
    private long buf = LibC.MAP_FAILED;

    @Setup
    public void setup() {
        fd = LibC.memfd_create("tdisp-calibrate", LibC.MFD_CLOEXEC);
        if (fd < 0) throw new IllegalStateException("memfd_create: " + LibC.lastError());
        if (LibC.ftruncate(fd, SIZE) != 0) throw new IllegalStateException("ftruncate: " + LibC.lastError());
        buf = LibC.mmap(0, SIZE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_ANONYMOUS, -1, 0);
        if (buf == LibC.MAP_FAILED) throw new IllegalStateException("mmap: " + LibC.lastError());
        new com.sun.jna.Pointer(buf).setMemory(0, SIZE, (byte) 0x5a);
        // Make the page resident in both places before measuring.
        if (LibC.pwrite(fd, buf, SIZE, 0) != SIZE || LibC.pread(fd, buf, SIZE, 0) != SIZE) {
            throw new IllegalStateException("memfd page round trip: " + LibC.lastError());
        }
    }

    @TearDown
    public void teardown() {
        LibC.munmap(buf, SIZE);
        LibC.close(fd);
    }

    /** copy_from_user: the VMM hands the request page to the kernel. */
    @Benchmark
    public long copyFromUser() { return LibC.pwrite(fd, buf, bytes, 0); }

    /** copy_to_user: the kernel hands the response page back. */
    @Benchmark
    public long copyToUser() { return LibC.pread(fd, buf, bytes, 0); }
}
