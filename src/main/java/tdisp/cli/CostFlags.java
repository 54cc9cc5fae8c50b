package tdisp.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;

/** The cost-table options every command that charges modeled time shares (a picocli mixin). */
public final class CostFlags {
    @Option(names = "--costs", paramLabel = "FILE", description = "cost table CSV replacing the built-in one (name,default,low,high,unit,applies_to,grade,source)")
    Path costs;

    @Option(names = "--nested", description = "the host is itself a guest: multiply exit costs by nested.exit.multiplier")
    boolean nested;

    @Option(names = "--ibpb", description = "VMSCAPE-affected CPU: charge an IBPB on every exit to the VMM")
    boolean ibpb;

    /** -D arguments that hand these options to a forked JVM ({@link CostOptions#fromSystemProperties}). */
    String[] forkArguments() {
        return new String[] {"-D" + CostOptions.COSTS_PROPERTY + "=" + (costs == null ? "" : costs.toAbsolutePath()),
                "-D" + CostOptions.NESTED_PROPERTY + "=" + nested, "-D" + CostOptions.IBPB_PROPERTY + "=" + ibpb};
    }

    CostOptions options() {
        if (costs != null) InputFiles.check(costs, "--costs");
        return new CostOptions(costs == null ? CostTable.defaults() : CostTable.load(costs), nested, ibpb);
    }
}
