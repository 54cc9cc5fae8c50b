package tdisp.explore;

/** One progress event (the CLI formats it; the explorer prints nothing itself). */
public record SearchStats(long generated, long distinct, long queued, int depth, long elapsedNanos, boolean done,
                          boolean fingerprints, long heapBytes, long offHeapBytes) {}
