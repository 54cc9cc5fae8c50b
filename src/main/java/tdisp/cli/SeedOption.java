package tdisp.cli;

import picocli.CommandLine.Option;

/** --seed (a picocli mixin): the run's one random source. */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the run's one random source")
    long seed;
}
