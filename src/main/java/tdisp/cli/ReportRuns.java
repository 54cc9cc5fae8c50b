package tdisp.cli;

import tdisp.explore.ExplorerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openjdk.jmh.runner.options.TimeValue;

import tdisp.explore.Exploration;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.world.DsmLayout;
import tdisp.world.Fault;

/**
 * The runs {@code tdisp report} makes itself, as the requests their commands would make
 * with the report's selection: explore at its defaults but the depth, bench as one short
 * JMH point. Also each run's options by name, from which its data/ file's reproduce line
 * is rendered ({@link Setup#startAs}): only provenance, never parsed.
 */
final class ReportRuns {
    private ReportRuns() {}

    /** The bench point a report runs: the guest-request hot path, 1 fork, 1+3 iterations of 200 ms. */
    static final List<String> BENCHMARKS = List.of("GuestRequestBench");
    static final int BENCH_FORKS = 1;
    static final int BENCH_WARMUP = 1;
    static final int BENCH_ITERATIONS = 3;
    static final Duration BENCH_TIME = Duration.ofMillis(200);

    /** The explorer's bounds other than depth: explore's option defaults. */
    static final Duration EXPLORE_TIME = new Converters.DurationConverter().convert(ExploreCommand.Bounds.DEFAULT_TIME);

    /** The search `tdisp explore --strategy S --platform P --depth N` makes, with the report's seed, --set and catalogue. */
    static Exploration.Spec exploreSpec(RunOptions run, String strategy, Platform platform, int depth) {
        ExplorerConfig c = ExplorerConfig.builder().mode(ExplorerConfig.DEFAULT_MODE).maxDepth(depth).maxStates(Long.MAX_VALUE)
                .timeMillis(EXPLORE_TIME.toMillis()).seed(run.seed.seed).exactLimit(ExplorerConfig.DEFAULT_EXACT_STATES).walks(ExplorerConfig.DEFAULT_WALKS)
                .threads(Runtime.getRuntime().availableProcessors()).maxMemory(0).workDir(null)
                .measureHeap(true).por(ExplorerConfig.DEFAULT_POR).progressMillis(0).build();
        return new Exploration.Spec(strategy + "-" + platform.id(), strategy, run.sets.sets, platform, 1, DsmLayout.ONE_PER_TDI, ExplorerConfig.DEFAULT_PREEMPTIONS, c);
    }

    /** The bench point, over the selection (bench takes no --set). */
    static BenchCommand.Request bench(RunOptions run) {
        List<String> ids = run.targets.strategies(run.catalog.catalog()).stream().map(Strategy::id).toList();
        return new BenchCommand.Request(run.catalog.catalog(), ids, run.targets.platforms(), BENCHMARKS, BENCH_FORKS, BENCH_WARMUP,
                BENCH_ITERATIONS, TimeValue.milliseconds(BENCH_TIME.toMillis()), Double.parseDouble(BenchCommand.DEFAULT_ERROR_SHARE),
                BenchCommand.forkArguments(System.getProperty("tdisp.home", "."), run.catalog, run.costFlags));
    }

    // ---- options by name, for the reproduce lines --------------------------------------------

    /** --strategies-dir and the catalogue's overlays. */
    private static Map<String, List<String>> catalog(RunOptions run) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("--strategies-dir", List.of(run.catalog.strategiesDir.toString()));
        if (!run.catalog.overlays.isEmpty()) m.put("--add-strategies", run.catalog.overlays.stream().map(Path::toString).toList());
        if (!run.catalog.replace.isEmpty()) m.put("--replace-strategy", List.copyOf(run.catalog.replace));
        return m;
    }

    /** The selection as resolved and the cost table: what compare, sweep and bench share. */
    private static Map<String, List<String>> common(RunOptions run, List<Strategy> strategies) {
        Map<String, List<String>> m = catalog(run);
        m.put("--strategies", strategies.stream().map(Strategy::id).toList());
        m.put("--platforms", run.targets.platforms().stream().map(Platform::id).toList());
        if (run.costFlags.costs != null) m.put("--costs", List.of(run.costFlags.costs.toString()));
        return m;
    }

    /** The cost flags set: --nested, --ibpb. */
    static Set<String> costFlags(RunOptions run) {
        Set<String> f = new LinkedHashSet<>();
        if (run.costFlags.nested) f.add("--nested");
        if (run.costFlags.ibpb) f.add("--ibpb");
        return f;
    }

    /** sweep's options: the selection (no --set), the costs and the seed. */
    static Map<String, List<String>> seeded(RunOptions run) {
        Map<String, List<String>> m = common(run, run.targets.strategies(run.catalog.catalog()));
        m.put("--seed", List.of(Long.toString(run.seed.seed)));
        return m;
    }

    /** compare's options: the selection with --set, the faults and the scenarios asked for. */
    static Map<String, List<String>> compare(RunOptions run) {
        Map<String, List<String>> m = common(run, run.strategies());
        m.put("--seed", List.of(Long.toString(run.seed.seed)));
        if (!run.sets.sets.isEmpty()) m.put("--set", List.copyOf(run.sets.sets));
        if (!run.faults.faults.isEmpty()) m.put("--fault", run.faults.faults.stream().map(Fault::name).toList());
        if (!run.scenarios.isEmpty()) m.put("--scenarios", List.copyOf(run.scenarios));
        return m;
    }

    /** explore's options: the search's strategy, platform and depth, the catalogue, seed and --set. */
    static Map<String, List<String>> explore(RunOptions run, String strategy, Platform platform, int depth) {
        Map<String, List<String>> m = catalog(run);
        m.put("--strategies", List.of(strategy));
        m.put("--platforms", List.of(platform.id()));
        m.put("--depth", List.of(Integer.toString(depth)));
        m.put("--seed", List.of(Long.toString(run.seed.seed)));
        if (!run.sets.sets.isEmpty()) m.put("--set", List.copyOf(run.sets.sets));
        return m;
    }

    /** bench's options: the selection, the costs and the short point. */
    static Map<String, List<String>> benchOptions(RunOptions run) {
        Map<String, List<String>> m = common(run, run.targets.strategies(run.catalog.catalog()));
        m.put("--benchmarks", BENCHMARKS);
        m.put("--forks", List.of(Integer.toString(BENCH_FORKS)));
        m.put("--warmup-iterations", List.of(Integer.toString(BENCH_WARMUP)));
        m.put("--iterations", List.of(Integer.toString(BENCH_ITERATIONS)));
        m.put("--iteration-time", List.of(BENCH_TIME.toMillis() + "ms"));
        return new LinkedHashMap<>(m);
    }
}
