package tdisp.sim;

/** Reads back an exact {@link StateWriter.Snapshot} in the order it was written. */
public final class StateReader {
    private int[] ints;
    private Object[] objs;
    private int i;
    private int j;

    public StateReader reset(StateWriter.Snapshot s) {
        ints = s.ints();
        objs = s.objs();
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

    @SuppressWarnings("unchecked")
    public <T> T getObj() { return (T) objs[j++]; }

    /** True when everything written was read (a check that save and load agree). */
    public boolean atEnd() { return i == ints.length && j == objs.length; }
}
