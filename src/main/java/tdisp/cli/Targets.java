package tdisp.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/**
 * Which strategies and platforms a multi-run command runs (a picocli mixin of compare,
 * check, bench and sweep). The singular spellings are aliases, so a flag learnt on
 * trace or explore works here too.
 */
public final class Targets {
    @Option(names = {"--strategies", "--strategy"}, paramLabel = "ID", split = ",", showDefaultValue = Visibility.NEVER,
            description = "strategy ids, comma-separated or repeated (default: all; `tdisp list`)")
    List<String> strategies = new ArrayList<>();

    @Option(names = {"--platforms", "--platform"}, paramLabel = "ID", split = ",",
            completionCandidates = Converters.PlatformIds.class, converter = Converters.PlatformConverter.class, showDefaultValue = Visibility.NEVER,
            description = "platform ids: ${COMPLETION-CANDIDATES} (default: all)")
    List<Platform> platforms = new ArrayList<>();

    /** The selected strategies in the order given (all, in id order, by default); repeats dropped. */
    List<Strategy> strategies(StrategyCatalog catalog) {
        return strategies.isEmpty() ? catalog.all() : catalog.select(strategies);
    }

    /** The selected platforms in the order given; repeats dropped. */
    List<Platform> platforms() {
        if (platforms.isEmpty()) return Platforms.all();
        return new ArrayList<>(new LinkedHashSet<>(platforms));
    }
}
