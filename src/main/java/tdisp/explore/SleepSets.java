package tdisp.explore;

import java.util.Arrays;

/**
 * The sleep sets of one breadth-first level's nodes (Godefroid, LNCS 1032, ch. 5), as bit
 * words per node, and an index from state hash to node so that a state reached again on
 * the same level keeps only what every arrival lets it skip (the intersection). Why the
 * intersection is enough in a level-synchronous search: all arrivals at a level are
 * merged before the level is expanded, and an arrival at a deeper level than the state's
 * first is never on a shortest path, so it cannot hide a state at its least depth. A hash
 * shared by two different states (possible only while the seen set is exact) intersects
 * both: a smaller sleep set only explores more.
 */
final class SleepSets {
    final int words;
    private final int base;
    private int count;
    private long[] bits;
    private long[] hashes;
    /** Open addressing over node index + 1 (0 = empty); several nodes may share a hash. */
    private int[] index;

    SleepSets(int words, int base) {
        this.words = words;
        this.base = base;
        this.bits = new long[64 * words];
        this.hashes = new long[64];
        this.index = new int[128];
    }

    static int wordsFor(int actions) { return (actions + 63) >>> 6; }

    /** A new node of this level (its id is base + the number added before), with the sleep set at src[off..]. */
    void add(long hash, long[] src, int off) {
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
            bits = Arrays.copyOf(bits, count * 2 * words);
        }
        if ((count + 1) * 2L > index.length) rehash(index.length * 2);
        hashes[count] = hash;
        System.arraycopy(src, off, bits, count * words, words);
        insert(count);
        count++;
    }

    /** Another arrival at a state already on this level: keeps the intersection. False if no node of this level has the hash. */
    boolean meet(long hash, long[] src, int off) {
        int mask = index.length - 1;
        boolean found = false;
        for (int i = slot(hash, mask); index[i] != 0; i = (i + 1) & mask) {
            int node = index[i] - 1;
            if (hashes[node] != hash) continue;
            found = true;
            for (int k = 0; k < words; k++) bits[node * words + k] &= src[off + k];
        }
        return found;
    }

    /** Copies node id's sleep set into dst (zeros if the node is not of this level). */
    void copy(int id, long[] dst) {
        int node = id - base;
        if (node < 0 || node >= count) { Arrays.fill(dst, 0, words, 0); return; }
        System.arraycopy(bits, node * words, dst, 0, words);
    }

    long heapBytes() { return bits.length * 8L + hashes.length * 8L + index.length * 4L + 64; }

    /** Bytes the next {@link #add} may allocate (the arrays double; the old ones live while copied). */
    long bytesToGrow() {
        long b = 0;
        if (count == hashes.length) b += hashes.length * 16L + bits.length * 16L;
        if ((count + 1) * 2L > index.length) b += index.length * 8L;
        return b;
    }

    private static int slot(long h, int mask) { return (int) (h ^ (h >>> 31)) & mask; }

    private void insert(int node) {
        int mask = index.length - 1;
        int i = slot(hashes[node], mask);
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = node + 1;
    }

    private void rehash(int size) {
        index = new int[size];
        for (int n = 0; n < count; n++) insert(n);
    }
}
