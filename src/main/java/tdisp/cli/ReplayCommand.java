package tdisp.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.ReplayFile;
import tdisp.strategy.StrategyCatalog;

/** tdisp replay FILE: re-executes a counterexample and prints its trace in kernel names. */
@Command(name = "replay", description = "Re-run a replay file written by explore; print the trace; exit 1 if the expected violation does not reproduce.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "replay file") Path file;
    @Option(names = "--strategies-dir", description = "directory of *.desc files (default: ${DEFAULT-VALUE})", defaultValue = "${sys:tdisp.home:-.}/strategies")
    Path strategiesDir;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such replay file");
        ReplayFile f = ReplayFile.parse(file);
        ReplayFile.Outcome o = f.run(StrategyCatalog.load(strategiesDir));
        spec.commandLine().getOut().print(o.text());
        return o.reproduced() || f.expect().isEmpty() ? 0 : 1;
    }
}
