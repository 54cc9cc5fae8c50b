package tdisp.explore;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import tdisp.sim.StateWriter;

/**
 * Explicit-state search over a {@link Model}: breadth-first (shortest counterexamples,
 * like TLC), depth-first, or seeded random walks with counterexample minimisation (like
 * DSLabs). Every state reached is checked against every invariant by the model; a state
 * that violates one is reported and not expanded further. Bounds: depth, distinct
 * states, wall-clock time. The clock bounds the search only; it never enters the model,
 * so a run that stops on depth or state count is the same on every machine.
 */
public final class Explorer {
    public enum Mode { BFS, DFS, RANDOM }

    public enum Stop { COMPLETE, DEPTH, STATES, TIME, WALKS, INTERRUPTED }

    /**
     * @param exactLimit states kept whole before switching to 64-bit fingerprints
     * @param walks random mode: number of walks (0 = until another bound)
     * @param progressMillis interval of the stderr progress line (0 = none)
     */
    public record Config(Mode mode, int maxDepth, long maxStates, long timeMillis, long seed, long exactLimit,
                         long walks, long progressMillis) {
        public static Config bfs(int depth) { return new Config(Mode.BFS, depth, Long.MAX_VALUE, 0, 1, 1_000_000, 0, 0); }

        public Config withMode(Mode m) { return new Config(m, maxDepth, maxStates, timeMillis, seed, exactLimit, walks, progressMillis); }

        public Config withSeed(long s) { return new Config(mode, maxDepth, maxStates, timeMillis, s, exactLimit, walks, progressMillis); }

        public Config withWalks(long w) { return new Config(mode, maxDepth, maxStates, timeMillis, seed, exactLimit, w, progressMillis); }

        public Config withExactLimit(long l) { return new Config(mode, maxDepth, maxStates, timeMillis, seed, l, walks, progressMillis); }

        public Config withMaxStates(long l) { return new Config(mode, maxDepth, l, timeMillis, seed, exactLimit, walks, progressMillis); }
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

    static int keyOrder(String a, String b) {
        int c = invariantOrder(a.substring(0, a.indexOf('@')), b.substring(0, b.indexOf('@')));
        return c != 0 ? c : a.compareTo(b);
    }

    public record Result(Config config, long generated, long distinct, int depthReached, Stop stop, boolean exhausted,
                         long frontierAtBound, Map<String, Counterexample> counterexamples, List<Integer> goal,
                         boolean[] covered, boolean fingerprints, double collisionOptimistic, double collisionActual,
                         long elapsedNanos) {
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

        public int coveredCount() {
            int n = 0;
            for (boolean b : covered) if (b) n++;
            return n;
        }
    }

    private final Model model;
    private final Config cfg;
    private final PrintWriter progress;
    private final int actions;
    private final boolean[] covered;
    private final Map<String, Counterexample> cex = new TreeMap<>(Explorer::keyOrder);
    private List<Integer> goal;
    private long generated;
    private int depthReached;
    private final long start;
    private long nextProgress;
    private final SeenSet seen;
    private Stop stop = Stop.COMPLETE;

    public Explorer(Model model, Config cfg, PrintWriter progress) {
        this.model = model;
        this.cfg = cfg;
        this.progress = progress;
        this.actions = model.actionCount();
        this.covered = new boolean[actions];
        this.seen = new SeenSet(cfg.exactLimit());
        this.start = System.nanoTime();
        this.nextProgress = start + cfg.progressMillis() * 1_000_000L;
    }

    private boolean stopAtGoal;
    private java.util.function.BooleanSupplier interrupted = () -> false;

    /** Stop, as on a bound, once {@code requested} says so (a signal; checked with the time bound). */
    public Explorer stopWhen(java.util.function.BooleanSupplier requested) {
        interrupted = requested;
        return this;
    }

    /** Stop as soon as the goal is reached (a reachability proof, not a safety check). */
    public Explorer stopAtGoal() {
        stopAtGoal = true;
        return this;
    }

    static int invariantOrder(String a, String b) {
        return Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
    }

    public Result run() {
        model.reset();
        StateWriter.Snapshot init = model.save();
        seen.add(model.canonical());
        long frontier = switch (cfg.mode()) {
            case BFS -> bfs(init);
            case DFS -> dfs(init);
            case RANDOM -> random(init);
        };
        if (progress != null && cfg.progressMillis() > 0) progressLine(frontier, true);
        long distinct = seen.size();
        boolean fp = seen.usingFingerprints();
        return new Result(cfg, generated, distinct, depthReached, stop,
                stop == Stop.COMPLETE || stop == Stop.DEPTH, frontier, cex, goal, covered, fp,
                SeenSet.collisionProbability(distinct, generated, fp), seen.actualFingerprintEstimate(), System.nanoTime() - start);
    }

    // ---- breadth-first ----

    private record Node(StateWriter.Snapshot state, int id, int depth) {}

    private int[] parent = new int[1024];
    private int[] via = new int[1024];
    private int nodes;

    private int addNode(int parentId, int action) {
        if (nodes == parent.length) {
            parent = Arrays.copyOf(parent, nodes * 2);
            via = Arrays.copyOf(via, nodes * 2);
        }
        parent[nodes] = parentId;
        via[nodes] = action;
        return nodes++;
    }

    private List<Integer> pathTo(int id, int last) {
        ArrayList<Integer> p = new ArrayList<>();
        if (last >= 0) p.add(last);
        for (int n = id; n > 0; n = parent[n]) p.add(via[n]);
        java.util.Collections.reverse(p);
        return List.copyOf(p);
    }

    private long bfs(StateWriter.Snapshot init) {
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(new Node(init, addNode(-1, -1), 0));
        long atBound = 0;
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            if (n.depth >= cfg.maxDepth()) {
                atBound++;
                if (stop == Stop.COMPLETE) stop = Stop.DEPTH;
                continue;
            }
            if (outOfBudget(queue.size())) return atBound + queue.size() + 1;
            boolean dirty = true;
            for (int a = 0; a < actions; a++) {
                if (dirty) { model.load(n.state); dirty = false; }
                if (!model.enabled(a)) continue;
                model.apply(a);
                dirty = true;
                generated++;
                covered[a] = true;
                if (model.goalReached() && goal == null) {
                    goal = pathTo(n.id, a);
                    if (stopAtGoal) return atBound + queue.size() + 1;
                }
                if (report(n.id, a, null)) continue;
                if (seen.add(model.canonical())) {
                    queue.add(new Node(model.save(), addNode(n.id, a), n.depth + 1));
                    depthReached = Math.max(depthReached, n.depth + 1);
                }
            }
        }
        return atBound;
    }

    /** Records first violations; true if the state violated something (a dead end). */
    private boolean report(int id, int a, List<Integer> walk) {
        List<Model.Finding> fs = model.findings();
        if (fs.isEmpty()) return false;
        for (Model.Finding f : fs) {
            String k = key(f.invariant(), f.detail());
            Counterexample old = cex.get(k);
            if (walk == null) {
                if (old == null) cex.put(k, new Counterexample(f.invariant(), f.detail(), pathTo(id, a)));
            } else {
                if (old != null && old.length() <= walk.size()) continue;
                List<Integer> min = Minimiser.minimise(model, walk, f.invariant());
                String d = Minimiser.detail(model, min, f.invariant());
                Counterexample c = new Counterexample(f.invariant(), d, min);
                Counterexample prev = cex.get(key(f.invariant(), d));
                if (prev == null || min.size() < prev.length()) cex.put(key(f.invariant(), d), c);
            }
        }
        return true;
    }

    // ---- depth-first (stateful; not shortest) ----

    private long dfs(StateWriter.Snapshot init) {
        record Frame(StateWriter.Snapshot state, int id, int depth, int[] next) {}
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(init, addNode(-1, -1), 0, new int[1]));
        long atBound = 0;
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.depth >= cfg.maxDepth()) {
                atBound++;
                if (stop == Stop.COMPLETE) stop = Stop.DEPTH;
                stack.pop();
                continue;
            }
            if (outOfBudget(stack.size())) return atBound + stack.size();
            int a = f.next[0]++;
            if (a >= actions) { stack.pop(); continue; }
            model.load(f.state);
            if (!model.enabled(a)) continue;
            model.apply(a);
            generated++;
            covered[a] = true;
            if (model.goalReached() && goal == null) goal = pathTo(f.id, a);
            if (report(f.id, a, null)) continue;
            if (seen.add(model.canonical())) {
                stack.push(new Frame(model.save(), addNode(f.id, a), f.depth + 1, new int[1]));
                depthReached = Math.max(depthReached, f.depth + 1);
            }
        }
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
                seen.add(model.canonical());
            }
        }
    }

    // ---- bounds and progress ----

    private boolean outOfBudget(long queued) {
        if ((generated & 0xff) == 0 || seen.size() >= cfg.maxStates()) {
            long now = System.nanoTime();
            if (seen.size() >= cfg.maxStates()) { stop = Stop.STATES; return true; }
            if (interrupted.getAsBoolean()) { stop = Stop.INTERRUPTED; return true; }
            if (cfg.timeMillis() > 0 && now - start >= cfg.timeMillis() * 1_000_000L) { stop = Stop.TIME; return true; }
            if (progress != null && cfg.progressMillis() > 0 && now >= nextProgress) {
                progressLine(queued, false);
                nextProgress = now + cfg.progressMillis() * 1_000_000L;
            }
        }
        return false;
    }

    private void progressLine(long queued, boolean last) {
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        progress.printf("explore: %s%,d generated, %,d distinct, %,d queued, depth %d, %,.0f distinct/s%s%n",
                last ? "done: " : "", generated, seen.size(), queued, depthReached, seen.size() / secs,
                seen.usingFingerprints() ? " (64-bit fingerprints)" : "");
        progress.flush();
    }
}
