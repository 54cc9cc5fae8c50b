package tdisp.explore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * How much memory the search's own structures (seen set, trace store) may take. By
 * default a share of the maximum heap, leaving room for the models, the chunks in flight,
 * the report and the collector's headroom; {@code --max-memory} lowers it. The search
 * asks before each growth it can foresee (the seen set doubles its table), and as a
 * backstop watches the heap left in use after the last collection.
 */
final class MemoryBudget {
    /** The share of the heap the structures may fill when no explicit budget is given. */
    static final double HEAP_SHARE = 0.7;
    /** Past this share of the heap still in use after a collection, the search stops. */
    static final double HEAP_AFTER_GC_LIMIT = 0.9;

    private final long limit;
    private final long heapMax;
    private final List<MemoryPoolMXBean> pools;

    private MemoryBudget(long limit, long heapMax) {
        this.limit = limit;
        this.heapMax = heapMax;
        this.pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
    }

    /** @param maxMemory an explicit budget in bytes, or 0 for the heap-derived one */
    static MemoryBudget of(long maxMemory) {
        long heap = Runtime.getRuntime().maxMemory();
        long share = (long) (heap * HEAP_SHARE);
        return new MemoryBudget(maxMemory > 0 ? Math.min(maxMemory, share) : share, heap);
    }

    long limit() { return limit; }

    /** Whether structures holding {@code held} bytes may allocate {@code more}. */
    boolean allows(long held, long more) { return held + more <= limit; }

    /** True when the heap in use after the latest collection is close to the maximum. */
    boolean heapNearlyFull() {
        long used = 0;
        for (MemoryPoolMXBean p : pools) {
            MemoryUsage u = p.getCollectionUsage();
            if (u != null) used += u.getUsed();
        }
        return used > heapMax * HEAP_AFTER_GC_LIMIT;
    }

    /** Collects garbage once and returns the heap still in use (the run-info figure). */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
