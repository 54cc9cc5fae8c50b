package tdisp.cli;

import java.io.IOException;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** tdisp check: compare with an answer: exit 1 if any invariant is violated. */
@Command(name = "check", description = "Like compare, but exit 1 if any invariant is violated.")
final class CheckCommand implements Callable<Integer> {
    @Mixin RunOptions opts = new RunOptions();
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException { return CompareCommand.run(opts, spec, true); }
}
