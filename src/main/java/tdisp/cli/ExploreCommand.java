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

        @Option(names = "--depth", description = "bound on transitions per path (default: ${DEFAULT-VALUE})", defaultValue = "5")
        int depth;

        @Option(names = "--preemptions", description = "bound on preemptions at lock points per path, -1 = none (default: ${DEFAULT-VALUE})", defaultValue = "0")
        int preemptions;

        @Option(names = "--time", description = "wall-clock bound, e.g. 60s, 2m, 500ms; 0 = none (default: ${DEFAULT-VALUE})", defaultValue = "60s")
        String time;

        @Option(names = "--mode", description = "bfs (shortest counterexamples), dfs, random (default: ${DEFAULT-VALUE})", defaultValue = "bfs")
        String mode;

        @Option(names = "--seed", description = "seed of the model and of random mode (default: ${DEFAULT-VALUE})", defaultValue = "1")
        long seed;

        @Option(names = "--vms", description = "VMs, each with one assigned TDI (default: ${DEFAULT-VALUE})", defaultValue = "2")
        int vms;

        @Option(names = "--devices", description = "TDIs (PCIe functions assigned to VMs, one each); must equal --vms. "
                + "Each TDI is on its own device (DSM) unless --shared-dsm (default: ${DEFAULT-VALUE})", defaultValue = "2")
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
            return new Explorer.Config(m, depth, maxStates == null ? Long.MAX_VALUE : maxStates, millis(time), seed, exactStates, walks,
                    progressSeconds * 1000L);
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
        Exploration.Outcome o = Exploration.run(new Exploration.Spec(label, strategy, bounds.sets, p, bounds.vms, bounds.layout(),
                bounds.preemptions, cfg), catalog, bounds.progressSeconds > 0 ? err : null);
        write(List.of(o), bounds.out, "explore", spec.commandLine().getOut());
        return 0;
    }

    /** Writes NAME.csv, NAME.txt and every replay/trace file in one atomic batch; prints the summary. */
    static void write(List<Exploration.Outcome> outcomes, Path dir, String name, PrintWriter out) throws java.io.IOException {
        List<ExploreReport.Run> runs = outcomes.stream().map(Exploration.Outcome::run).toList();
        Map<Path, String> files = new LinkedHashMap<>();
        String txt = ExploreReport.text(runs);
        files.put(dir.resolve(name + ".csv"), ExploreReport.csv(runs));
        files.put(dir.resolve(name + ".txt"), txt);
        for (Exploration.Outcome o : outcomes) o.files().forEach((rel, content) -> files.put(dir.resolve(rel), content));
        AtomicFiles.writeAll(files);
        out.print(txt);
        long gen = 0, distinct = 0, nanos = 0;
        for (ExploreReport.Run r : runs) {
            gen += r.result().generated();
            distinct += r.result().distinct();
            nanos += r.result().elapsedNanos();
        }
        out.printf("%nwrote %s, %s and %d replay/trace files; %,d distinct states in %.1f s (%,.0f distinct states/min)%n",
                dir.resolve(name + ".csv"), dir.resolve(name + ".txt"), files.size() - 2, distinct, nanos / 1e9,
                distinct / Math.max(1e-9, nanos / 6e10));
    }
}
