package tdisp.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import tdisp.explore.Explorer.Stop;
import tdisp.sim.StateWriter;

/**
 * Breadth-first search, level by level, in parallel (shortest counterexamples, like TLC).
 * It keeps no state snapshots: a state is a node (parent, action) in the {@link TraceStore}
 * plus its fingerprint in the {@link SeenSet}, rebuilt by replaying from its nearest cached
 * ancestor when its level is expanded. A level is expanded in chunks by the search's
 * workers, each with its own model; their successors are merged chunk by chunk in node
 * order, so every counterexample and count is a one-thread run's.
 */
final class BreadthFirst {
    private final Search search;

    BreadthFirst(Search search) { this.search = search; }

    /** Successors found by expanding one chunk of a level, in node then action order. */
    private static final class Chunk {
        final int first;
        final int end;
        int n;
        int[] node = new int[256];
        int[] act = new int[256];
        long[] hash = new long[256];
        /** Per successor, its canonical encoding's ints (for an exact seen set; else null). */
        int[][] ints = new int[256][];
        /** Per successor, the findings it reached (null until one has some, then null where none). */
        List<List<Model.Finding>> found;
        /** Per successor, its history facts (null until one has some, then null where none). */
        List<List<Model.HistoryFact>> facts;
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

        /** The history facts of successor i, or null. */
        List<Model.HistoryFact> facts(int i) { return facts == null ? null : facts.get(i); }

        /** The findings of successor i (FOUND), or none. */
        List<Model.Finding> found(int i) {
            List<Model.Finding> f = found == null ? null : found.get(i);
            return f == null ? List.of() : f;
        }

        /** Appends v as successor n's entry of a column that stays null while every entry is. */
        private <T> List<T> column(List<T> col, T v) {
            if (col == null && v == null) return null;
            if (col == null) {
                col = new ArrayList<>(node.length);
                for (int i = 0; i < n; i++) col.add(null);
            }
            col.add(v);
            return col;
        }

        static final int GOAL = 1 << 30;
        static final int FOUND = 1 << 29;
        static final int ACTION = FOUND - 1;

        void add(int id, int a, long h, int[] canon, List<Model.Finding> fs, List<Model.HistoryFact> f) {
            if (n == node.length) {
                int m = n * 2;
                node = Arrays.copyOf(node, m);
                act = Arrays.copyOf(act, m);
                hash = Arrays.copyOf(hash, m);
                ints = Arrays.copyOf(ints, m);
                if (sleep != null) sleep = Arrays.copyOf(sleep, m * words);
            }
            node[n] = id;
            act[n] = a;
            hash[n] = h;
            ints[n] = canon;
            found = column(found, fs);
            facts = column(facts, f);
            n++;
        }
    }

    // ---- breadth-first, level by level, in parallel ----

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
                x = search.trace.parent(x);
                k--;
            }
            for (int j = k + 1; j <= d; j++) {
                m.load(snaps[j - 1]);
                m.apply(search.trace.action(path[j]));
                m.historyFacts();
                snaps[j] = m.save();
                cached[j] = path[j];
            }
            return snaps[d];
        }

        /** This node's sleep set, the transitions taken from it so far, and a child's sleep set. */
        final long[] asleep = new long[search.sleepWords];
        final long[] done = new long[search.sleepWords];
        final long[] child = new long[search.sleepWords];

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
                for (int a = 0; a < search.actions; a++) {
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
                    List<Model.HistoryFact> facts = m.historyFacts();
                    if (!fs.isEmpty()) {
                        out.add(id, flags | Chunk.FOUND, 0, null, List.copyOf(fs), facts);
                    } else {
                        StateWriter c = m.canonical();
                        out.add(id, flags, c.hash(), exact ? c.ints() : null, null, facts);
                    }
                    if (out.sleep != null) System.arraycopy(child, 0, out.sleep, (out.n - 1) * search.sleepWords, search.sleepWords);
                }
            }
        }

        /** The sleep set of the successor by a, computed in the node's state (before a runs). */
        private void childSleep(int a) {
            Arrays.fill(child, 0);
            for (int k = 0; k < search.sleepWords; k++) {
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
    /** Nodes whose successors were all merged (the next node to expand, in sequential terms). */
    private int mergedUpTo;

    /** Searches from {@code init}; returns the states left queued when a bound stopped it. */
    long run(StateWriter.Snapshot init) {
        search.trace.add(-1, 0);
        List<Worker> workers = new ArrayList<>();
        workers.add(new Worker(search.model, init));
        for (int i = 1; i < search.threads; i++) {
            Model m = search.models.get();
            m.reset();
            workers.add(new Worker(m, init));
        }
        ExecutorService pool = search.threads > 1 ? Executors.newFixedThreadPool(search.threads, r -> {
            Thread t = new Thread(r, "explore-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int levelStart = 0;
            int levelEnd = 1;
            int d = 0;
            search.curSleep = search.cfg.por() ? new SleepSets(search.sleepWords, 0) : null;
            if (search.curSleep != null) search.curSleep.add(0, new long[search.sleepWords], 0);
            while (levelStart < levelEnd) {
                if (d >= search.cfg.maxDepth()) {
                    if (search.stop == Stop.COMPLETE) search.stop = Stop.DEPTH;
                    search.depthExhausted = d;
                    return levelEnd - levelStart;
                }
                mergedUpTo = levelStart;
                // The last level is never expanded: its sleep sets are not kept.
                search.nextSleep = search.curSleep != null && d + 1 < search.cfg.maxDepth() ? new SleepSets(search.sleepWords, levelEnd) : null;
                expandLevel(workers, pool, levelStart, levelEnd, d);
                search.curSleep = search.curSleep == null ? null : search.nextSleep;
                search.nextSleep = null;
                if (search.stop != Stop.COMPLETE) {
                    search.depthExhausted = d;
                    return (levelEnd - mergedUpTo) + (search.trace.size() - levelEnd);
                }
                search.depthExhausted = d + 1;
                levelStart = levelEnd;
                levelEnd = search.trace.size();
                d++;
            }
            search.depthExhausted = Math.max(search.depthExhausted, search.depthReached);
            return 0;
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    private void expandLevel(List<Worker> workers, ExecutorService pool, int from, int to, int d) {
        int count = to - from;
        int size = (int) Math.max(16, Math.min(1024, count / (search.threads * 32L)));
        int chunks = (count + size - 1) / size;
        AtomicReferenceArray<Chunk> done = new AtomicReferenceArray<>(chunks);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger mergedChunks = new AtomicInteger();
        ReentrantLock merging = new ReentrantLock();
        boolean exact = !search.seen.usingFingerprints();
        // A worker runs at most this many chunks ahead of the merge, which bounds the memory in
        // flight; wide, so that a worker the OS parks (the machine is shared) rarely stalls the others.
        int window = search.threads * 64;
        Runnable[] tasks = new Runnable[workers.size()];
        for (int w = 0; w < workers.size(); w++) {
            Worker wk = workers.get(w);
            tasks[w] = () -> {
                while (!halt.get()) {
                    int c = next.getAndIncrement();
                    if (c >= chunks) return;
                    while (c - mergedChunks.get() > window && !halt.get()) LockSupport.parkNanos(20_000);
                    int first = from + c * size;
                    Chunk ch = new Chunk(first, Math.min(to, first + size), search.nextSleep != null ? search.sleepWords : 0);
                    wk.expand(ch, d, exact, search.curSleep, search.nextSleep != null);
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
                        search.stop = Stop.INTERRUPTED;
                    }
                }
            }
        } catch (OutOfMemoryError e) {
            halt.set(true);
            search.stop = Stop.MEMORY;
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
                search.stop = Stop.MEMORY;
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
            if (search.outOfBudget(search.trace.size() - id)) {
                mergedUpTo = id;
                halt.set(true);
                return;
            }
            search.slept += ch.slept[id - ch.first];
            for (; i < ch.n && ch.node[i] == id; i++) {
                int a = ch.act[i] & Chunk.ACTION;
                search.generated++;
                search.covered[a] = true;
                if ((ch.act[i] & Chunk.GOAL) != 0 && search.goal == null) search.goal = search.trace.pathTo(id, a);
                List<Model.Finding> own = ch.found(i);
                List<Model.Finding> fs = search.withHistory(own, ch.facts(i));
                if (!fs.isEmpty()) {
                    search.record(fs, id, a);
                    continue;
                }
                long grow = search.seen.bytesToGrow() + (search.nextSleep == null ? 0 : search.nextSleep.bytesToGrow());
                if (grow > 0 && !search.budget.allows(search.heldBytes(), grow)) {
                    search.stop = Stop.MEMORY;
                    mergedUpTo = id;
                    halt.set(true);
                    return;
                }
                if (search.seen.add(ch.hash[i], ch.ints[i])) {
                    search.trace.add(id, a);
                    if (search.nextSleep != null) search.nextSleep.add(ch.hash[i], ch.sleep, i * search.sleepWords);
                    search.depthReached = Math.max(search.depthReached, d + 1);
                } else if (search.nextSleep != null) {
                    search.nextSleep.meet(ch.hash[i], ch.sleep, i * search.sleepWords);
                }
            }
            mergedUpTo = id + 1;
        }
    }}
