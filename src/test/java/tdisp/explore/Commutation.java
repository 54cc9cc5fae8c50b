package tdisp.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tdisp.sim.StateWriter;

/**
 * Checks a model's independence claims by running them: from each given state, every
 * pair of enabled actions declared independent is run in both orders, and each order
 * must keep the other action enabled, end in the same canonical state, and let each
 * action report what it reports when it runs first (findings, goal, history facts).
 */
final class Commutation {
    private Commutation() {}

    /** Up to {@code max} states reachable from the initial one, breadth-first to {@code depth}, as snapshots. */
    static List<StateWriter.Snapshot> reachable(Model m, int depth, int max) {
        List<StateWriter.Snapshot> out = new ArrayList<>();
        Set<List<Integer>> seen = new HashSet<>();
        m.reset();
        List<StateWriter.Snapshot> level = List.of(m.save());
        seen.add(key(m));
        out.addAll(level);
        for (int d = 0; d < depth && out.size() < max; d++) {
            List<StateWriter.Snapshot> next = new ArrayList<>();
            for (StateWriter.Snapshot s : level) {
                for (int a = 0; a < m.actionCount() && out.size() + next.size() < max; a++) {
                    m.load(s);
                    if (!m.enabled(a)) continue;
                    m.apply(a);
                    m.historyFacts();
                    if (!m.findings().isEmpty() || !seen.add(key(m))) continue;
                    next.add(m.save());
                }
            }
            out.addAll(next);
            level = next;
        }
        return out;
    }

    /**
     * States met on seeded random walks of up to {@code depth} actions from the initial
     * state (stopping at a violation): deep states (bound devices, RUN, teardown half-way)
     * that a breadth-first sample of the same size never reaches.
     */
    static List<StateWriter.Snapshot> walks(Model m, long seed, int walks, int depth) {
        java.util.Random rnd = new java.util.Random(seed);
        List<StateWriter.Snapshot> out = new ArrayList<>();
        Set<List<Integer>> seen = new HashSet<>();
        int[] en = new int[m.actionCount()];
        for (int w = 0; w < walks; w++) {
            m.reset();
            for (int d = 0; d < depth; d++) {
                int k = 0;
                for (int a = 0; a < m.actionCount(); a++) if (m.enabled(a)) en[k++] = a;
                if (k == 0) break;
                m.apply(en[rnd.nextInt(k)]);
                m.historyFacts();
                if (!m.findings().isEmpty()) break;
                StateWriter.Snapshot s = m.save();
                if (seen.add(key(m))) out.add(s);
                m.load(s);
            }
        }
        return out;
    }

    private static List<Integer> key(Model m) {
        return Arrays.stream(m.canonical().ints()).boxed().toList();
    }

    /** What one action did: its findings, goal and history facts, as comparable text. */
    static String effect(Model m, int a) {
        m.apply(a);
        // Facts are records: their text is their content.
        return m.findings() + " goal=" + m.goalReached() + " facts=" + m.historyFacts();
    }

    /**
     * Runs x then y from s: the canonical state after both, with y's effect in {@code effect[0]};
     * null if x already breaks an invariant (a dead end), empty with the message in
     * {@code effect[0]} if x disables y.
     */
    private static int[] inOrder(Model m, StateWriter.Snapshot s, int x, int y, String[] effect) {
        m.load(s);
        effect(m, x);
        if (!m.findings().isEmpty()) return null;
        if (!m.enabled(y)) {
            effect[0] = m.actionName(y) + " disabled by " + m.actionName(x);
            return new int[0];
        }
        effect[0] = effect(m, y);
        return m.canonical().ints();
    }

    /** The first broken claim as a message, or null; {@code pairs[0]} counts the pairs checked. */
    static String firstBroken(Model m, List<StateWriter.Snapshot> states, long[] pairs) {
        for (StateWriter.Snapshot s : states) {
            for (int a = 0; a < m.actionCount(); a++) {
                for (int b = a + 1; b < m.actionCount(); b++) {
                    m.load(s);
                    if (!m.enabled(a) || !m.enabled(b) || !m.independent(a, b)) continue;
                    pairs[0]++;
                    m.load(s);
                    String aFirst = effect(m, a);
                    m.load(s);
                    String bFirst = effect(m, b);
                    String[] bSecond = new String[1], aSecond = new String[1];
                    int[] ab = inOrder(m, s, a, b, bSecond);
                    int[] ba = inOrder(m, s, b, a, aSecond);
                    // A first action that breaks an invariant is a dead end, but the other
                    // order still runs it second: it must break the same invariants there.
                    if (ab != null && ab.length == 0) return bSecond[0];
                    if (ba != null && ba.length == 0) return aSecond[0];
                    String where = " (" + m.actionName(a) + ", " + m.actionName(b) + ")";
                    if (ab != null && ba != null && !Arrays.equals(ab, ba)) return "the two orders end in different states" + where;
                    if (ba != null && !aFirst.equals(aSecond[0])) return m.actionName(a) + " reports " + aSecond[0] + " after the other, " + aFirst + " first" + where;
                    if (ab != null && !bFirst.equals(bSecond[0])) return m.actionName(b) + " reports " + bSecond[0] + " after the other, " + bFirst + " first" + where;
                }
            }
        }
        return null;
    }
}
