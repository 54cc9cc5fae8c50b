package tdisp.calibrate;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What it costs Java to call C at all, and what a system call costs on top.
 *
 * <p>Every other calibration benchmark reaches the kernel through a JNA direct-mapped call
 * ({@link LibC}), and a VMM written in C pays none of that transition. So the first thing
 * to measure is the transition alone: {@link #jnaNullCall} calls libc's {@code labs},
 * which returns at once without entering the kernel. Calibration subtracts this score from
 * every row below, so the rows are kernel costs, not JNA's.
 *
 * <p>{@link #getppidSyscall} then makes the smallest real system call there is
 * ({@code getppid}: no arguments, no lock, and glibc caches nothing for it). Its score
 * minus the null call is the cost table's {@code syscall.roundtrip} row: SYSCALL entry,
 * the entry code's mitigations, the dispatch and SYSRET.
 *
 * <p>Run it: {@code ./tdisp calibrate --quick} runs this class with the others; alone,
 * {@code java -cp target/tdisp-harness.jar org.openjdk.jmh.Main 'tdisp.calibrate.NativeCallBench' -f 1 -wi 2 -i 3 -w 500ms -r 500ms -prof tdisp.calibrate.CpuTimeProfiler}.
 * Expect the null call in the tens of nanoseconds, and getppid a few hundred nanoseconds
 * above it on current x86 with mitigations on (more on a nested host, where no exit
 * happens but the mitigations are the guest kernel's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeCallBench {
    private long x = -42;

    /** Binds libc (JNA loads its stub and registers the natives) before anything is timed. */
    @Setup
    public void bind() {
        if (LibC.labs(x) != 42 || LibC.getppid() <= 0) throw new IllegalStateException("libc calls through JNA give wrong answers");
    }

    @Benchmark
    public long jnaNullCall() { return LibC.labs(x); }

    @Benchmark
    public int getppidSyscall() { return LibC.getppid(); }
}
