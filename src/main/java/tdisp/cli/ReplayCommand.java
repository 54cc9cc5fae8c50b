package tdisp.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import tdisp.explore.ReplayFile;
import tdisp.report.Provenance;

/** tdisp replay FILE: re-executes a counterexample and prints its trace in kernel names. */
@Command(name = "replay", description = "Re-run a replay file written by explore or rediscover and print its trace; "
        + "exit 1 if the expected violation does not reproduce. The file carries every knob value, "
        + "so no descriptor is read.")
final class ReplayCommand implements Callable<Integer>, Validated {
    @Parameters(index = "0", paramLabel = "FILE", description = "replay file (cex/*.replay)") Path file;
    @Spec CommandSpec spec;

    private ReplayFile parsed;

    @Override
    public void validate() { parsed = ReplayFile.parse(file); }

    @Override
    public Integer call() {
        ReplayFile.Outcome o = parsed.run();
        spec.commandLine().getOut().print(Provenance.replay(file.getFileName().toString()).text() + "\n" + o.text());
        return o.reproduced() || parsed.expect().isEmpty() ? ExitCodes.OK : ExitCodes.NO;
    }
}
