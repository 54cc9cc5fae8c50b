package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.explore.Exploration;
import tdisp.explore.Explorer;
import tdisp.explore.ExplorerConfig;
import tdisp.explore.ExplorerResult;
import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.report.AtomicFiles;
import tdisp.report.ExploreReport;
import tdisp.world.World;

/** tdisp explore: exhaustive (bounded) search of one strategy on one platform. */
@Command(name = "explore", description = "Search every interleaving of the actors' actions up to the bounds; "
        + "report the shortest counterexample per invariant and write replay files.")
final class ExploreCommand implements Callable<Integer>, Validated {
    @Option(names = {"--strategy", "--strategies"}, paramLabel = "ID", required = true, description = "strategy id (`tdisp list`)")
    String strategy;

    @Option(names = {"--platform", "--platforms"}, paramLabel = "ID", required = true,
            completionCandidates = Converters.PlatformIds.class, converter = Converters.PlatformConverter.class, description = "platform id: ${COMPLETION-CANDIDATES}")
    Platform platform;

    @Mixin Bounds bounds = new Bounds();
    @Spec CommandSpec spec;

    @Option(names = "--start", paramLabel = "X",
            description = "search from a reached state instead of the clean boot: a bring-up stage on every slot ("
                    + "bound, locked, run, dma), a scenario's prefix on every slot (e.g. happy-bringup: every TDI in RUN with secure DMA), "
                    + "or a replay file's actions; depth counts from there, replay files hold the whole path")
    String start;

    @Option(names = "--actions", paramLabel = "GLOB", split = ",",
            description = "search only actions whose name matches one of these globs (* and ?; names as the report prints them, "
                    + "e.g. 'guest? *', 'vmm1 close-*'); default: every action. A started action always continues")
    List<String> only = List.of();

    @Option(names = "--skip-actions", paramLabel = "GLOB", split = ",",
            description = "leave out actions whose name matches one of these globs, e.g. '* tamper-request,* capture-request,* replay-request'")
    List<String> skip = List.of();

    /** --actions and --skip-actions, each glob checked against this run's action names. */
    private tdisp.explore.ActionFilter actions = tdisp.explore.ActionFilter.ALL;

    /** --start resolved on a model of this run (the clean boot when not given). */
    private tdisp.explore.Start resolvedStart = tdisp.explore.Start.CLEAN_BOOT;

    /** Model size, search bounds and output: shared by explore and rediscover (a picocli mixin). */
    static final class Bounds implements Validated {
        @Mixin CatalogOptions catalog = new CatalogOptions();
        @Mixin SetOptions sets = new SetOptions();
        @Mixin SeedOption seed = new SeedOption();
        @Mixin ProgressOptions progress = new ProgressOptions();
        @Mixin OutOption out = new OutOption();

        @Option(names = "--depth", paramLabel = "N", defaultValue = "" + ExplorerConfig.DEFAULT_DEPTH, description = "bound on transitions per path")
        int depth;

        @Option(names = "--preemptions", paramLabel = "N", defaultValue = "" + ExplorerConfig.DEFAULT_PREEMPTIONS,
                description = "bound on preemptions at lock points per path; -1 = none")
        int preemptions;

        /** explore's wall-clock bound unless --time says otherwise (report's search uses it too). */
        static final String DEFAULT_TIME = "10m";

        @Option(names = "--time", paramLabel = "DURATION", converter = Converters.DurationConverter.class, defaultValue = DEFAULT_TIME,
                description = "wall-clock bound, e.g. 60s, 2m, 500ms; 0 = none. Hitting it makes the run incomplete (exit 3)")
        Duration time;

        @Option(names = "--mode", paramLabel = "MODE", defaultValue = ExplorerConfig.DEFAULT_MODE_OPTION, completionCandidates = Converters.ModeNames.class,
                description = "${COMPLETION-CANDIDATES}: bfs gives shortest counterexamples")
        Explorer.Mode mode;

        @Option(names = "--vms", paramLabel = "N", defaultValue = "1", description = "VMs, each with one assigned TDI; cross-VM attacks need 2")
        int vms;

        @Option(names = "--devices", paramLabel = "N", defaultValue = "1",
                description = "devices, each one TDI assigned to a VM (the same meaning as sweep's --devices, "
                        + "which takes a list); must equal --vms. Each on its own DSM unless --shared-dsm")
        int devices;

        @Option(names = "--shared-dsm", description = "put all TDIs on one device: TDI 0 is PF0, the others its VFs, "
                + "one DSM and pci_tsm_pf0::lock (symmetry then only renames VFs)")
        boolean sharedDsm;

        tdisp.world.DsmLayout layout() { return sharedDsm ? tdisp.world.DsmLayout.SHARED_PF0 : tdisp.world.DsmLayout.ONE_PER_TDI; }

        @Option(names = "--max-states", paramLabel = "N",
                description = "bound on distinct states (default: none). Hitting it makes the run incomplete (exit 3)")
        Long maxStates;

        @Option(names = "--exact-states", paramLabel = "N", defaultValue = "" + ExplorerConfig.DEFAULT_EXACT_STATES,
                description = "states kept whole before switching to 64-bit fingerprints")
        long exactStates;

        @Option(names = "--walks", paramLabel = "N", defaultValue = "" + ExplorerConfig.DEFAULT_WALKS,
                description = "random mode: number of walks; 0 = until another bound")
        long walks;

        @Option(names = "--threads", paramLabel = "N",
                description = "bfs search threads; the output is the same for any count (default: the machine's cores)")
        Integer threads;

        @Option(names = "--max-memory", paramLabel = "SIZE",
                description = "memory for the seen set and trace store, e.g. 512m, 2g (default: 70%% of the heap)")
        String maxMemory;

        @Option(names = "--por", paramLabel = "on|off", defaultValue = ExplorerConfig.DEFAULT_POR ? "on" : "off",
                description = "bfs: partial-order reduction by sleep sets (commuting actions are not tried in both orders); "
                        + "the same states and violations, fewer transitions")
        String por;

        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "keep the trace store (the bfs queue) in a scratch file here instead of the heap")
        Path workDir;

        private ExplorerConfig config;

        @Override
        public void validate() {
            if (depth < 1) throw new UsageException("--depth " + depth + ": must be at least 1");
            if (preemptions < -1) throw new UsageException("--preemptions " + preemptions + ": -1 (none) or a count");
            if (vms < 1 || vms > World.MAX_SLOTS) throw new UsageException("--vms " + vms + ": the model takes 1.." + World.MAX_SLOTS);
            if (devices != vms) throw new UsageException("--devices " + devices + " --vms " + vms + ": each VM is assigned one device, give equal counts");
            if (!por.equals("on") && !por.equals("off")) throw new UsageException("--por " + por + ": on or off");
            if (exactStates < 0) throw new UsageException("--exact-states " + exactStates + ": must be >= 0");
            if (maxStates != null && maxStates < 1) throw new UsageException("--max-states " + maxStates + ": must be at least 1");
            if (walks < 0) throw new UsageException("--walks " + walks + ": must be >= 0 (0 = until another bound)");
            if (walks > 0 && mode != Explorer.Mode.RANDOM) throw new UsageException("--walks " + walks + ": only with --mode random");
            int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            // Each thread holds a search frontier slice; past a few per core they only contend.
            if (t < 1 || t > MAX_THREADS) throw new UsageException("--threads " + t + ": must be 1.." + MAX_THREADS);
            if (workDir != null) checkWorkDir(workDir);
            config = ExplorerConfig.builder().mode(mode).maxDepth(depth).maxStates(maxStates == null ? Long.MAX_VALUE : maxStates)
                    .timeMillis(time.toMillis()).seed(seed.seed).exactLimit(exactStates).walks(walks)
                    .threads(t).maxMemory(maxMemory == null ? 0 : bytes(maxMemory)).workDir(workDir)
                    .measureHeap(true).por(por.equals("on")).build();
            catalog.catalog();
        }

        static final int MAX_THREADS = 256;

        /**
         * --work-dir must be a directory that exists and takes a file: checked before the
         * search, so a file or an unwritable path is bad input, and nothing is created that
         * the run would leave behind.
         */
        static void checkWorkDir(Path dir) {
            if (!java.nio.file.Files.exists(dir)) throw new UsageException("--work-dir " + dir + ": no such directory; create it first");
            if (!java.nio.file.Files.isDirectory(dir)) throw new UsageException("--work-dir " + dir + ": not a directory");
            try {
                java.nio.file.Files.delete(java.nio.file.Files.createTempFile(dir, ".tdisp-probe-", ""));
            } catch (IOException | RuntimeException e) {
                throw new UsageException("--work-dir " + dir + ": cannot write a file in it (" + e.getClass().getSimpleName() + ")");
            }
        }

        /** A search that failed because its --work-dir filled up: the run is incomplete (3), not a harness bug. */
        static boolean diskFull(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("No space left on device")) return true;
            }
            return false;
        }

        /**
         * The trace store maps its --work-dir file into memory: a write the file system has no
         * room for arrives as a fault (SIGBUS), which the JVM reports as this InternalError.
         */
        static boolean mappedFileFault(Throwable e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof InternalError && c.getMessage() != null && c.getMessage().contains("unsafe memory access")) return true;
            }
            return false;
        }

        ExplorerConfig config(long progressMillis) { return config.toBuilder().progressMillis(progressMillis).build(); }

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
            throw new UsageException("--max-memory " + v + ": expected e.g. 512m, 2g or a byte count");
        }

        /** The explorer's progress events as lines with a stable prefix (CI greps it), into the CLI's sink. */
        static Explorer.Progress listener(PrintWriter sink) {
            if (sink == null) return null;
            return st -> {
                double secs = Math.max(1e-9, st.elapsedNanos() / 1e9);
                sink.printf("explore: %s%,d generated, %,d distinct, %,d queued, depth %d, %,.0f distinct/s, %d MiB held%s%s%n",
                        st.done() ? "done: " : "", st.generated(), st.distinct(), st.queued(), st.depth(), st.distinct() / secs,
                        st.heapBytes() >> 20, st.offHeapBytes() > 0 ? String.format(" + %d MiB in the trace file", st.offHeapBytes() >> 20) : "",
                        st.fingerprints() ? " (64-bit fingerprints)" : "");
                sink.flush();
            };
        }
    }

    @Override
    public void validate() {
        tdisp.strategy.Strategy s = bounds.catalog.catalog().get(strategy).withOverrides(bounds.sets.sets);
        if (start == null && only.isEmpty() && skip.isEmpty()) return;
        // Resolved before anything is written: a bad X or glob is bad input (exit 2), naming it.
        tdisp.explore.WorldModel m = new tdisp.explore.WorldModel(s, platform, bounds.seed.seed, bounds.vms, bounds.layout(), false);
        m.setPreemptionBound(bounds.preemptions);
        actions = new tdisp.explore.ActionFilter(only, skip);
        List<String> names = Exploration.actionNames(m);
        String unmatched = actions.unmatched(names);
        if (unmatched != null) {
            throw new UsageException((only.contains(unmatched) ? "--actions " : "--skip-actions ") + unmatched
                    + ": matches no action of this run (names as `tdisp explore` reports them, e.g. 'guest0 BIND', 'vmm1 close-vfio', '* hot-unplug')");
        }
        if (actions.allowedCount(names) == 0) throw new UsageException("--actions/--skip-actions: leave no action to search");
        if (start == null) return;
        try {
            resolvedStart = tdisp.explore.StartState.resolve(start, m, s, platform.id());
        } catch (tdisp.explore.StartState.BadStartException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        Path dir = bounds.out.dir();
        AtomicFiles.checkWritable(dir);
        Progress progress = bounds.progress.start(spec.commandLine().getErr(), "explore");
        progress.timeBudget(bounds.time);
        Interrupt.interruptible();
        String label = strategy + "-" + platform.id() + (bounds.sharedDsm ? "-shared-dsm" : "")
                + (resolvedStart.cleanBoot() ? "" : "-at-" + resolvedStart.tag());
        Exploration.Outcome o;
        try {
            o = Exploration.run(new Exploration.Spec(label, strategy, bounds.sets.sets,
                    platform, bounds.vms, bounds.layout(), bounds.preemptions, bounds.config(progress.intervalMillis()), resolvedStart, actions),
                    bounds.catalog.catalog(),
                    Bounds.listener(progress.sink()), Interrupt.CANCEL);
        } catch (RuntimeException | InternalError e) {
            if (!Bounds.diskFull(e) && !(bounds.workDir != null && Bounds.mappedFileFault(e))) throw e;
            progress.finish();
            spec.commandLine().getErr().println("tdisp: explore: --work-dir " + bounds.workDir + ": no space left on device; "
                    + "the search stopped and nothing was written");
            return ExitCodes.INCOMPLETE;
        }
        progress.finish();
        int rc = write(List.of(o), dir, "explore", spec);
        // A model checker ends non-zero on a violation (as TLC does); an incomplete run says so first.
        return rc == ExitCodes.OK && !o.run().result().counterexamples().isEmpty() ? ExitCodes.NO : rc;
    }

    /**
     * Writes NAME.csv, NAME.txt, every replay/trace file and the NAME.run-info sidecar (wall
     * time, threads, memory: what differs between machines) as one unit; prints the summary
     * on stdout and the status on stderr. Exit 3 when a run stopped before it was exhausted
     * (a signal, --time, --max-states or the memory budget; random mode's walks and time are
     * its normal end).
     */
    static int write(List<Exploration.Outcome> outcomes, Path dir, String name, CommandSpec spec) throws IOException {
        return write(outcomes, dir, name, spec, "");
    }

    /** As {@link #write(List, Path, String, CommandSpec)}, the text report opening with {@code summary} (rediscover's verdicts). */
    static int write(List<Exploration.Outcome> outcomes, Path dir, String name, CommandSpec spec, String summary) throws IOException {
        List<Exploration.Run> runs = outcomes.stream().map(Exploration.Outcome::run).toList();
        Map<String, String> files = new LinkedHashMap<>();
        String txt = (summary.isEmpty() ? "" : summary + "\n") + Columns.wrap(ExploreReport.text(runs));
        files.put(name + ".csv", ExploreReport.csv(runs));
        files.put(name + ".txt", txt);
        files.put(name + ".run-info", ExploreReport.runInfo(runs));
        for (Exploration.Outcome o : outcomes) files.putAll(o.files());
        files = Setup.explore(spec, runs).stamp(files);
        AtomicFiles.commit(dir, name, files);
        spec.commandLine().getOut().print(files.get(name + ".txt"));
        long distinct = 0, nanos = 0;
        for (Exploration.Run r : runs) {
            distinct += r.result().distinct();
            nanos += r.result().elapsedNanos();
        }
        boolean incomplete = incomplete(runs);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("tdisp: wrote %s (%s.csv, %s.txt, %d replay/trace files); %,d distinct states in %.1f s "
                        + "(%,.0f distinct states/min)%s%n",
                dir, name, name, files.size() - 3, distinct, nanos / 1e9, distinct / Math.max(1e-9, nanos / 6e10),
                incomplete ? "; INCOMPLETE: a run stopped before its bounds were exhausted" : "");
        return incomplete ? ExitCodes.INCOMPLETE : ExitCodes.OK;
    }

    /** A run that stopped on a signal or its memory budget, or (searching, not walking) before its bounds. */
    static boolean incomplete(List<Exploration.Run> runs) {
        for (Exploration.Run r : runs) {
            ExplorerResult x = r.result();
            if (x.stop() == Explorer.Stop.INTERRUPTED || x.stop() == Explorer.Stop.MEMORY
                    || !x.exhausted() && x.config().mode() != Explorer.Mode.RANDOM) return true;
        }
        return false;
    }
}
