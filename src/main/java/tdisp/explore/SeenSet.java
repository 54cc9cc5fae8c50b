package tdisp.explore;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The set of states already seen. Up to {@code exactLimit} states it keeps each state's
 * whole canonical encoding, so a hit is a proof. Past the limit it switches, as TLC
 * always works, to 64-bit fingerprints in an open-addressing table: memory per state
 * drops to 8 bytes (at the table's 3/4 load, 11 to 21) at the price of a small chance
 * that two states share a fingerprint and one is never explored.
 * {@link #collisionProbability} reports that chance the way TLC's "calculated
 * (optimistic)" line does. Not thread-safe: the parallel search adds from one thread at
 * a time, in the sequential order.
 */
final class SeenSet {
    private final long exactLimit;
    private Set<Key> exact = new HashSet<>();
    private long[] table;
    private int size;
    private boolean fingerprints;
    /** Ints held by the exact set (its memory estimate). */
    private long exactInts;

    private record Key(int[] ints, long hash) {
        @Override
        public boolean equals(Object o) { return o instanceof Key k && k.hash == hash && Arrays.equals(k.ints, ints); }

        @Override
        public int hashCode() { return (int) (hash ^ (hash >>> 32)); }
    }

    SeenSet(long exactLimit) {
        this.exactLimit = exactLimit;
        if (exactLimit <= 0) switchToFingerprints();
    }

    /**
     * @param h the canonical encoding's 64-bit hash
     * @param ints the encoding itself; needed while the set is exact, ignored after
     * @return true if the state was not seen before (and is now)
     */
    boolean add(long h, int[] ints) {
        if (!fingerprints) {
            if (!exact.add(new Key(ints, h))) return false;
            size++;
            exactInts += ints.length;
            if (size > exactLimit) switchToFingerprints();
            return true;
        }
        return addFingerprint(h);
    }

    private void switchToFingerprints() {
        fingerprints = true;
        table = new long[1 << 16];
        size = 0;
        if (exact != null) for (Key k : exact) addFingerprint(k.hash);
        exact = null;
        exactInts = 0;
    }

    // Zero marks an empty slot; a real fingerprint of 0 is stored as 1 (one more collision chance in 2^64).
    private boolean addFingerprint(long h) {
        if (h == 0) h = 1;
        if (full()) grow();
        int mask = table.length - 1;
        int i = (int) (h ^ (h >>> 29)) & mask;
        while (table[i] != 0) {
            if (table[i] == h) return false;
            i = (i + 1) & mask;
        }
        table[i] = h;
        size++;
        return true;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long h : old) {
            if (h == 0) continue;
            int i = (int) (h ^ (h >>> 29)) & mask;
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = h;
        }
    }

    private boolean full() { return (size + 1) * 4L > table.length * 3L; }

    int size() { return size; }

    /**
     * Bytes the next {@link #add} may allocate beyond what is held: a doubled table (the
     * old one is live while it is copied), or at the switch from exact the first table.
     */
    long bytesToGrow() {
        if (!fingerprints) return size + 1 > exactLimit ? tableBytesFor(size + 1) + 88L + 16 : 88L + 16 + 4L * 64;
        return full() ? table.length * 16L : 0;
    }

    private static long tableBytesFor(long n) {
        long cap = 1 << 16;
        while (n * 4 > cap * 3) cap *= 2;
        return cap * 8;
    }

    /** Estimated heap bytes held: the exact entries (key, array, hash node) or the table. */
    long heapBytes() {
        if (!fingerprints) return size * (88L + 16) + exactInts * 4;
        return table.length * 8L + 16;
    }

    boolean usingFingerprints() { return fingerprints; }

    /**
     * TLC's second estimate, "based on the actual fingerprints": with the fingerprints
     * sorted, about the largest 1/|fi - fj| over neighbours (Broder's rule of thumb quoted
     * in TLC's CheckFP). Zero while the set is exact or has fewer than two entries. Ends
     * the set: call it once, after the search.
     */
    double actualFingerprintEstimate() {
        if (!fingerprints || size < 2) return 0;
        // Sorted in place: a copy could be the allocation that breaks the memory budget.
        long[] fps = table;
        int n = 0;
        for (long h : table) if (h != 0) fps[n++] = h;
        Arrays.fill(fps, n, fps.length, 0);
        Arrays.sort(fps, 0, n);
        table = null;
        double worst = 0;
        for (int i = 1; i < n; i++) {
            double gap = (double) fps[i] - (double) fps[i - 1];
            if (gap > 0) worst = Math.max(worst, 1.0 / gap);
        }
        return worst;
    }

    /**
     * TLC's optimistic estimate of the probability that some state was wrongly taken for
     * one already seen: n(m - n) / 2^64 for n distinct states among m generated (each of
     * the m - n repeat lookups, and each new state, hit one of n fingerprints at random).
     * Zero while the set is exact.
     */
    static double collisionProbability(long distinct, long generated, boolean fingerprints) {
        if (!fingerprints) return 0;
        return (double) distinct * (double) Math.max(0, generated - distinct) / 0x1p64;
    }
}
