package tdisp.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import tdisp.explore.Explorer.Stop;

/**
 * What the three search modes share: the models, the seen set and trace store, the counts,
 * the counterexamples found, and the bounds every mode checks the same way. One per
 * {@link Explorer}; the mode ({@link BreadthFirst}, {@link DepthFirst}, {@link RandomWalks})
 * drives it.
 */
final class Search {
    final Supplier<? extends Model> models;
    final Model model;
    final ExplorerConfig cfg;
    final int threads;
    final Explorer.Progress progress;
    final int actions;
    final int sleepWords;
    final boolean[] covered;
    final Map<String, Counterexample> cex;
    final SeenSet seen;
    final MemoryBudget budget;
    final Model.HistoryCheck history;
    final long start;
    final long cpuAtStart;
    Cancel cancel = Cancel.NEVER;
    TraceStore trace;
    List<Integer> goal;
    long generated;
    long slept;
    int depthReached;
    int depthExhausted;
    volatile Stop stop = Stop.COMPLETE;
    /** Sleep sets of the level being expanded and of the one being merged (null: no reduction, or not kept). */
    SleepSets curSleep;
    SleepSets nextSleep;
    private long nextProgress;
    private long budgetChecks;

    Search(Supplier<? extends Model> models, Model first, ExplorerConfig cfg, int threads, Explorer.Progress progress) {
        this.models = models;
        this.model = first;
        this.cfg = cfg;
        this.threads = threads;
        this.progress = progress;
        this.actions = model.actionCount();
        this.sleepWords = SleepSets.wordsFor(actions);
        this.covered = new boolean[actions];
        this.cex = new TreeMap<>(Counterexample.keyOrder(List.copyOf(first.invariants())));
        this.seen = new SeenSet(cfg.exactLimit());
        this.history = model.historyCheck();
        this.budget = MemoryBudget.of(cfg.maxMemory());
        this.start = System.nanoTime();
        this.cpuAtStart = RunInfo.processCpuNanos();
        this.nextProgress = start + cfg.progressMillis() * 1_000_000L;
    }

    /** What the search's own structures hold on the heap. */
    long heldBytes() {
        return seen.heapBytes() + trace.heapBytes() + (curSleep == null ? 0 : curSleep.heapBytes())
                + (nextSleep == null ? 0 : nextSleep.heapBytes());
    }

    /** The model's findings of a transition plus what the history checker makes of its facts, in invariant order. */
    List<Model.Finding> withHistory(List<Model.Finding> own, List<Model.HistoryFact> facts) {
        if (facts == null || history == null) return own;
        List<Model.Finding> h = history.check(facts);
        if (h.isEmpty()) return own;
        List<Model.Finding> all = new ArrayList<>(own);
        for (Model.Finding f : h) if (all.stream().noneMatch(x -> x.invariant().equals(f.invariant()))) all.add(f);
        List<String> order = model.invariants();
        all.sort(java.util.Comparator.comparingInt(f -> order.indexOf(f.invariant())));
        return all;
    }

    void record(List<Model.Finding> fs, int id, int a) {
        // The path is walked only for a new key: most violating transitions repeat a known one.
        for (Model.Finding f : fs) cex.computeIfAbsent(Counterexample.key(f.invariant(), f.detail()), k -> new Counterexample(f.invariant(), f.detail(), trace.pathTo(id, a)));
    }

    /** Records first violations; true if the state violated something (a dead end). */
    boolean report(int id, int a, List<Integer> walk) {
        List<Model.Finding> fs = withHistory(model.findings(), model.historyFacts());
        if (fs.isEmpty()) return false;
        if (walk == null) {
            record(fs, id, a);
            return true;
        }
        for (Model.Finding f : fs) {
            Counterexample old = cex.get(Counterexample.key(f.invariant(), f.detail()));
            if (old != null && old.length() <= walk.size()) continue;
            List<Integer> min = Minimiser.minimise(model, walk, f.invariant());
            String det = Minimiser.detail(model, min, f.invariant());
            Counterexample c = new Counterexample(f.invariant(), det, min);
            Counterexample prev = cex.get(Counterexample.key(f.invariant(), det));
            if (prev == null || min.size() < prev.length()) cex.put(Counterexample.key(f.invariant(), det), c);
        }
        return true;
    }

    /** Checks the state, time, cancel and heap bounds; sets {@link #stop} and returns true if one is hit. */
    boolean outOfBudget(long queued) {
        if (seen.size() >= cfg.maxStates()) { stop = Stop.STATES; return true; }
        if (generated >= cfg.maxTransitions()) { stop = Stop.TRANSITIONS; return true; }
        if ((budgetChecks++ & 0x3f) != 0) return false;
        long now = System.nanoTime();
        if (cfg.timeMillis() > 0 && now - start >= cfg.timeMillis() * 1_000_000L) { stop = Stop.TIME; return true; }
        if (cancel.requested()) { stop = Stop.INTERRUPTED; return true; }
        if (budget.heapNearlyFull()) { stop = Stop.MEMORY; return true; }
        if (progress != null && cfg.progressMillis() > 0 && now >= nextProgress) {
            progress.update(stats(queued, false));
            nextProgress = now + cfg.progressMillis() * 1_000_000L;
        }
        return false;
    }

    SearchStats stats(long queued, boolean done) {
        return new SearchStats(generated, seen.size(), queued, depthReached, System.nanoTime() - start, done,
                seen.usingFingerprints(), heldBytes(), trace.offHeapBytes());
    }
}
