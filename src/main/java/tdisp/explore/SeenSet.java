package tdisp.explore;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The set of states already seen. Up to {@code exactLimit} states it keeps each state's
 * whole canonical encoding, so a hit is a proof. Past the limit it switches, as TLC
 * always works, to 64-bit fingerprints in an open-addressing table: memory per state
 * drops to 8 bytes (at 50% load, 16) at the price of a small chance that two states
 * share a fingerprint and one is never explored. {@link #collisionProbability} reports
 * that chance the way TLC's "calculated (optimistic)" line does.
 */
final class SeenSet {
    private final long exactLimit;
    private Set<Key> exact = new HashSet<>();
    private long[] table;
    private int size;
    private boolean fingerprints;

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

    /** @return true if the state was not seen before (and is now) */
    boolean add(tdisp.sim.StateWriter canonical) {
        long h = canonical.hash();
        if (!fingerprints) {
            if (!exact.add(new Key(canonical.ints(), h))) return false;
            size++;
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
    }

    // Zero marks an empty slot; a real fingerprint of 0 is stored as 1 (one more collision chance in 2^64).
    private boolean addFingerprint(long h) {
        if (h == 0) h = 1;
        if ((size + 1) * 2L > table.length) grow();
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

    int size() { return size; }

    boolean usingFingerprints() { return fingerprints; }

    /**
     * TLC's second estimate, "based on the actual fingerprints": with the fingerprints
     * sorted, about the largest 1/|fi - fj| over neighbours (Broder's rule of thumb quoted
     * in TLC's CheckFP). Zero while the set is exact or has fewer than two entries.
     */
    double actualFingerprintEstimate() {
        if (!fingerprints || size < 2) return 0;
        long[] fps = new long[size];
        int n = 0;
        for (long h : table) if (h != 0) fps[n++] = h;
        Arrays.sort(fps);
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
