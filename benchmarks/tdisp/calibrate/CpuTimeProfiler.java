package tdisp.calibrate;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, next to JMH's wall-clock score.
 *
 * <p>On a host shared with other work (ours has 2 cores and several builds running), a
 * wall-clock average includes every moment the benchmark thread waited for a core, and
 * that inflates short operations by the run queue's length. The fork's process CPU time
 * (CLOCK_PROCESS_CPUTIME_ID: user, system and KVM guest time of all its threads) counts
 * only what ran. In steady state the fork runs one benchmark thread, allocates nothing
 * and compiles nothing more, so per operation this is the thread's own cost, syscall and
 * exit handling included. Calibration derives its rows from this result ({@value #LABEL})
 * and reports the wall-clock score beside it.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    public static final String LABEL = "cpuTime";

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long start;

    @Override
    public String getDescription() { return "process CPU time per operation (ns/op)"; }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) { start = OS.getProcessCpuTime(); }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpu = OS.getProcessCpuTime() - start;
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getMeasuredOps();
        if (ops <= 0) return List.of();
        return List.of(new ScalarResult(LABEL, (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
