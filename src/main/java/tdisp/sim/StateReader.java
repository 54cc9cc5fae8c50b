package tdisp.sim;

/** Reads back an exact {@link StateWriter.Snapshot} in the order it was written. */
public final class StateReader {
    private int[] ints;
    private Retained[] refs;
    private int i;
    private int j;

    public StateReader reset(StateWriter.Snapshot s) {
        ints = s.ints();
        refs = s.refs();
        i = 0;
        j = 0;
        return this;
    }

    public int get() { return ints[i++]; }

    public boolean getBool() { return ints[i++] != 0; }

    public long getLong() {
        long lo = ints[i++] & 0xffffffffL;
        long hi = ints[i++];
        return lo | (hi << 32);
    }

    /** The next reference (null when null was written); a ClassCastException if save and load disagree on its type. */
    public <T extends Retained> T getRef(Class<T> type) { return type.cast(refs[j++]); }

    /** True when everything written was read (a check that save and load agree). */
    public boolean atEnd() { return i == ints.length && j == refs.length; }
}
