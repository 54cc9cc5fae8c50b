package tdisp.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import tdisp.strategy.StrategyCatalog;

/** Where strategy descriptors come from (a picocli mixin of every command that loads strategies). */
public final class CatalogOptions {
    @Option(names = "--strategies-dir", paramLabel = "DIR", defaultValue = "${sys:tdisp.home:-.}/strategies",
            description = "directory of *.desc strategy descriptors")
    Path strategiesDir;

    private StrategyCatalog catalog;

    /** Loaded once per command run; a bad descriptor is a usage error naming file:line. */
    StrategyCatalog catalog() {
        if (catalog == null) catalog = StrategyCatalog.load(strategiesDir);
        return catalog;
    }
}
