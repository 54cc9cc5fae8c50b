package tdisp.cli;

import picocli.CommandLine.Option;

/** --seed (a picocli mixin): the run's one random source; its default is the world's ({@link tdisp.world.WorldConfig#DEFAULT_SEED}). */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + tdisp.world.WorldConfig.DEFAULT_SEED, description = "seed of the run's one random source")
    long seed;
}
