package tdisp.explore;

import java.util.Locale;

/**
 * Runs one {@link GridModel} search in a JVM of its own (the heap bound is the JVM's
 * -Xmx), prints one summary line and exits 3 if the search stopped before its bounds,
 * as the CLI does. Args: k m target pad depth threads.
 */
final class HeapBoundMain {
    private HeapBoundMain() {}

    public static void main(String[] args) {
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) v[i] = Integer.parseInt(args[i]);
        GridModel shape = new GridModel(v[0], v[1], v[2], v[3]);
        ExplorerConfig c = ExplorerConfig.builder().maxDepth(v[4]).threads(v[5]).exactLimit(0).build();
        ExplorerResult r = new Explorer(() -> new GridModel(shape.k, shape.m, shape.target, shape.pad), c, null).run();
        Counterexample ce = r.shortest("I1");
        System.out.printf(Locale.ROOT, "stop=%s exhausted=%s distinct=%d depth_exhausted=%d shortest=%d max_heap=%d%n",
                r.stop().name().toLowerCase(Locale.ROOT), r.exhausted(), r.distinct(), r.depthExhausted(),
                ce == null ? -1 : ce.length(), Runtime.getRuntime().maxMemory());
        System.exit(r.exhausted() ? 0 : tdisp.cli.ExitCodes.INCOMPLETE);
    }
}
