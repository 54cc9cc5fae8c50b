package tdisp.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import tdisp.output.Columns;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Scenario;
import tdisp.sim.Assumption;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Knob;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.Fault;
import tdisp.world.Invariants;

/** tdisp list: every id a command accepts, with one line of description each (72 columns). */
@Command(name = "list", description = "List strategies, platforms, scenarios, knobs, invariants and faults.")
final class ListCommand implements Callable<Integer> {
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        StrategyCatalog c = catalog.catalog(); // fails before anything is printed
        StringBuilder sb = new StringBuilder();
        sb.append("strategies (--strategies):\n");
        for (Strategy s : c.all()) entry(sb, "  ", s.id(), 20, s.title());
        sb.append("platforms (--platforms):\n");
        for (Platform p : Platforms.all()) entry(sb, "  ", p.id(), 20, p.description());
        sb.append("scenarios (--scenarios):\n");
        for (Scenario s : Scenarios.all().values()) {
            sb.append("  ").append(s.id()).append('\n');
            sb.append(Columns.wrapLine("      " + s.title(), "      ")).append('\n');
        }
        sb.append("host-only scenarios (tdisp referee; one per kernel recording):\n");
        for (Scenario s : tdisp.scenario.HostScenarios.all().values()) {
            sb.append("  ").append(s.id()).append('\n');
            sb.append(Columns.wrapLine("      " + s.title(), "      ")).append('\n');
        }
        for (var e : tdisp.scenario.HostScenarios.unmodelled().entrySet()) {
            sb.append("  ").append(e.getKey()).append('\n');
            sb.append(Columns.wrapLine("      not modelled: " + e.getValue(), "      ")).append('\n');
        }
        sb.append("knobs (--set KEY=VALUE):\n");
        for (Knob k : Knob.values()) {
            sb.append("  ").append(k.key()).append('\n');
            sb.append(Columns.wrapLine("      " + k.allowedText(), "      ")).append('\n');
            sb.append(Columns.wrapLine("      " + k.description(), "      ")).append('\n');
        }
        sb.append("invariants ([kind]: a spec, firmware or kernel rule, or\n");
        sb.append("the project's policy):\n");
        for (tdisp.world.Invariant i : Invariants.CATALOGUE) entry(sb, "  ", i.id(), 4, "[" + i.kind().token() + "] " + i.description());
        sb.append("assumptions (named; a matrix cell resting on one is marked '*'):\n");
        for (Assumption a : Assumption.values()) {
            sb.append("  ").append(a.id()).append('\n');
            sb.append(Columns.wrapLine("      " + a.statement(), "      ")).append('\n');
            sb.append(Columns.wrapLine("      why: " + a.why(), "      ")).append('\n');
            sb.append(Columns.wrapLine("      platforms: " + String.join(", ", a.platforms())
                    + (a.knob().isEmpty() ? "; one reading" : "; other reading: --set " + a.knob()), "      ")).append('\n');
        }
        sb.append("faults (--fault, for showing an invariant can fail):\n");
        for (Fault f : Fault.values()) sb.append("  ").append(f).append('\n');
        PrintWriter o = spec.commandLine().getOut();
        o.print(sb);
        return ExitCodes.OK;
    }

    /** "  id   description", the description wrapped under itself. */
    private static void entry(StringBuilder sb, String indent, String id, int idWidth, String text) {
        String head = indent + String.format("%-" + idWidth + "s ", id);
        if (head.length() > indent.length() + idWidth + 1) {
            sb.append(indent).append(id).append('\n');
            head = " ".repeat(indent.length() + idWidth + 1);
        }
        sb.append(Columns.wrapLine(head + text, " ".repeat(indent.length() + idWidth + 1))).append('\n');
    }
}
