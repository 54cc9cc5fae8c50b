package tdisp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.output.Columns;
import tdisp.referee.Claim;
import tdisp.referee.KernelTrace;
import tdisp.referee.Referee;
import tdisp.referee.Verdict;
import tdisp.report.AtomicFiles;
import tdisp.report.ConformanceTable;
import tdisp.report.Provenance;
import tdisp.strategy.Strategy;

/**
 * tdisp referee: the model's call orders against kernel recordings. With --strategy and
 * --set a patch author holds the variant their patch describes to their own recorded kernel.
 */
@Command(name = "referee", description = "Check the model's calls against kernel recordings (ID.trace, the "
        + "recorder's format): for each recording the model's host-only run of the same scenario, and the bound-TDI "
        + "scenarios on their host-side calls, must call what the kernel calls, in its order and nesting. Writes "
        + "conformance.csv and conformance.txt (also on stdout). Exits 1 when a claim differs.")
final class RefereeCommand implements Callable<Integer>, Validated {
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin SeedOption seed = new SeedOption();
    @Mixin OutOption out = new OutOption();

    @Option(names = "--recordings", paramLabel = "DIR", defaultValue = "${sys:tdisp.home:-.}/results/kernel/traces",
            description = "directory of ID.trace recordings; a scenario without one is reported as not recorded")
    Path recordings;

    @Option(names = "--strategy", paramLabel = "ID", defaultValue = "iommufd-v5",
            description = "the strategy whose knobs the model runs with (`tdisp list`)")
    String strategyId;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
            description = "override a knob of the strategy (repeatable): the variant a patch describes")
    List<String> sets = new ArrayList<>();

    @Spec CommandSpec spec;

    private Strategy strategy;
    private Map<String, KernelTrace> traces;

    @Override
    public void validate() {
        strategy = catalog.catalog().get(strategyId);
        if (!sets.isEmpty()) strategy = strategy.withOverrides(sets);
        // The default directory may be absent (a clone without recordings: every claim is
        // "not recorded"); a directory the user names must exist.
        if (spec.commandLine().getParseResult().hasMatchedOption("--recordings") && !java.nio.file.Files.isDirectory(recordings)) {
            throw new UsageException("--recordings " + recordings + ": not a directory");
        }
        try {
            traces = Referee.load(recordings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Integer call() throws IOException {
        Path dir = out.dir();
        AtomicFiles.checkWritable(dir);
        List<Claim> claims = Referee.check(strategy, traces, seed.seed);
        String name = sets.isEmpty() ? strategy.id() : strategy.id() + "+" + String.join("+", sets.stream().map(String::strip).toList());
        Provenance.Builder b = Setup.start(spec).add("strategy", name).add("set", sets).add("knobs", strategy.knobs().describe())
                .add("seed", seed.seed);
        // Recordings made together share their kernel, config and QEMU: say each such origin once.
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        for (Map.Entry<String, KernelTrace> e : traces.entrySet()) {
            byOrigin.computeIfAbsent(kernelOf(e.getValue()), k -> new ArrayList<>()).add(e.getKey());
        }
        List<String> recs = new ArrayList<>();
        byOrigin.forEach((origin, ids) -> recs.add(ids.size() + " (" + String.join(", ", ids) + "): " + origin));
        b.add("recordings", recs.isEmpty() ? List.of("none") : recs);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("conformance.csv", ConformanceTable.csv(claims));
        files.put("conformance.txt", Columns.wrap(ConformanceTable.text(name, claims)));
        files = b.build().stamp(files);
        AtomicFiles.commit(dir, "referee", files);
        spec.commandLine().getOut().print(files.get("conformance.txt"));
        Map<Verdict, Integer> n = ConformanceTable.counts(claims);
        spec.commandLine().getErr().printf("tdisp: wrote %s and %s (%d claims, %d differ)%n", dir.resolve("conformance.csv"),
                dir.resolve("conformance.txt"), claims.size(), n.getOrDefault(Verdict.DIFFER, 0));
        return n.getOrDefault(Verdict.DIFFER, 0) > 0 ? ExitCodes.NO : ExitCodes.OK;
    }

    /** What the recording says it ran on: the kernel or tree, and the config digest. */
    private static String kernelOf(KernelTrace t) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of("kernel", "tree", "config-sha256", "qemu")) {
            String v = t.provenance().get(k);
            if (v != null) parts.add(k + " " + v);
        }
        return parts.isEmpty() ? "no kernel provenance" : String.join(", ", parts);
    }
}
