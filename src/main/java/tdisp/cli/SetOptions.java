package tdisp.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** --set KEY=VALUE knob overrides (a picocli mixin). */
public final class SetOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
            description = "override a knob of every selected strategy (repeatable; `tdisp list` names the knobs)")
    List<String> sets = new ArrayList<>();
}
