package tdisp.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

import tdisp.cost.CostOptions;
import tdisp.scenario.Scenario;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/** The selection compare and check run: strategies x platforms x scenarios, knobs, costs, faults. */
final class RunOptions implements Validated {
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Mixin SetOptions sets = new SetOptions();
    @Mixin Targets targets = new Targets();
    @Mixin SeedOption seed = new SeedOption();
    @Mixin CostFlags costFlags = new CostFlags();
    @Mixin FaultOption faults = new FaultOption();
    @Mixin OutOption out = new OutOption();

    @Option(names = {"--scenarios", "--scenario"}, paramLabel = "ID", split = ",", showDefaultValue = Visibility.NEVER,
            description = "scenario ids; a trailing * matches a prefix, e.g. teardown/* (default: all)")
    List<String> scenarios = new ArrayList<>();

    private List<Strategy> strategies;
    private List<Scenario> selected;
    private CostOptions costs;

    @Override
    public void validate() {
        strategies = new ArrayList<>();
        for (Strategy s : targets.strategies(catalog.catalog())) strategies.add(s.withOverrides(sets.sets));
        selected = resolveScenarios(scenarios);
        costs = costFlags.options();
    }

    List<Strategy> strategies() { return strategies; }

    List<Scenario> scenarios() { return selected; }

    CostOptions costs() { return costs; }

    Set<Fault> faultSet() { return faults.set(); }

    static List<Scenario> resolveScenarios(List<String> ids) {
        if (ids.isEmpty()) return new ArrayList<>(Scenarios.all().values());
        Set<Scenario> out = new LinkedHashSet<>();
        for (String id : ids) {
            if (id.endsWith("*")) {
                String prefix = id.substring(0, id.length() - 1);
                List<Scenario> match = Scenarios.all().values().stream().filter(s -> s.id().startsWith(prefix)).toList();
                if (match.isEmpty()) throw new UsageException("--scenarios: no scenario matches '" + id + "'");
                out.addAll(match);
            } else {
                out.add(scenario(id));
            }
        }
        return new ArrayList<>(out);
    }

    static Scenario scenario(String id) {
        Scenario s = Scenarios.all().get(id);
        if (s == null) throw new UsageException("unknown scenario '" + id + "' (see `tdisp list`)");
        return s;
    }

    static Set<Fault> faultSetOf(List<Fault> faults) {
        return faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
    }
}
