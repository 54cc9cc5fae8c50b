package tdisp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

import tdisp.world.Fault;

/** --fault (a picocli mixin): deliberate defects that show an invariant can fail. */
public final class FaultOption {
    @Option(names = "--fault", paramLabel = "NAME", showDefaultValue = Visibility.NEVER,
            description = "inject a deliberate defect (repeatable): ${COMPLETION-CANDIDATES}")
    List<Fault> faults = new ArrayList<>();

    Set<Fault> set() { return RunOptions.faultSetOf(faults); }
}
