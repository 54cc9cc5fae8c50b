package tdisp.cli;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * --out (a picocli mixin). The directory is the command's unit of output: replaced as a
 * whole when the command commits (report/AtomicFiles). The default is a scratch directory,
 * tdisp-out/COMMAND under the working directory, so no run overwrites the tracked
 * reference in results/ unless asked to (results/README.md).
 */
public final class OutOption {
    static final String SCRATCH = "tdisp-out";

    @Option(names = "--out", paramLabel = "DIR",
            description = "output directory, replaced as a whole by the new set (default: tdisp-out/${COMMAND-NAME})")
    Path out;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    /** The directory this run writes. */
    Path dir() { return out != null ? out : Path.of(SCRATCH, command()); }

    /**
     * The command's name. A mixin inside a mixin (compare's and report's RunOptions) has the
     * inner mixin as its mixee, which picocli names "&lt;main class&gt;": ask the command line
     * the spec belongs to instead.
     */
    private String command() {
        var cl = mixee.commandLine();
        return cl != null ? cl.getCommandName() : mixee.name();
    }
}
