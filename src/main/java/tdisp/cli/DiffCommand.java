package tdisp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.AtomicFiles;
import tdisp.report.DiffReport;
import tdisp.report.Provenance;
import tdisp.scenario.CellDiff;
import tdisp.scenario.Diff;
import tdisp.scenario.Scenario;
import tdisp.strategy.Knob;
import tdisp.strategy.Strategy;

/**
 * tdisp diff: what a patch changes. The base and the variant run on the same platforms,
 * scenarios, seed, faults and costs; only the cells that differ are reported, grouped by
 * cause, each with the first step where the two traces part.
 */
@Command(name = "diff", description = "Run a base strategy and a variant (another descriptor, or the base with "
        + "--set overrides) on the same platforms, scenarios and seed; print only the cells that differ, grouped by "
        + "cause, each with the first step where the traces part and the modeled time delta. Writes diff.txt "
        + "(also on stdout) and diff.csv. Exits 1 when the variant breaks an invariant the base held.")
final class DiffCommand implements Callable<Integer>, Validated {
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin SeedOption seed = new SeedOption();
    @Mixin CostFlags costFlags = new CostFlags();
    @Mixin FaultOption faults = new FaultOption();
    @Mixin OutOption out = new OutOption();

    @Option(names = "--base", paramLabel = "ID", required = true, description = "the strategy as it is (`tdisp list`)")
    String baseId;

    @Option(names = "--variant", paramLabel = "ID", showDefaultValue = Visibility.NEVER,
            description = "the changed strategy: another descriptor's id (or give --set)")
    String variantId;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
            description = "the change as knob overrides of the base (repeatable; or give --variant)")
    List<String> sets = new ArrayList<>();

    @Option(names = {"--platforms", "--platform"}, paramLabel = "ID", split = ",",
            completionCandidates = Converters.PlatformIds.class, converter = Converters.PlatformConverter.class,
            showDefaultValue = Visibility.NEVER, description = "platform ids: ${COMPLETION-CANDIDATES} (default: all)")
    List<Platform> platformList = new ArrayList<>();

    @Option(names = {"--scenarios", "--scenario"}, paramLabel = "ID", split = ",", showDefaultValue = Visibility.NEVER,
            description = "scenario ids; a trailing * matches a prefix, e.g. teardown/* (default: all)")
    List<String> scenarioIds = new ArrayList<>();

    @Spec CommandSpec spec;

    private Strategy base;
    private Strategy variant;
    private String variantName;
    private List<Platform> platforms;
    private List<Scenario> scenarios;
    private CostOptions costs;

    @Override
    public void validate() {
        if ((variantId == null) == sets.isEmpty()) {
            throw new UsageException("diff: give the change as --variant ID or as --set KEY=VALUE, not "
                    + (variantId == null ? "neither" : "both"));
        }
        base = catalog.catalog().get(baseId);
        if (variantId != null) {
            variant = catalog.catalog().get(variantId);
            variantName = variant.id();
        } else {
            variant = base.withOverrides(sets);
            variantName = base.id() + "+" + String.join("+", sets.stream().map(String::strip).toList());
        }
        platforms = platformList.isEmpty() ? Platforms.all() : new ArrayList<>(new LinkedHashSet<>(platformList));
        scenarios = RunOptions.resolveScenarios(scenarioIds);
        costs = costFlags.options();
    }

    @Override
    public Integer call() throws IOException {
        Path dir = out.dir();
        AtomicFiles.checkWritable(dir);
        Interrupt.interruptible();
        Diff.Result result = Diff.run(new Diff.Request(base, variant, variantName, platforms, scenarios, seed.seed, faults.set(), costs),
                Interrupt::requested);
        boolean interrupted = result.interrupted();
        List<CellDiff> changed = result.changed();
        int ran = result.ran();
        Provenance setup = provenance(interrupted ? ran + " of " + result.request().planned() + " cells ran" : null);
        DiffReport report = new DiffReport(base.id(), variantName,
                platforms.stream().map(Platform::id).toList(), scenarios.size(), ran, interrupted, changed);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("diff.csv", report.csv());
        files.put("diff.txt", report.text());
        files = setup.stamp(files);
        AtomicFiles.commit(dir, "diff", files);
        spec.commandLine().getOut().print(files.get("diff.txt"));
        spec.commandLine().getErr().printf("tdisp: wrote %s and %s (%d of %d cells differ%s)%n", dir.resolve("diff.csv"),
                dir.resolve("diff.txt"), changed.size(), ran, interrupted ? ", INTERRUPTED" : "");
        if (interrupted) return ExitCodes.INCOMPLETE;
        return report.regresses() ? ExitCodes.NO : ExitCodes.OK;
    }

    /** The setup facts; {@code incomplete} says how much of an interrupted run was made, or is null. */
    private Provenance provenance(String incomplete) {
        List<String> knobs = new ArrayList<>();
        for (Knob k : Knob.values()) {
            String was = base.knobs().get(k);
            String now = variant.knobs().get(k);
            if (!was.equals(now)) knobs.add(k.key() + " " + was + " -> " + now);
        }
        // The reproduce line names the platforms run, so "all" cannot change under it.
        Provenance.Builder b = Setup.start(spec, Map.of("--platforms", platforms.stream().map(Platform::id).toList()));
        if (incomplete != null) b.add("incomplete", "INTERRUPTED, " + incomplete);
        b.add("base", base.id())
                .add("variant", variantName)
                .add("set", sets)
                .add("knobs", knobs.isEmpty() ? List.of("no knob differs") : knobs)
                .add("seed", seed.seed)
                .add("platforms", platforms.stream().map(Platform::id).toList())
                .add("scenarios", scenarioIds.isEmpty() ? List.of("all (" + scenarios.size() + ")") : scenarios.stream().map(Scenario::id).toList());
        return Setup.costs(Setup.faults(b, faults.set()), costs).build();
    }
}
