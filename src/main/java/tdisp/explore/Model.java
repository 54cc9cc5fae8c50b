package tdisp.explore;

import java.util.List;

import tdisp.sim.StateWriter;

/**
 * What the explorer needs from a system: numbered actions, an initial state, a way to
 * apply one action and see which invariants it broke, and exact save/load plus a
 * canonical encoding of states. {@link WorldModel} is the TDISP host stack; tests plug in
 * small models with known answers.
 */
public interface Model {
    int actionCount();

    /** A stable, human-readable name (used in replay files, so it must round-trip). */
    String actionName(int a);

    /** Back to the initial state. */
    void reset();

    /** Whether action a can run in the current state. Must not change the state. */
    boolean enabled(int a);

    /**
     * Whether actions a and b, both enabled in the current state, commute here in every way
     * the search can see (conditional independence, Godefroid and Pirottin, CAV 1993): each
     * stays enabled after the other, both orders lead to states with the same canonical
     * encoding, and each reports the same findings, goal and history facts whichever runs
     * first (the visibility condition: neither changes what the other's step breaks). A
     * model answers from declared footprints; false is always sound. Must not change the
     * state. The search may ask before checking that b is enabled, and then ignores the
     * answer if it is not. The breadth-first search prunes with it by sleep sets.
     */
    default boolean independent(int a, int b) { return false; }

    /** Runs an enabled action and checks every invariant on the state it leads to. */
    void apply(int a);

    /** Invariants the last {@link #apply} violated, in invariant order, first detail each. */
    List<Finding> findings();

    /** True if the last {@link #apply} reached the goal (proof the model is not vacuous). */
    boolean goalReached();

    StateWriter.Snapshot save();

    void load(StateWriter.Snapshot s);

    /**
     * The canonical encoding of the current state, smallest over the model's symmetries;
     * the writer is valid until the next call.
     */
    StateWriter canonical();

    /**
     * The always-properties (invariants) the model checks, by id, in the order reports
     * list them (Stateright's {@code properties()}). Findings use these ids.
     */
    List<String> invariants();

    /**
     * What the last {@link #apply} contributes to a property of the whole search rather
     * than of one state (the host stack's lockdep graph), or null if nothing.
     */
    default List<HistoryFact> historyFacts() { return null; }

    /**
     * A fresh checker of those properties, or null if the model has none. The explorer
     * feeds it every expanded transition's facts once, in the sequential search order, so
     * what it finds does not depend on how many models searched in parallel.
     */
    default HistoryCheck historyCheck() { return null; }

    /** Turns one transition's facts into findings (empty if none). */
    @FunctionalInterface
    interface HistoryCheck { List<Finding> check(List<HistoryFact> facts); }

    /**
     * One fact of a transition for a property of the whole search: an ordering edge
     * {@code from -> to} observed at {@code site} (lockdep: {@code to} taken while
     * {@code from} is held, at a kernel step). The checker builds its graph from them.
     */
    record HistoryFact(String from, String to, String site) {}

    /** One violated invariant: id (one of {@link #invariants()}) and the first detail. */
    record Finding(String invariant, String detail) {}
}
