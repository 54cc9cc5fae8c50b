package tdisp.explore;

/**
 * How the run went on this machine: never part of a report that a determinism test
 * compares (it goes to the run-info sidecar).
 *
 * @param heapAfterGcBytes heap in use after one collection at the end (-1 if not measured)
 * @param structureBytes the search's own estimate of its seen set and trace store at the end
 */
public record RunInfo(int threads, long elapsedNanos, long cpuNanos, long heapAfterGcBytes, long structureBytes, long offHeapBytes,
                      long memoryBudgetBytes) {
    /** CPU time of the whole process so far (all threads, the collector's too), or -1. */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
