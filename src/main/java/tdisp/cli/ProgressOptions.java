package tdisp.cli;

import java.io.PrintWriter;
import java.time.Duration;

import picocli.CommandLine.Option;

/** --progress and --progress-interval (a picocli mixin of the long-running commands). */
public final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "MODE", arity = "0..1", fallbackValue = "bar", defaultValue = "auto",
            converter = Converters.ProgressModeConverter.class,
            description = "progress on stderr: auto (a bar on a terminal, else lines), bar, lines or none; "
                    + "--progress alone = bar")
    Progress.Mode mode;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "3s", converter = Converters.DurationConverter.class,
            description = "time between progress lines")
    Duration interval;

    Progress start(PrintWriter err, String label) { return Progress.of(mode, err, label, interval); }
}
