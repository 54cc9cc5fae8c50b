package tdisp.explore;

import java.nio.file.Path;

/**
 * The bounds and settings of one search (Stateright's {@code CheckerBuilder}): a value, built
 * by {@link Builder}, whose defaults are the ones every caller reads (the CLI's option
 * defaults too), so that no bound has a second default anywhere.
 *
 * @param exactLimit states kept whole before switching to 64-bit fingerprints
 * @param walks random mode: number of walks (0 = until another bound)
 * @param progressMillis interval of progress events (0 = none)
 * @param threads bfs workers (each with its own model; other modes use one)
 * @param maxMemory bytes the search's own structures may take (0 = derived from the heap)
 * @param workDir where the file-backed trace store lives (null = in memory)
 * @param measureHeap after the search, collect garbage once and record the heap in use
 * @param por bfs: prune commuting interleavings by sleep sets ({@link Model#independent})
 * @param maxTransitions bound on transitions executed (the search's unit of work)
 */
public record ExplorerConfig(Explorer.Mode mode, int maxDepth, long maxStates, long timeMillis, long seed, long exactLimit,
                             long walks, long progressMillis, int threads, long maxMemory, Path workDir,
                             boolean measureHeap, boolean por, long maxTransitions) {
    /** Bring-up to secure DMA in RUN takes 6-7 actions: the default search reaches the goal itself. */
    public static final int DEFAULT_DEPTH = 8;
    /**
     * The depth `tdisp report` searches to: not a second default of {@link #DEFAULT_DEPTH} but
     * the report's own, smaller bound, so that the report's search stays a few seconds long.
     */
    public static final int REPORT_DEPTH = 6;
    public static final long DEFAULT_EXACT_STATES = 200_000;
    /** The default mode as {@code --mode} spells it (picocli takes only constant strings); {@link #DEFAULT_MODE} reads it. */
    public static final String DEFAULT_MODE_OPTION = "bfs";
    public static final Explorer.Mode DEFAULT_MODE = Explorer.Mode.valueOf(DEFAULT_MODE_OPTION.toUpperCase(java.util.Locale.ROOT));
    /** Random mode: walk until another bound. */
    public static final long DEFAULT_WALKS = 0;
    public static final boolean DEFAULT_POR = true;
    /**
     * The preemption bound a search starts with (the model holds it, not this record, as part of
     * its state): no thread stopped before a lock is passed over.
     */
    public static final int DEFAULT_PREEMPTIONS = 0;

    public static ExplorerConfig bfs(int depth) { return builder().maxDepth(depth).build(); }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mode = mode; b.maxDepth = maxDepth; b.maxStates = maxStates; b.timeMillis = timeMillis; b.seed = seed;
        b.exactLimit = exactLimit; b.walks = walks; b.progressMillis = progressMillis; b.threads = threads;
        b.maxMemory = maxMemory; b.workDir = workDir; b.measureHeap = measureHeap;
        b.por = por; b.maxTransitions = maxTransitions;
        return b;
    }

    public ExplorerConfig withMode(Explorer.Mode m) { return toBuilder().mode(m).build(); }

    public ExplorerConfig withSeed(long s) { return toBuilder().seed(s).build(); }

    public ExplorerConfig withWalks(long w) { return toBuilder().walks(w).build(); }

    public ExplorerConfig withExactLimit(long l) { return toBuilder().exactLimit(l).build(); }

    public ExplorerConfig withMaxStates(long l) { return toBuilder().maxStates(l).build(); }

    public ExplorerConfig withThreads(int t) { return toBuilder().threads(t).build(); }

    public ExplorerConfig withPor(boolean on) { return toBuilder().por(on).build(); }

    /** Stateright-style builder of an {@link ExplorerConfig}: every bound has a default. */
    public static final class Builder {
        private Explorer.Mode mode = DEFAULT_MODE;
        private int maxDepth = DEFAULT_DEPTH;
        private long maxStates = Long.MAX_VALUE;
        private long timeMillis;
        private long seed = tdisp.world.WorldConfig.DEFAULT_SEED;
        private long exactLimit = DEFAULT_EXACT_STATES;
        private long walks = DEFAULT_WALKS;
        private long progressMillis;
        private int threads = 1;
        private long maxMemory;
        private Path workDir;
        private boolean measureHeap;
        private boolean por = DEFAULT_POR;
        private long maxTransitions = Long.MAX_VALUE;

        public Builder mode(Explorer.Mode v) { mode = v; return this; }
        public Builder maxDepth(int v) { maxDepth = v; return this; }
        public Builder maxStates(long v) { maxStates = v; return this; }
        public Builder timeMillis(long v) { timeMillis = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder exactLimit(long v) { exactLimit = v; return this; }
        public Builder walks(long v) { walks = v; return this; }
        public Builder progressMillis(long v) { progressMillis = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder maxMemory(long v) { maxMemory = v; return this; }
        public Builder workDir(Path v) { workDir = v; return this; }
        public Builder measureHeap(boolean v) { measureHeap = v; return this; }
        public Builder por(boolean v) { por = v; return this; }
        public Builder maxTransitions(long v) { maxTransitions = v; return this; }

        public ExplorerConfig build() {
            if (threads < 1) throw new IllegalArgumentException("threads " + threads + ": must be at least 1");
            return new ExplorerConfig(mode, maxDepth, maxStates, timeMillis, seed, exactLimit, walks, progressMillis, threads,
                    maxMemory, workDir, measureHeap, por, maxTransitions);
        }
    }
}
