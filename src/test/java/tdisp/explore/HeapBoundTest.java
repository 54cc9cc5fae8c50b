package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tdisp.cli.ExitCodes;

/**
 * The explorer under a real heap bound, each search in a forked JVM with a small -Xmx: a
 * search too big for the heap ends with a summary and the incomplete status, never an
 * OutOfMemoryError; and a planted bug in a space the old design (a snapshot per queued
 * state) could not hold in that heap is found, shortest.
 */
class HeapBoundTest {
    record Run(int code, String out) {}

    private static Run fork(String xmx, int k, int m, int target, int pad, int depth) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                HeapBoundMain.class.getName(), "" + k, "" + m, "" + target, "" + pad, "" + depth, "2"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forked search did not end");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void aSearchTooBigForA128MegabyteHeapStopsOnMemoryWithASummaryNotAStackTrace() throws Exception {
        // 12^8 = 430 M states: far more than 128 MiB holds at any encoding.
        Run r = fork("128m", 8, 12, 2, 0, 100);
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.out());
        assertFalse(r.out().contains("OutOfMemoryError"), r.out());
        assertTrue(r.out().startsWith("stop=memory exhausted=false "), r.out());
        assertTrue(r.out().contains(" shortest=16 "), "the planted violation (depth 16) was found before the stop: " + r.out());
    }

    /** Vectors of k counters in 0..m-1 whose sum is s: the size of BFS level s of a grid model. */
    static long level(int k, int m, int s) {
        long[] ways = new long[s + 1];
        ways[0] = 1;
        for (int i = 0; i < k; i++) {
            long[] next = new long[s + 1];
            for (int t = 0; t <= s; t++) for (int v = 0; v < m && v <= t; v++) next[t] += ways[t - v];
            ways = next;
        }
        return ways[s];
    }

    @Test
    void aPlantedBugBeyondWhatASnapshotPerQueuedStateFitsIn128MegabytesIsFoundShortest() throws Exception {
        int k = 6, m = 10, target = 6, pad = 600;
        // The old explorer queued a whole snapshot per state: at least the ints (4 bytes each)
        // plus three object headers. Its widest level alone would not fit in the heap.
        long widest = 0;
        for (int s = 0; s <= k * (m - 1); s++) widest = Math.max(widest, level(k, m, s));
        long snapshotBytes = 4L * (k + pad) + 3 * 16;
        assertTrue(widest * snapshotBytes > 128L << 20, widest + " x " + snapshotBytes);
        Run r = fork("128m", k, m, target, pad, 100);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("stop=complete exhausted=true distinct=999999 "), r.out());
        assertTrue(r.out().contains(" shortest=36 "), "6 increments on each of 6 counters: " + r.out());
    }
}
