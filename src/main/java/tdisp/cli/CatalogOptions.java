package tdisp.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

import tdisp.strategy.StrategyCatalog;

/** Where strategy descriptors come from (a picocli mixin of every command that loads strategies). */
public final class CatalogOptions {
    @Option(names = "--strategies-dir", paramLabel = "DIR", defaultValue = "${sys:tdisp.home:-.}/strategies",
            description = "directory of *.desc strategy descriptors (the shipped ones by default)")
    Path strategiesDir;

    @Option(names = "--add-strategies", paramLabel = "DIR", showDefaultValue = Visibility.NEVER,
            description = "also load the *.desc files of DIR beside those of --strategies-dir (repeatable)")
    List<Path> overlays = new ArrayList<>();

    @Option(names = "--replace-strategy", paramLabel = "ID", split = ",", showDefaultValue = Visibility.NEVER,
            description = "let an --add-strategies descriptor replace the strategy with this id (repeatable)")
    List<String> replace = new ArrayList<>();

    private StrategyCatalog catalog;

    /** Loaded once per command run; a bad descriptor is a usage error naming file:line. */
    StrategyCatalog catalog() {
        if (catalog == null) {
            InputFiles.checkDescriptors(strategiesDir, "--strategies-dir");
            for (Path p : overlays) InputFiles.checkDescriptors(p, "--add-strategies");
            catalog = StrategyCatalog.load(strategiesDir, overlays, new LinkedHashSet<>(replace));
        }
        return catalog;
    }
}
