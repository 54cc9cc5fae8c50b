package tdisp.world;

/**
 * One invariant as a value, as Stateright's properties are (a name and its condition): its
 * id ("I1".."I11"), what it says, its kind (a rule someone else wrote, or this project's
 * policy) with the reason, and where its condition is checked.
 *
 * @param description the invariant's name, a colon, and its one-line meaning
 */
public record Invariant(String id, String description, Invariants.Kind kind, String why, Check check) {
    /** The name before the description's colon ("firmware-refusal-handled"). */
    public String name() {
        int colon = description.indexOf(':');
        return colon < 0 ? description : description.substring(0, colon);
    }

    /** Where an invariant's condition is evaluated. */
    public enum Check {
        /** {@link Invariants#check}, after every step, from the components' own records. */
        STEP,
        /**
         * Where the freed object is used (KRef, kvm_get_kvm), and after every step for a
         * pci_tdi left pointing at a destroyed kvm.
         */
        USE,
        /** The lock-order graph (Sim.lock; over the whole search, the explorer's history check). */
        LOCK_ORDER,
        /** The scheduler, when no thread can run or the step limit is hit (in the explorer, WorldModel's deadlock check). */
        PROGRESS
    }
}
