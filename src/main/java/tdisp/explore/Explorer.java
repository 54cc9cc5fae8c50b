package tdisp.explore;

import java.util.function.Supplier;

import tdisp.sim.StateWriter;

/**
 * Explicit-state search over a {@link Model}: breadth-first (shortest counterexamples,
 * like TLC; {@link BreadthFirst}), depth-first ({@link DepthFirst}), or seeded random walks
 * with counterexample minimisation, like DSLabs ({@link RandomWalks}). Every state reached
 * is checked against every invariant by the model; a state that violates one is reported
 * and not expanded further. Bounds ({@link ExplorerConfig}): depth, distinct states,
 * wall-clock time, memory, and a {@link Cancel} request (SIGINT); whichever stops the run,
 * the result says how far the search got. The clock bounds the search only; it never
 * enters the model, so a run that stops on depth or state count is the same on every
 * machine.
 *
 * <p>Breadth-first search keeps no state snapshots: a state is a node (parent, action) in
 * a {@link TraceStore}, 6 bytes, plus its fingerprint in the {@link SeenSet}, and is
 * rebuilt by replaying from its nearest cached ancestor when its level is expanded. A
 * level is expanded in chunks by {@code threads} workers, each with its own model;
 * their successors are merged into the seen set and the store chunk by chunk in node
 * order, so which path reaches a state first, and so every counterexample and count, is
 * the same as a one-thread run's, whatever the number of threads.
 */
public final class Explorer {
    public enum Mode { BFS, DFS, RANDOM }

    public enum Stop {
        COMPLETE, DEPTH, STATES, TRANSITIONS, TIME, WALKS, MEMORY, INTERRUPTED;

        /** Whether the search covered everything within its depth bound. */
        public boolean exhausted() { return this == COMPLETE || this == DEPTH; }
    }

    /** Receives progress events (the CLI formats them; the explorer prints nothing itself). */
    @FunctionalInterface
    public interface Progress { void update(SearchStats s); }

    private final Search s;

    /** A search with one model (and so one thread). */
    public Explorer(Model model, ExplorerConfig cfg, Progress progress) {
        this.s = new Search(null, model, cfg, 1, progress);
    }

    /** A search with one model per thread, each built by {@code models} (all alike). */
    public Explorer(Supplier<? extends Model> models, ExplorerConfig cfg, Progress progress) {
        this.s = new Search(models, models.get(), cfg, cfg.mode() == Mode.BFS ? cfg.threads() : 1, progress);
    }

    /** Runs the search to its bounds. */
    public ExplorerResult run() { return run(Cancel.NEVER); }

    /** Runs the search until its bounds or until {@code cancel} asks it to stop (then {@link Stop#INTERRUPTED}). */
    public ExplorerResult run(Cancel cancel) {
        s.cancel = cancel;
        ExplorerConfig cfg = s.cfg;
        Model model = s.model;
        long frontier;
        s.trace = TraceStore.create(cfg.workDir());
        try {
            model.reset();
            StateWriter.Snapshot init = model.save();
            StateWriter c0 = model.canonical();
            s.seen.add(c0.hash(), c0.ints());
            try {
                frontier = switch (cfg.mode()) {
                    case BFS -> new BreadthFirst(s).run(init);
                    case DFS -> DepthFirst.run(s, init);
                    case RANDOM -> RandomWalks.run(s, init);
                };
            } catch (OutOfMemoryError e) {
                // The budget should stop the search first; this is the last line, so the user
                // still gets a report rather than a stack trace.
                s.stop = Stop.MEMORY;
                frontier = s.trace.size();
            }
            long distinct = s.seen.size();
            boolean fp = s.seen.usingFingerprints();
            long structures = s.heldBytes();
            long offHeap = s.trace.offHeapBytes();
            if (s.progress != null && cfg.progressMillis() > 0) s.progress.update(s.stats(frontier, true));
            // Measured while the seen set and the trace store are still live: they are what a state costs.
            long heap = cfg.measureHeap() ? MemoryBudget.heapAfterGc() : -1;
            double actual = s.seen.actualFingerprintEstimate();
            long elapsed = System.nanoTime() - s.start;
            long cpu = RunInfo.processCpuNanos();
            RunInfo info = new RunInfo(s.threads, elapsed, cpu < 0 || s.cpuAtStart < 0 ? -1 : cpu - s.cpuAtStart, heap, structures, offHeap,
                    s.budget.limit());
            Stop stop = s.stop;
            return new ExplorerResult(cfg, s.generated, s.slept, distinct, s.depthReached, s.depthExhausted, stop, stop.exhausted(), frontier,
                    s.cex, s.goal, s.covered, fp, SeenSet.collisionProbability(distinct, s.generated, fp), actual, elapsed, info);
        } finally {
            s.trace.close();
        }
    }
}
