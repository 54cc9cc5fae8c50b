package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.Exploration;
import tdisp.explore.Explorer;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.ExploreReport;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;

/** tdisp explore: exhaustive (bounded) search of one strategy on one platform. */
@Command(name = "explore", description = "Search every interleaving of the actors' actions up to the bounds; "
        + "report the shortest counterexample per invariant and write replay files.")
public final class ExploreCommand implements Callable<Integer> {
    @Option(names = "--strategy", required = true, description = "strategy id") String strategy;
    @Option(names = "--platform", required = true, description = "platform id") String platform;
    @CommandLine.Mixin Bounds bounds = new Bounds();
    @Spec CommandSpec spec;

    /** Model size, search bounds and output: shared by explore and rediscover. */
    static final class Bounds {
        @Option(names = "--strategies-dir", description = "directory of *.desc files (default: ${DEFAULT-VALUE})", defaultValue = "${sys:tdisp.home:-.}/strategies")
        Path strategiesDir;

        @Option(names = "--set", description = "override a knob: key=value (repeatable)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--depth", description = "bound on transitions per path (default: ${DEFAULT-VALUE}: bring-up to secure DMA in RUN takes 6-7)", defaultValue = "8")
        int depth;

        @Option(names = "--preemptions", description = "bound on preemptions at lock points per path, -1 = none (default: ${DEFAULT-VALUE})", defaultValue = "0")
        int preemptions;

        @Option(names = "--time", description = "wall-clock bound, e.g. 60s, 2m, 500ms; 0 = none (default: ${DEFAULT-VALUE})", defaultValue = "10m")
        String time;

        @Option(names = "--mode", description = "bfs (shortest counterexamples), dfs, random (default: ${DEFAULT-VALUE})", defaultValue = "bfs")
        String mode;

        @Option(names = "--seed", description = "seed of the model and of random mode (default: ${DEFAULT-VALUE})", defaultValue = "1")
        long seed;

        @Option(names = "--vms", description = "VMs, each with one assigned TDI (default: ${DEFAULT-VALUE})", defaultValue = "1")
        int vms;

        @Option(names = "--devices", description = "TDIs (PCIe functions assigned to VMs, one each); must equal --vms. "
                + "Each TDI is on its own device (DSM) unless --shared-dsm (default: ${DEFAULT-VALUE})", defaultValue = "1")
        int devices;

        @Option(names = "--shared-dsm", description = "put all TDIs on one device: TDI 0 is PF0, the others its VFs, "
                + "one DSM and pci_tsm_pf0::lock (symmetry then only renames VFs)")
        boolean sharedDsm;

        tdisp.world.DsmLayout layout() { return sharedDsm ? tdisp.world.DsmLayout.SHARED_PF0 : tdisp.world.DsmLayout.ONE_PER_TDI; }

        @Option(names = "--max-states", description = "bound on distinct states (default: none)")
        Long maxStates;

        @Option(names = "--exact-states", description = "states kept whole before switching to 64-bit fingerprints (default: ${DEFAULT-VALUE})", defaultValue = "200000")
        long exactStates;

        @Option(names = "--walks", description = "random mode: number of walks (default: until another bound)", defaultValue = "0")
        long walks;

        @Option(names = "--progress", description = "seconds between progress lines on stderr, 0 = none (default: ${DEFAULT-VALUE})", defaultValue = "3")
        int progressSeconds;

        @Option(names = "--threads", description = "bfs search threads; the output is the same for any count (default: the machine's cores)")
        Integer threads;

        @Option(names = "--max-memory", description = "memory for the seen set and trace store, e.g. 512m, 2g (default: 70% of the heap)")
        String maxMemory;

        @Option(names = "--work-dir", description = "keep the trace store (the bfs queue) in a scratch file here instead of the heap")
        Path workDir;

        @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results/explore")
        Path out;

        Explorer.Config config() {
            if (depth < 1) throw new IllegalArgumentException("--depth " + depth + ": must be at least 1");
            if (preemptions < -1) throw new IllegalArgumentException("--preemptions " + preemptions + ": -1 (none) or a count");
            if (vms < 1 || vms > World.MAX_SLOTS) throw new IllegalArgumentException("--vms " + vms + ": the model takes 1.." + World.MAX_SLOTS);
            if (devices != vms) throw new IllegalArgumentException("--devices " + devices + " --vms " + vms + ": each VM is assigned one TDI, give equal counts");
            if (exactStates < 0) throw new IllegalArgumentException("--exact-states " + exactStates + ": must be >= 0");
            Explorer.Mode m = switch (mode) {
                case "bfs" -> Explorer.Mode.BFS;
                case "dfs" -> Explorer.Mode.DFS;
                case "random" -> Explorer.Mode.RANDOM;
                default -> throw new IllegalArgumentException("--mode " + mode + ": expected bfs, dfs or random");
            };
            int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (t < 1) throw new IllegalArgumentException("--threads " + t + ": must be at least 1");
            return Explorer.Config.builder().mode(m).maxDepth(depth).maxStates(maxStates == null ? Long.MAX_VALUE : maxStates)
                    .timeMillis(millis(time)).seed(seed).exactLimit(exactStates).walks(walks).progressMillis(progressSeconds * 1000L)
                    .threads(t).maxMemory(maxMemory == null ? 0 : bytes(maxMemory)).workDir(workDir).cancel(interrupted)
                    .measureHeap(true).build();
        }

        /** Set on SIGINT: the search stops at the next check and the report is still written. */
        final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();

        static long bytes(String v) {
            String s = v.strip().toLowerCase(java.util.Locale.ROOT);
            long unit = 1;
            if (s.endsWith("k")) unit = 1L << 10;
            else if (s.endsWith("m")) unit = 1L << 20;
            else if (s.endsWith("g")) unit = 1L << 30;
            try {
                long n = Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1));
                if (n > 0 && n < Long.MAX_VALUE / unit) return n * unit;
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("--max-memory " + v + ": expected e.g. 512m, 2g or a byte count");
        }

        /** Progress lines on stderr with a stable prefix (CI greps it), or none. */
        Explorer.Progress progress(PrintWriter err) {
            if (progressSeconds <= 0) return null;
            return st -> {
                double secs = Math.max(1e-9, st.elapsedNanos() / 1e9);
                err.printf("explore: %s%,d generated, %,d distinct, %,d queued, depth %d, %,.0f distinct/s, %d MiB held%s%s%n",
                        st.done() ? "done: " : "", st.generated(), st.distinct(), st.queued(), st.depth(), st.distinct() / secs,
                        st.heapBytes() >> 20, st.offHeapBytes() > 0 ? String.format(" + %d MiB in the trace file", st.offHeapBytes() >> 20) : "",
                        st.fingerprints() ? " (64-bit fingerprints)" : "");
                err.flush();
            };
        }

        /**
         * Runs {@code body} with SIGINT turned into a clean stop of the search (the report is
         * written, the exit status says incomplete); the JVM's own handler is put back after.
         */
        <T> T withInterruptStop(java.util.concurrent.Callable<T> body) throws Exception {
            sun.misc.Signal sig = new sun.misc.Signal("INT");
            sun.misc.SignalHandler old;
            try {
                old = sun.misc.Signal.handle(sig, s -> interrupted.set(true));
            } catch (IllegalArgumentException e) {
                return body.call(); // no SIGINT on this platform, or the JVM runs with -Xrs
            }
            try {
                return body.call();
            } finally {
                sun.misc.Signal.handle(sig, old);
            }
        }

        static long millis(String t) {
            String s = t.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                double v = Double.NaN;
                if (s.equals("0")) return 0;
                if (s.endsWith("ms")) v = Double.parseDouble(s.substring(0, s.length() - 2));
                else if (s.endsWith("s")) v = Double.parseDouble(s.substring(0, s.length() - 1)) * 1000;
                else if (s.endsWith("m")) v = Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000;
                if (v >= 0 && v < 1e15) return Math.round(v);
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("--time " + t + ": expected e.g. 60s, 2m, 500ms or 0");
        }

        StrategyCatalog catalog() { return StrategyCatalog.load(strategiesDir); }
    }

    @Override
    public Integer call() throws Exception {
        Explorer.Config cfg = bounds.config();
        StrategyCatalog catalog = bounds.catalog();
        Platform p = Platforms.get(platform);
        catalog.get(strategy).withOverrides(bounds.sets); // fail on a bad id or knob before searching
        PrintWriter err = spec.commandLine().getErr();
        String label = strategy + "-" + p.id() + (bounds.sharedDsm ? "-shared-dsm" : "");
        Exploration.Outcome o = bounds.withInterruptStop(() -> Exploration.run(new Exploration.Spec(label, strategy, bounds.sets, p,
                bounds.vms, bounds.layout(), bounds.preemptions, cfg), catalog, bounds.progress(err)));
        write(List.of(o), bounds.out, "explore", spec.commandLine().getOut());
        return incomplete(List.of(o)) ? ExitCodes.INCOMPLETE : ExitCodes.OK;
    }

    /** A bfs or dfs run that stopped before its depth bound (random search is never exhaustive by design). */
    static boolean incomplete(List<Exploration.Outcome> outcomes) {
        for (Exploration.Outcome o : outcomes) {
            Explorer.Result r = o.run().result();
            if (r.config().mode() != Explorer.Mode.RANDOM && !r.exhausted()) return true;
            if (r.stop() == Explorer.Stop.MEMORY || r.stop() == Explorer.Stop.INTERRUPTED) return true;
        }
        return false;
    }

    /**
     * Writes NAME.csv, NAME.txt, every replay/trace file and the NAME.run-info sidecar (wall
     * time, threads, memory: what differs between machines) in one atomic batch; prints the summary.
     */
    static void write(List<Exploration.Outcome> outcomes, Path dir, String name, PrintWriter out) throws java.io.IOException {
        List<ExploreReport.Run> runs = outcomes.stream().map(Exploration.Outcome::run).toList();
        Map<Path, String> files = new LinkedHashMap<>();
        String txt = ExploreReport.text(runs);
        files.put(dir.resolve(name + ".csv"), ExploreReport.csv(runs));
        files.put(dir.resolve(name + ".txt"), txt);
        files.put(dir.resolve(name + ".run-info"), ExploreReport.runInfo(runs));
        for (Exploration.Outcome o : outcomes) o.files().forEach((rel, content) -> files.put(dir.resolve(rel), content));
        AtomicFiles.writeAll(files);
        out.print(txt);
        long gen = 0, distinct = 0, nanos = 0;
        for (ExploreReport.Run r : runs) {
            gen += r.result().generated();
            distinct += r.result().distinct();
            nanos += r.result().elapsedNanos();
        }
        out.printf("%nwrote %s, %s, %s and %d replay/trace files; %,d distinct states in %.1f s (%,.0f distinct states/min)%n",
                dir.resolve(name + ".csv"), dir.resolve(name + ".txt"), dir.resolve(name + ".run-info"), files.size() - 3, distinct, nanos / 1e9,
                distinct / Math.max(1e-9, nanos / 6e10));
    }
}
