package tdisp.explore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every distinct state the search keeps, as a node of the search tree: its parent's id
 * and the action that led to it (TLC's {@code TLCTrace} keeps the same pointer per state).
 * Nodes are numbered in the order the breadth-first search finds them, so one depth level
 * is a contiguous range of ids and the range is the FIFO queue: a state is rebuilt by
 * replaying its actions from the nearest ancestor whose state is still at hand, instead of
 * storing a snapshot per queued state. Counterexamples are read back by walking parents.
 */
interface TraceStore extends AutoCloseable {
    /** Appends a node; returns its id (0 for the root, whose parent is -1). */
    int add(int parent, int action);

    int parent(int id);

    int action(int id);

    /** Nodes stored. */
    int size();

    /** Bytes held on the Java heap. */
    long heapBytes();

    /** Bytes held outside the heap (mapped file pages). */
    long offHeapBytes();

    @Override
    void close();

    /** The action sequence from the root to node {@code id}, then {@code last} if >= 0. */
    default List<Integer> pathTo(int id, int last) {
        ArrayList<Integer> p = new ArrayList<>();
        if (last >= 0) p.add(last);
        for (int n = id; n > 0; n = parent(n)) p.add(action(n));
        java.util.Collections.reverse(p);
        return List.copyOf(p);
    }

    /** Picks the in-memory store, or the file-backed one when a work directory is given. */
    static TraceStore create(Path workDir) {
        return workDir == null ? new InMemory() : new FileBacked(workDir);
    }

    /**
     * Parents and actions in chunked arrays (no array is ever copied to grow): 6 bytes per
     * node. Actions are kept in a short; models have far fewer than 65536 actions.
     */
    final class InMemory implements TraceStore {
        private static final int SHIFT = 20;
        private static final int CHUNK = 1 << SHIFT;
        private static final int MASK = CHUNK - 1;
        private int[][] parents = new int[16][];
        private short[][] actions = new short[16][];
        private int size;

        @Override
        public int add(int parent, int action) {
            if (action > Character.MAX_VALUE) throw new IllegalArgumentException("action " + action + " out of range");
            int c = size >>> SHIFT;
            if (c == parents.length) {
                parents = Arrays.copyOf(parents, c * 2);
                actions = Arrays.copyOf(actions, c * 2);
            }
            if (parents[c] == null) {
                parents[c] = new int[CHUNK];
                actions[c] = new short[CHUNK];
            }
            parents[c][size & MASK] = parent;
            actions[c][size & MASK] = (short) action;
            if (size == Integer.MAX_VALUE) throw new IllegalStateException("more than 2^31 states");
            return size++;
        }

        @Override public int parent(int id) { return parents[id >>> SHIFT][id & MASK]; }

        @Override public int action(int id) { return actions[id >>> SHIFT][id & MASK] & 0xffff; }

        @Override public int size() { return size; }

        @Override
        public long heapBytes() {
            long chunks = 0;
            for (int[] p : parents) if (p != null) chunks++;
            return chunks * CHUNK * 6L + parents.length * 16L;
        }

        @Override public long offHeapBytes() { return 0; }

        @Override
        public void close() {
            parents = new int[0][];
            actions = new short[0][];
        }
    }

    /**
     * The same records in a memory-mapped file under the work directory, 6 bytes each, in
     * 64 MiB segments: the heap holds only the segment table, the page cache the rest, and
     * the file is deleted on close.
     */
    final class FileBacked implements TraceStore {
        private static final int REC = 6;
        private static final int PER_SEGMENT = (64 << 20) / REC;
        private final Path file;
        private final FileChannel ch;
        /** Sized for 2^31 nodes up front, so readers on other threads never see it resized. */
        private final MappedByteBuffer[] segs = new MappedByteBuffer[Integer.MAX_VALUE / PER_SEGMENT + 1];
        private int mapped;
        private int size;

        FileBacked(Path dir) {
            try {
                Files.createDirectories(dir);
                file = Files.createTempFile(dir, "explore-trace-", ".bin");
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            } catch (IOException e) {
                throw new UncheckedIOException("explore work directory " + dir + ": " + e.getMessage(), e);
            }
        }

        private ByteBuffer seg(int id) {
            int s = id / PER_SEGMENT;
            while (s >= mapped) {
                try {
                    segs[mapped] = ch.map(FileChannel.MapMode.READ_WRITE, (long) mapped * PER_SEGMENT * REC, (long) PER_SEGMENT * REC);
                    mapped++;
                } catch (IOException e) {
                    throw new UncheckedIOException("explore trace file " + file + ": " + e.getMessage(), e);
                }
            }
            return segs[s];
        }

        @Override
        public int add(int parent, int action) {
            if (action > Character.MAX_VALUE) throw new IllegalArgumentException("action " + action + " out of range");
            ByteBuffer b = seg(size);
            int off = (size % PER_SEGMENT) * REC;
            b.putInt(off, parent);
            b.putShort(off + 4, (short) action);
            if (size == Integer.MAX_VALUE) throw new IllegalStateException("more than 2^31 states");
            return size++;
        }

        @Override public int parent(int id) { return segs[id / PER_SEGMENT].getInt((id % PER_SEGMENT) * REC); }

        @Override public int action(int id) { return segs[id / PER_SEGMENT].getShort((id % PER_SEGMENT) * REC + 4) & 0xffff; }

        @Override public int size() { return size; }

        @Override public long heapBytes() { return segs.length * 8L + mapped * 64L; }

        @Override public long offHeapBytes() { return (long) size * REC; }

        @Override
        public void close() {
            Arrays.fill(segs, null);
            try {
                ch.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the file is a scratch file marked delete-on-close; nothing to report
            }
        }
    }
}
