package tdisp.explore;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import tdisp.sim.StateWriter;

/**
 * Explicit-state search over a {@link Model}: breadth-first (shortest counterexamples,
 * like TLC), depth-first, or seeded random walks with counterexample minimisation (like
 * DSLabs). Every state reached is checked against every invariant by the model; a state
 * that violates one is reported and not expanded further. Bounds: depth, distinct
 * states, wall-clock time, memory, and a cancel flag (SIGINT); whichever stops the run,
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

    /**
     * @param exactLimit states kept whole before switching to 64-bit fingerprints
     * @param walks random mode: number of walks (0 = until another bound)
     * @param progressMillis interval of progress events (0 = none)
     * @param threads bfs workers (each with its own model; other modes use one)
     * @param maxMemory bytes the search's own structures may take (0 = derived from the heap)
     * @param workDir where the file-backed trace store lives (null = in memory)
     * @param cancel set from outside (SIGINT) to stop the run cleanly; may be null
     * @param measureHeap after the search, collect garbage once and record the heap in use
     * @param por bfs: prune commuting interleavings by sleep sets ({@link Model#independent})
     * @param maxTransitions bound on transitions executed (the search's unit of work)
     */
    public record Config(Mode mode, int maxDepth, long maxStates, long timeMillis, long seed, long exactLimit,
                         long walks, long progressMillis, int threads, long maxMemory, Path workDir,
                         AtomicBoolean cancel, boolean measureHeap, boolean por, long maxTransitions) {
        public static Config bfs(int depth) { return builder().maxDepth(depth).build(); }

        public static Builder builder() { return new Builder(); }

        public Builder toBuilder() {
            Builder b = new Builder();
            b.mode = mode; b.maxDepth = maxDepth; b.maxStates = maxStates; b.timeMillis = timeMillis; b.seed = seed;
            b.exactLimit = exactLimit; b.walks = walks; b.progressMillis = progressMillis; b.threads = threads;
            b.maxMemory = maxMemory; b.workDir = workDir; b.cancel = cancel; b.measureHeap = measureHeap;
            b.por = por; b.maxTransitions = maxTransitions;
            return b;
        }

        public Config withMode(Mode m) { return toBuilder().mode(m).build(); }

        public Config withSeed(long s) { return toBuilder().seed(s).build(); }

        public Config withWalks(long w) { return toBuilder().walks(w).build(); }

        public Config withExactLimit(long l) { return toBuilder().exactLimit(l).build(); }

        public Config withMaxStates(long l) { return toBuilder().maxStates(l).build(); }

        public Config withThreads(int t) { return toBuilder().threads(t).build(); }

        public Config withPor(boolean on) { return toBuilder().por(on).build(); }
    }

    /** Stateright-style builder of a {@link Config}: every bound has a default. */
    public static final class Builder {
        private Mode mode = Mode.BFS;
        private int maxDepth = 5;
        private long maxStates = Long.MAX_VALUE;
        private long timeMillis;
        private long seed = 1;
        private long exactLimit = 1_000_000;
        private long walks;
        private long progressMillis;
        private int threads = 1;
        private long maxMemory;
        private Path workDir;
        private AtomicBoolean cancel;
        private boolean measureHeap;
        private boolean por = true;
        private long maxTransitions = Long.MAX_VALUE;

        public Builder mode(Mode v) { mode = v; return this; }
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
        public Builder cancel(AtomicBoolean v) { cancel = v; return this; }
        public Builder measureHeap(boolean v) { measureHeap = v; return this; }
        public Builder por(boolean v) { por = v; return this; }
        public Builder maxTransitions(long v) { maxTransitions = v; return this; }

        public Config build() {
            if (threads < 1) throw new IllegalArgumentException("threads " + threads + ": must be at least 1");
            return new Config(mode, maxDepth, maxStates, timeMillis, seed, exactLimit, walks, progressMillis, threads,
                    maxMemory, workDir, cancel, measureHeap, por, maxTransitions);
        }
    }

    /** A shortest (bfs) or minimised (random) action sequence ending in a violation. */
    public record Counterexample(String invariant, String detail, List<Integer> actions) {
        public int length() { return actions.size(); }

        /** The kernel step that broke the invariant (the "[at ...]" of the detail), or "". */
        public String site() { return siteOf(detail); }
    }

    static String siteOf(String detail) {
        int i = detail.lastIndexOf("[at ");
        return i < 0 || !detail.endsWith("]") ? "" : detail.substring(i + 4, detail.length() - 1);
    }

    /** Counterexamples are kept per invariant and per site: one root cause must not hide another. */
    static String key(String invariant, String detail) { return invariant + "@" + siteOf(detail); }

    /**
     * Counterexample keys in the model's invariant order, then by site. It captures only the
     * list: the result's map must not keep the explorer (and its seen set) alive.
     */
    private static java.util.Comparator<String> keyOrder(List<String> order) {
        return (a, b) -> {
            int c = Integer.compare(order.indexOf(a.substring(0, a.indexOf('@'))), order.indexOf(b.substring(0, b.indexOf('@'))));
            return c != 0 ? c : a.compareTo(b);
        };
    }

    /** One progress event (the CLI formats it; the explorer prints nothing itself). */
    public record Stats(long generated, long distinct, long queued, int depth, long elapsedNanos, boolean done,
                        boolean fingerprints, long heapBytes, long offHeapBytes) {}

    @FunctionalInterface
    public interface Progress { void update(Stats s); }

    /**
     * How the run went on this machine: never part of a report that a determinism test
     * compares (it goes to the run-info sidecar).
     *
     * @param heapAfterGcBytes heap in use after one collection at the end (-1 if not measured)
     * @param structureBytes the search's own estimate of its seen set and trace store at the end
     */
    public record RunInfo(int threads, long elapsedNanos, long cpuNanos, long heapAfterGcBytes, long structureBytes, long offHeapBytes,
                          long memoryBudgetBytes) {}

    /** CPU time of the whole process so far (all threads, the collector's too), or -1. */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /**
     * @param depthExhausted every state within this many actions was generated and checked
     * @param slept enabled transitions the sleep sets skipped: the full search, which expands
     *     the same states, executes generated + slept
     */
    public record Result(Config config, long generated, long slept, long distinct, int depthReached, int depthExhausted, Stop stop,
                         boolean exhausted, long frontierAtBound, Map<String, Counterexample> counterexamples, List<Integer> goal,
                         boolean[] covered, boolean fingerprints, double collisionOptimistic, double collisionActual,
                         long elapsedNanos, RunInfo runInfo) {
        /** The shortest counterexample of an invariant over all sites, or null. */
        public Counterexample shortest(String invariant) {
            Counterexample best = null;
            for (Counterexample c : counterexamples.values()) {
                if (c.invariant().equals(invariant) && (best == null || c.length() < best.length())) best = c;
            }
            return best;
        }

        /** Whether a counterexample of this invariant breaks at a step whose name contains {@code site}. */
        public boolean violatedAt(String invariant, String site) {
            for (Counterexample c : counterexamples.values()) if (c.invariant().equals(invariant) && c.site().contains(site)) return true;
            return false;
        }

        /**
         * Every violation as "invariant at breaking step" with its shortest length: what a
         * reduced search must report exactly as the full one does.
         */
        public Map<String, Integer> violationSites() {
            Map<String, Integer> out = new TreeMap<>();
            for (Counterexample c : counterexamples.values()) out.merge(c.invariant() + " at " + c.site(), c.length(), Math::min);
            return out;
        }

        /** Transitions the full search executes over the transitions this one executed (1 without reduction). */
        public double reduction() { return (double) (generated + slept) / Math.max(1, generated); }

        public int coveredCount() {
            int n = 0;
            for (boolean b : covered) if (b) n++;
            return n;
        }
    }

    private final Supplier<? extends Model> models;
    private final Model model;
    private final Config cfg;
    private final int threads;
    private final Progress progress;
    private final int actions;
    private final boolean[] covered;
    private final Map<String, Counterexample> cex;
    private List<Integer> goal;
    private long generated;
    private long slept;
    private int depthReached;
    private int depthExhausted;
    private final long start;
    private final long cpuAtStart;
    private long nextProgress;
    private final SeenSet seen;
    private final MemoryBudget budget;
    private TraceStore trace;
    private volatile Stop stop = Stop.COMPLETE;

    /** A search with one model (and so one thread). */
    public Explorer(Model model, Config cfg, Progress progress) {
        this(null, model, cfg, 1, progress);
    }

    /** A search with one model per thread, each built by {@code models} (all alike). */
    public Explorer(Supplier<? extends Model> models, Config cfg, Progress progress) {
        this(models, models.get(), cfg, cfg.mode() == Mode.BFS ? cfg.threads() : 1, progress);
    }

    private Explorer(Supplier<? extends Model> models, Model first, Config cfg, int threads, Progress progress) {
        this.models = models;
        this.model = first;
        this.cfg = cfg;
        this.threads = threads;
        this.progress = progress;
        this.actions = model.actionCount();
        this.sleepWords = SleepSets.wordsFor(actions);
        this.covered = new boolean[actions];
        this.cex = new TreeMap<>(keyOrder(List.copyOf(first.invariants())));
        this.seen = new SeenSet(cfg.exactLimit());
        this.history = model.historyCheck();
        this.budget = MemoryBudget.of(cfg.maxMemory());
        this.start = System.nanoTime();
        this.cpuAtStart = processCpuNanos();
        this.nextProgress = start + cfg.progressMillis() * 1_000_000L;
    }

    public Result run() {
        long frontier;
        trace = TraceStore.create(cfg.workDir());
        try {
            model.reset();
            StateWriter.Snapshot init = model.save();
            StateWriter c0 = model.canonical();
            seen.add(c0.hash(), c0.ints());
            try {
                frontier = switch (cfg.mode()) {
                    case BFS -> bfs(init);
                    case DFS -> dfs(init);
                    case RANDOM -> random(init);
                };
            } catch (OutOfMemoryError e) {
                // The budget should stop the search first; this is the last line, so the user
                // still gets a report rather than a stack trace.
                stop = Stop.MEMORY;
                frontier = trace.size();
            }
            long distinct = seen.size();
            boolean fp = seen.usingFingerprints();
            long structures = heldBytes();
            long offHeap = trace.offHeapBytes();
            if (progress != null && cfg.progressMillis() > 0) progress.update(stats(frontier, true));
            // Measured while the seen set and the trace store are still live: they are what a state costs.
            long heap = cfg.measureHeap() ? MemoryBudget.heapAfterGc() : -1;
            double actual = seen.actualFingerprintEstimate();
            long elapsed = System.nanoTime() - start;
            long cpu = processCpuNanos();
            RunInfo info = new RunInfo(threads, elapsed, cpu < 0 || cpuAtStart < 0 ? -1 : cpu - cpuAtStart, heap, structures, offHeap, budget.limit());
            return new Result(cfg, generated, slept, distinct, depthReached, depthExhausted, stop, stop.exhausted(), frontier, cex, goal,
                    covered, fp, SeenSet.collisionProbability(distinct, generated, fp), actual, elapsed, info);
        } finally {
            trace.close();
        }
    }

    // ---- breadth-first, level by level, in parallel ----

    /** Successors found by expanding one chunk of a level, in node then action order. */
    private static final class Chunk {
        final int first;
        final int end;
        int n;
        int[] node = new int[256];
        int[] act = new int[256];
        long[] hash = new long[256];
        Object[] extra = new Object[256];
        Object[] facts;
        /** Per successor, the sleep set it carries ({@code words} longs each; null when not kept). */
        long[] sleep;
        final int words;
        /** Per node of the chunk, the enabled transitions its sleep set skipped. */
        final int[] slept;

        Chunk(int first, int end, int words) {
            this.first = first;
            this.end = end;
            this.words = words;
            this.slept = new int[end - first];
            if (words > 0) sleep = new long[256 * words];
        }

        static final int GOAL = 1 << 30;
        static final int FOUND = 1 << 29;
        static final int ACTION = FOUND - 1;

        void add(int id, int a, long h, Object x, Object f) {
            if (n == node.length) {
                int m = n * 2;
                node = Arrays.copyOf(node, m);
                act = Arrays.copyOf(act, m);
                hash = Arrays.copyOf(hash, m);
                extra = Arrays.copyOf(extra, m);
                if (facts != null) facts = Arrays.copyOf(facts, m);
                if (sleep != null) sleep = Arrays.copyOf(sleep, m * words);
            }
            node[n] = id;
            act[n] = a;
            hash[n] = h;
            extra[n] = x;
            if (f != null && facts == null) facts = new Object[node.length];
            if (facts != null) facts[n] = f;
            n++;
        }
    }

    /** A worker's model and its cache of the states on the path to the last node it expanded. */
    private final class Worker {
        final Model m;
        int[] cached = new int[16];
        int[] path = new int[16];
        StateWriter.Snapshot[] snaps = new StateWriter.Snapshot[16];

        Worker(Model m, StateWriter.Snapshot init) {
            this.m = m;
            Arrays.fill(cached, -1);
            cached[0] = 0;
            snaps[0] = init;
        }

        /**
         * The state of node {@code id} at depth {@code d}, replayed from the nearest cached
         * ancestor. Replayed transitions were checked when first expanded: their history
         * facts are dropped, so the checker sees each transition once.
         */
        StateWriter.Snapshot stateOf(int id, int d) {
            if (d >= cached.length) {
                int len = Math.max(d + 1, cached.length * 2);
                int old = cached.length;
                cached = Arrays.copyOf(cached, len);
                Arrays.fill(cached, old, len, -1);
                path = Arrays.copyOf(path, len);
                snaps = Arrays.copyOf(snaps, len);
            }
            int k = d;
            int x = id;
            while (cached[k] != x) {
                path[k] = x;
                x = trace.parent(x);
                k--;
            }
            for (int j = k + 1; j <= d; j++) {
                m.load(snaps[j - 1]);
                m.apply(trace.action(path[j]));
                m.historyFacts();
                snaps[j] = m.save();
                cached[j] = path[j];
            }
            return snaps[d];
        }

        /** This node's sleep set, the transitions taken from it so far, and a child's sleep set. */
        final long[] asleep = new long[sleepWords];
        final long[] done = new long[sleepWords];
        final long[] child = new long[sleepWords];

        /**
         * Expands every node of the chunk. With sleep sets ({@code cur} non-null), an action
         * asleep at a node is skipped, and the successor by action a carries every action
         * asleep here or taken here before a that is independent of a here; {@code keep}
         * says whether the next level is expanded, so that the child's set must be stored.
         */
        void expand(Chunk out, int d, boolean exact, SleepSets cur, boolean keep) {
            for (int id = out.first; id < out.end; id++) {
                if (halt.get()) return;
                StateWriter.Snapshot s = stateOf(id, d);
                if (cur != null) {
                    cur.copy(id, asleep);
                    Arrays.fill(done, 0);
                }
                boolean dirty = true;
                for (int a = 0; a < actions; a++) {
                    if (dirty) { m.load(s); dirty = false; }
                    if (!m.enabled(a)) continue;
                    if (cur != null) {
                        if ((asleep[a >>> 6] & (1L << a)) != 0) {
                            out.slept[id - out.first]++;
                            continue;
                        }
                        if (keep) childSleep(a);
                        done[a >>> 6] |= 1L << a;
                    }
                    m.apply(a);
                    dirty = true;
                    int flags = a | (m.goalReached() ? Chunk.GOAL : 0);
                    List<Model.Finding> fs = m.findings();
                    Object facts = m.historyFacts();
                    if (!fs.isEmpty()) {
                        out.add(id, flags | Chunk.FOUND, 0, List.copyOf(fs), facts);
                    } else {
                        StateWriter c = m.canonical();
                        out.add(id, flags, c.hash(), exact ? c.ints() : null, facts);
                    }
                    if (out.sleep != null) System.arraycopy(child, 0, out.sleep, (out.n - 1) * sleepWords, sleepWords);
                }
            }
        }

        /** The sleep set of the successor by a, computed in the node's state (before a runs). */
        private void childSleep(int a) {
            Arrays.fill(child, 0);
            for (int k = 0; k < sleepWords; k++) {
                long cand = asleep[k] | done[k];
                while (cand != 0) {
                    int b = (k << 6) + Long.numberOfTrailingZeros(cand);
                    cand &= cand - 1;
                    // The footprint test first: it is the cheap one, and mostly false.
                    if (m.independent(a, b) && m.enabled(b)) child[k] |= 1L << b;
                }
            }
        }
    }

    private final AtomicBoolean halt = new AtomicBoolean();
    private final int sleepWords;
    /** Sleep sets of the level being expanded and of the one being merged (null: no reduction, or not kept). */
    private SleepSets curSleep;
    private SleepSets nextSleep;

    /** What the search's own structures hold on the heap. */
    private long heldBytes() {
        return seen.heapBytes() + trace.heapBytes() + (curSleep == null ? 0 : curSleep.heapBytes())
                + (nextSleep == null ? 0 : nextSleep.heapBytes());
    }
    /** Nodes whose successors were all merged (the next node to expand, in sequential terms). */
    private int mergedUpTo;

    private long bfs(StateWriter.Snapshot init) {
        trace.add(-1, 0);
        List<Worker> workers = new ArrayList<>();
        workers.add(new Worker(model, init));
        for (int i = 1; i < threads; i++) {
            Model m = models.get();
            m.reset();
            workers.add(new Worker(m, init));
        }
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "explore-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int levelStart = 0;
            int levelEnd = 1;
            int d = 0;
            curSleep = cfg.por() ? new SleepSets(sleepWords, 0) : null;
            if (curSleep != null) curSleep.add(0, new long[sleepWords], 0);
            while (levelStart < levelEnd) {
                if (d >= cfg.maxDepth()) {
                    if (stop == Stop.COMPLETE) stop = Stop.DEPTH;
                    depthExhausted = d;
                    return levelEnd - levelStart;
                }
                mergedUpTo = levelStart;
                // The last level is never expanded: its sleep sets are not kept.
                nextSleep = curSleep != null && d + 1 < cfg.maxDepth() ? new SleepSets(sleepWords, levelEnd) : null;
                expandLevel(workers, pool, levelStart, levelEnd, d);
                curSleep = curSleep == null ? null : nextSleep;
                nextSleep = null;
                if (stop != Stop.COMPLETE) {
                    depthExhausted = d;
                    return (levelEnd - mergedUpTo) + (trace.size() - levelEnd);
                }
                depthExhausted = d + 1;
                levelStart = levelEnd;
                levelEnd = trace.size();
                d++;
            }
            depthExhausted = Math.max(depthExhausted, depthReached);
            return 0;
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    private void expandLevel(List<Worker> workers, ExecutorService pool, int from, int to, int d) {
        int count = to - from;
        int size = (int) Math.max(16, Math.min(1024, count / (threads * 32L)));
        int chunks = (count + size - 1) / size;
        AtomicReferenceArray<Chunk> done = new AtomicReferenceArray<>(chunks);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger mergedChunks = new AtomicInteger();
        ReentrantLock merging = new ReentrantLock();
        boolean exact = !seen.usingFingerprints();
        // A worker runs at most this many chunks ahead of the merge, which bounds the memory in
        // flight; wide, so that a worker the OS parks (the machine is shared) rarely stalls the others.
        int window = threads * 64;
        Runnable[] tasks = new Runnable[workers.size()];
        for (int w = 0; w < workers.size(); w++) {
            Worker wk = workers.get(w);
            tasks[w] = () -> {
                while (!halt.get()) {
                    int c = next.getAndIncrement();
                    if (c >= chunks) return;
                    while (c - mergedChunks.get() > window && !halt.get()) LockSupport.parkNanos(20_000);
                    int first = from + c * size;
                    Chunk ch = new Chunk(first, Math.min(to, first + size), nextSleep != null ? sleepWords : 0);
                    wk.expand(ch, d, exact, curSleep, nextSleep != null);
                    done.set(c, ch);
                    drain(done, mergedChunks, merging, chunks, d);
                }
            };
        }
        halt.set(false);
        try {
            if (pool == null) {
                tasks[0].run();
            } else {
                List<Future<?>> fs = new ArrayList<>();
                for (Runnable t : tasks) fs.add(pool.submit(t));
                for (Future<?> f : fs) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        halt.set(true);
                        if (e.getCause() instanceof OutOfMemoryError oom) throw oom;
                        if (e.getCause() instanceof RuntimeException re) throw re;
                        throw new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        halt.set(true);
                        stop = Stop.INTERRUPTED;
                    }
                }
            }
        } catch (OutOfMemoryError e) {
            halt.set(true);
            stop = Stop.MEMORY;
            return;
        }
        drain(done, mergedChunks, merging, chunks, d);
    }

    /** Merges every finished chunk that is next in order; whoever holds the lock does the work. */
    private void drain(AtomicReferenceArray<Chunk> done, AtomicInteger merged, ReentrantLock lock, int chunks, int d) {
        while (true) {
            if (!lock.tryLock()) return;
            try {
                while (merged.get() < chunks && done.get(merged.get()) != null && !halt.get()) {
                    Chunk ch = done.getAndSet(merged.get(), null);
                    merge(ch, d);
                    merged.incrementAndGet();
                }
            } catch (OutOfMemoryError e) {
                stop = Stop.MEMORY;
                halt.set(true);
            } finally {
                lock.unlock();
            }
            if (halt.get() || merged.get() >= chunks || done.get(merged.get()) == null) return;
        }
    }

    /** One chunk's successors into the seen set and the store, exactly as a sequential search would. */
    private void merge(Chunk ch, int d) {
        int i = 0;
        for (int id = ch.first; id < ch.end; id++) {
            if (outOfBudget(trace.size() - id)) {
                mergedUpTo = id;
                halt.set(true);
                return;
            }
            slept += ch.slept[id - ch.first];
            for (; i < ch.n && ch.node[i] == id; i++) {
                int a = ch.act[i] & Chunk.ACTION;
                generated++;
                covered[a] = true;
                if ((ch.act[i] & Chunk.GOAL) != 0 && goal == null) goal = trace.pathTo(id, a);
                @SuppressWarnings("unchecked")
                List<Model.Finding> own = (ch.act[i] & Chunk.FOUND) != 0 ? (List<Model.Finding>) ch.extra[i] : List.of();
                List<Model.Finding> fs = withHistory(own, ch.facts == null ? null : ch.facts[i]);
                if (!fs.isEmpty()) {
                    record(fs, id, a);
                    continue;
                }
                long grow = seen.bytesToGrow() + (nextSleep == null ? 0 : nextSleep.bytesToGrow());
                if (grow > 0 && !budget.allows(heldBytes(), grow)) {
                    stop = Stop.MEMORY;
                    mergedUpTo = id;
                    halt.set(true);
                    return;
                }
                if (seen.add(ch.hash[i], (int[]) ch.extra[i])) {
                    trace.add(id, a);
                    if (nextSleep != null) nextSleep.add(ch.hash[i], ch.sleep, i * sleepWords);
                    depthReached = Math.max(depthReached, d + 1);
                } else if (nextSleep != null) {
                    nextSleep.meet(ch.hash[i], ch.sleep, i * sleepWords);
                }
            }
            mergedUpTo = id + 1;
        }
    }

    private final Model.HistoryCheck history;

    /** The model's findings of a transition plus what the history checker makes of its facts, in invariant order. */
    private List<Model.Finding> withHistory(List<Model.Finding> own, Object facts) {
        if (facts == null || history == null) return own;
        List<Model.Finding> h = history.check(facts);
        if (h.isEmpty()) return own;
        List<Model.Finding> all = new ArrayList<>(own);
        for (Model.Finding f : h) if (all.stream().noneMatch(x -> x.invariant().equals(f.invariant()))) all.add(f);
        List<String> order = model.invariants();
        all.sort(java.util.Comparator.comparingInt(f -> order.indexOf(f.invariant())));
        return all;
    }

    private void record(List<Model.Finding> fs, int id, int a) {
        for (Model.Finding f : fs) cex.putIfAbsent(key(f.invariant(), f.detail()), new Counterexample(f.invariant(), f.detail(), trace.pathTo(id, a)));
    }

    /** Records first violations; true if the state violated something (a dead end). */
    private boolean report(int id, int a, List<Integer> walk) {
        List<Model.Finding> fs = withHistory(model.findings(), model.historyFacts());
        if (fs.isEmpty()) return false;
        if (walk == null) {
            record(fs, id, a);
            return true;
        }
        for (Model.Finding f : fs) {
            Counterexample old = cex.get(key(f.invariant(), f.detail()));
            if (old != null && old.length() <= walk.size()) continue;
            List<Integer> min = Minimiser.minimise(model, walk, f.invariant());
            String det = Minimiser.detail(model, min, f.invariant());
            Counterexample c = new Counterexample(f.invariant(), det, min);
            Counterexample prev = cex.get(key(f.invariant(), det));
            if (prev == null || min.size() < prev.length()) cex.put(key(f.invariant(), det), c);
        }
        return true;
    }

    // ---- depth-first (stateful; not shortest) ----

    private long dfs(StateWriter.Snapshot init) {
        record Frame(StateWriter.Snapshot state, int id, int depth, int[] next) {}
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(init, trace.add(-1, 0), 0, new int[1]));
        long atBound = 0;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.depth >= cfg.maxDepth()) {
                atBound++;
                if (stop == Stop.COMPLETE) stop = Stop.DEPTH;
                stack.pop();
                continue;
            }
            if (outOfBudget(stack.size()) || !budget.allows(seen.heapBytes() + trace.heapBytes(), seen.bytesToGrow())) {
                if (stop == Stop.COMPLETE || stop == Stop.DEPTH) stop = Stop.MEMORY;
                return atBound + stack.size();
            }
            int a = f.next[0]++;
            if (a >= actions) { stack.pop(); continue; }
            model.load(f.state);
            if (!model.enabled(a)) continue;
            model.apply(a);
            generated++;
            covered[a] = true;
            if (model.goalReached() && goal == null) goal = trace.pathTo(f.id, a);
            if (report(f.id, a, null)) continue;
            StateWriter c = model.canonical();
            if (seen.add(c.hash(), seen.usingFingerprints() ? null : c.ints())) {
                stack.push(new Frame(model.save(), trace.add(f.id, a), f.depth + 1, new int[1]));
                depthReached = Math.max(depthReached, f.depth + 1);
            }
        }
        depthExhausted = stop.exhausted() ? (stop == Stop.DEPTH ? cfg.maxDepth() : depthReached) : 0;
        return atBound;
    }

    // ---- random walks with minimisation ----

    private long random(StateWriter.Snapshot init) {
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        int[] enabled = new int[actions];
        List<Integer> walk = new ArrayList<>();
        long walks = 0;
        while (true) {
            if (cfg.walks() > 0 && walks >= cfg.walks()) { stop = Stop.WALKS; return 0; }
            if (outOfBudget(0)) return 0;
            if (!budget.allows(seen.heapBytes(), seen.bytesToGrow())) { stop = Stop.MEMORY; return 0; }
            walks++;
            model.load(init);
            walk.clear();
            for (int d = 0; d < cfg.maxDepth(); d++) {
                int k = 0;
                for (int a = 0; a < actions; a++) if (model.enabled(a)) enabled[k++] = a;
                if (k == 0) break;
                int a = enabled[rng.nextInt(k)];
                model.apply(a);
                generated++;
                covered[a] = true;
                walk.add(a);
                depthReached = Math.max(depthReached, d + 1);
                if (model.goalReached() && (goal == null || goal.size() > walk.size())) goal = List.copyOf(walk);
                if (report(-1, a, walk)) break;
                StateWriter c = model.canonical();
                seen.add(c.hash(), seen.usingFingerprints() ? null : c.ints());
            }
        }
    }

    // ---- bounds and progress ----

    private long budgetChecks;

    /** Checks the state, time, cancel and heap bounds; sets {@link #stop} and returns true if one is hit. */
    private boolean outOfBudget(long queued) {
        if (seen.size() >= cfg.maxStates()) { stop = Stop.STATES; return true; }
        if (generated >= cfg.maxTransitions()) { stop = Stop.TRANSITIONS; return true; }
        if ((budgetChecks++ & 0x3f) != 0) return false;
        long now = System.nanoTime();
        if (cfg.timeMillis() > 0 && now - start >= cfg.timeMillis() * 1_000_000L) { stop = Stop.TIME; return true; }
        if (cfg.cancel() != null && cfg.cancel().get()) { stop = Stop.INTERRUPTED; return true; }
        if (budget.heapNearlyFull()) { stop = Stop.MEMORY; return true; }
        if (progress != null && cfg.progressMillis() > 0 && now >= nextProgress) {
            progress.update(stats(queued, false));
            nextProgress = now + cfg.progressMillis() * 1_000_000L;
        }
        return false;
    }

    private Stats stats(long queued, boolean done) {
        return new Stats(generated, seen.size(), queued, depthReached, System.nanoTime() - start, done,
                seen.usingFingerprints(), heldBytes(), trace.offHeapBytes());
    }
}
