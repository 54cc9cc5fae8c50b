package tdisp.sim;

import java.util.Arrays;

/**
 * Where components write their state for the explorer. Two modes share one method per
 * component ({@code save(StateWriter)}):
 * <ul>
 * <li>exact: every field as it is, plus references to {@link Retained} values, so
 *     {@link StateReader} can put the world back precisely (the explorer restores to branch);</li>
 * <li>canonical: only what decides future behaviour, ints only, with VM and device ids
 *     renamed by a slot permutation (VM i owns device i, so the two are renamed together).
 *     Hashing the smallest canonical encoding over all permutations reduces symmetric
 *     states to one representative; history logs and dead buffers are left out.</li>
 * </ul>
 * Reused across states; allocation-free once grown.
 */
public final class StateWriter {
    private int[] ints = new int[256];
    private int n;
    private Retained[] refs = new Retained[32];
    private int m;
    private boolean canonical;
    private int[] perm = {};
    private int[] inv = {};
    /*
     * Attribution (the explorer's footprint checks and its cross-slot test): which slot's
     * section each int belongs to, as (position, slot) marks left by at() and global(), and
     * whether a section names another slot's VM or device.
     */
    private boolean attributing;
    private int cur = -1;
    private boolean cross;
    private int[] marks = new int[32];
    private int nm;

    /** Starts an exact encoding. */
    public void exact(int slots) {
        attributing = false;
        canonical = false;
        identity(slots);
        n = 0;
        m = 0;
    }

    /** Starts a canonical encoding under {@code perm} (slot i is written as slot perm[i]). */
    public void canonical(int[] perm) {
        attributing = false;
        canonical = true;
        if (this.perm.length != perm.length) { this.perm = new int[perm.length]; inv = new int[perm.length]; }
        for (int i = 0; i < perm.length; i++) { this.perm[i] = perm[i]; inv[perm[i]] = i; }
        n = 0;
        m = 0;
    }

    private void identity(int slots) {
        if (perm.length != slots) { perm = new int[slots]; inv = new int[slots]; }
        for (int i = 0; i < slots; i++) { perm[i] = i; inv[i] = i; }
    }

    public boolean isCanonical() { return canonical; }

    /** Number of VM/device slots. */
    public int slots() { return perm.length; }

    /**
     * Starts a canonical encoding under {@code perm} that also records which slot each
     * section belongs to: everything a component writes after {@code at(k)} is slot
     * at(k)'s, until the next at() or global(). Components write their per-slot arrays
     * in {@code for k: s = at(k)} loops, so this needs nothing from them but that.
     */
    public void attribute(int[] perm) {
        canonical(perm);
        attributing = true;
        cur = -1;
        cross = false;
        nm = 0;
    }

    /** The slot written at position k: iterate {@code for k: s = at(k)} over per-slot arrays. */
    public int at(int k) {
        int s = inv[k];
        if (attributing) mark(s);
        return s;
    }

    /**
     * The slot at position k, for a per-slot array inside one slot's section (a VMM's view of
     * every device): the same order as at(k), but the section stays the enclosing slot's.
     */
    public int order(int k) { return inv[k]; }

    /** What follows belongs to no slot (state of the whole host). */
    public void global() { if (attributing) mark(-1); }

    private void mark(int slot) {
        if (nm + 2 > marks.length) marks = Arrays.copyOf(marks, marks.length * 2);
        marks[nm++] = n;
        marks[nm++] = slot;
        cur = slot;
    }

    /** Whether some slot's section named another slot's VM or device (attributing only). */
    public boolean crossSlot() { return cross; }

    /** A hash of the ints in one slot's sections (-1: the host's), in the order written (attributing only). */
    public long sectionHash(int slot) {
        long h = 0xcbf29ce484222325L;
        int owner = -1;
        for (int i = 0, k = 0; i < n; i++) {
            while (k < nm && marks[k] <= i) { owner = marks[k + 1]; k += 2; }
            if (owner != slot) continue;
            h ^= ints[i];
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A VM or device id as written (renamed in canonical mode); -1 stays -1. */
    public int id(int slot) { return slot < 0 ? slot : perm[slot]; }

    public void put(int v) {
        if (n == ints.length) ints = Arrays.copyOf(ints, n * 2);
        ints[n++] = v;
    }

    public void putBool(boolean b) { put(b ? 1 : 0); }

    public void putLong(long v) {
        put((int) v);
        put((int) (v >>> 32));
    }

    private long[] seqBase = new long[0];

    /** Sequence numbers this far from the firmware's expected one all behave alike. */
    public static final int SEQ_WINDOW = 4;

    /** Per VM, the sequence number the firmware expects next: canonical ones are relative to it. */
    public void setSeqBase(long[] base) { seqBase = base; }

    /**
     * A guest-channel sequence number of {@code vm}'s channel. Canonically it is written
     * relative to the firmware's next expected number and clipped to +-SEQ_WINDOW: the
     * firmware refuses anything but the expected number, so a page far in the past stays
     * refused and a guest far ahead (after a refused request) stays out of step, however far.
     */
    public void putSeq(int vm, long seq) {
        if (canonical && vm >= 0 && vm < seqBase.length) put((int) Math.max(-SEQ_WINDOW, Math.min(SEQ_WINDOW, seq - seqBase[vm])));
        else putLong(seq);
    }

    /** An id field (VM or device index, or -1). */
    public void putId(int slot) {
        if (attributing && slot >= 0 && cur >= 0 && slot != cur) cross = true;
        put(id(slot));
    }

    /** A reference (exact mode only; null allowed): canonically a component writes what it means instead. */
    public void putRef(Retained r) {
        if (canonical) throw new IllegalStateException("references have no canonical form; write their meaning");
        if (m == refs.length) refs = Arrays.copyOf(refs, m * 2);
        refs[m++] = r;
    }

    public int size() { return n; }

    /** 64-bit hash of the ints written so far (FNV-1a over ints, then a murmur finaliser). */
    public long hash() {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h ^= ints[i];
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Compares the encoding with another writer's, lexicographically. */
    public int compareTo(StateWriter o) {
        return Arrays.compare(ints, 0, n, o.ints, 0, o.n);
    }

    public int[] ints() { return Arrays.copyOf(ints, n); }

    public Retained[] refs() { return Arrays.copyOf(refs, m); }

    /** The exact encoding taken so far, to restore later. */
    public Snapshot snapshot() { return new Snapshot(ints(), refs()); }

    /** An exact state: ints and {@link Retained} references, read back by a {@link StateReader}. */
    public record Snapshot(int[] ints, Retained[] refs) {}
}
