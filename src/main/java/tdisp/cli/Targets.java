package tdisp.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Option;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/** Which strategies and platforms a command runs (a picocli mixin shared by compare, bench and sweep). */
public final class Targets {
    @Option(names = "--strategies", split = ",", description = "strategy ids (default: all)")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--platforms", split = ",", description = "platform ids (default: all)")
    List<String> platforms = new ArrayList<>();

    /** The selected strategies in the order given (all, in id order, by default); repeats dropped. */
    List<Strategy> strategies(StrategyCatalog catalog) {
        return strategies.isEmpty() ? catalog.all() : catalog.select(strategies);
    }

    /** The selected platforms; an unknown id is a one-line error; repeats dropped. */
    List<Platform> platforms() {
        if (platforms.isEmpty()) return Platforms.all();
        Set<Platform> out = new LinkedHashSet<>();
        for (String p : platforms) out.add(Platforms.get(p));
        return new ArrayList<>(out);
    }
}
