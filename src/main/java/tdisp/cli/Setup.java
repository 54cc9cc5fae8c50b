package tdisp.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import tdisp.cost.CostOptions;
import tdisp.platform.Platform;
import tdisp.report.Provenance;
import tdisp.strategy.Strategy;
import tdisp.world.Fault;

/**
 * The provenance of a command's outputs, read off its parsed command line: the line that
 * reproduces the run, then the facts each command adds (seed, selection, overrides, faults,
 * cost table). Every command builds its setup here, so a new option of any command lands
 * in its reproduce line without an edit.
 */
final class Setup {
    private Setup() {}

    /**
     * Options that change where or how visibly a run writes, never what: left out, so that a
     * reproduce line run elsewhere gives the same bytes ("--threads": explore's output is the
     * same for any count; its wall time goes to the run-info sidecar).
     */
    static final Set<String> NOT_AN_INPUT = Set.of("--out", "--progress", "--progress-interval", "--threads", "--work-dir");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    /** A builder with the build's identity and the reproduce line; {@code resolved} overrides an option's values. */
    static Provenance.Builder start(CommandSpec spec, Map<String, List<String>> resolved) {
        return Provenance.builder().add(Provenance.REPRODUCE, reproduce(spec, resolved));
    }

    static Provenance.Builder start(CommandSpec spec) { return start(spec, Map.of()); }

    /**
     * The provenance start of a run made in-process (report's compare, sweep and explore):
     * the reproduce line {@code command} would print had it been given {@code options}
     * (values by option name) and {@code flags}. Rendered from the command's own option
     * model, so the line is the one a user running it gets, option for option.
     */
    static Provenance.Builder startAs(Object command, Map<String, List<String>> options, Set<String> flags) {
        CommandSpec spec = new picocli.CommandLine(command).getCommandSpec();
        for (String f : flags) spec.findOption(f).setValue(true);
        return start(spec, options);
    }

    /** --strategies and --platforms as the run resolved them: "all" made explicit. */
    static Map<String, List<String>> selection(List<Strategy> strategies, List<Platform> platforms) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("--strategies", strategies.stream().map(Strategy::id).toList());
        m.put("--platforms", platforms.stream().map(Platform::id).toList());
        return m;
    }

    /**
     * "./tdisp NAME" and every option in declaration order: as given when given, else its
     * default (the seed, bounds, counts), flags only when set; paths only when given (a
     * default path is this machine's). Multi-valued options are joined with ',' when they
     * split on it, repeated otherwise (--set, --fault) or when a quoted list is long.
     */
    static String reproduce(CommandSpec spec, Map<String, List<String>> resolved) {
        List<String> words = new ArrayList<>(List.of("./tdisp", spec.qualifiedName(" ").replaceFirst("^tdisp ", "")));
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (o.usageHelp() || o.versionHelp() || o.hidden() || NOT_AN_INPUT.contains(name)) continue;
            boolean given = spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(o);
            List<String> values = resolved.get(name);
            if (values == null) {
                if (o.arity().max() == 0 || o.type() == boolean.class || o.type() == Boolean.class) {
                    if (Boolean.TRUE.equals(o.getValue())) words.add(name);
                    continue;
                }
                if (given) values = o.stringValues();
                else if (o.defaultValue() != null && !isPath(o)) values = List.of(o.defaultValueString());
                else continue;
            }
            if (values.isEmpty()) continue;
            // A long quoted list (explore's globs) repeats its option per value, so the line wraps at 72.
            String joined = String.join(",", values);
            boolean repeat = values.size() > 1 && joined.length() > 40 && !PLAIN.matcher(joined).matches();
            if (!o.splitRegex().isEmpty() && !repeat) {
                words.add(name);
                words.add(quote(joined));
            } else {
                for (String v : values) {
                    words.add(name);
                    words.add(quote(v));
                }
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) for (String v : p.stringValues()) words.add(quote(v));
        return String.join(" ", words);
    }

    private static boolean isPath(ArgSpec a) { return a.type() == Path.class || a.auxiliaryTypes().length > 0 && a.auxiliaryTypes()[0] == Path.class; }

    static String quote(String v) { return PLAIN.matcher(v).matches() ? v : "'" + v.replace("'", "'\\''") + "'"; }

    /** The run's inputs that every compare-like command shares. */
    static Provenance.Builder run(Provenance.Builder b, long seed, List<Strategy> strategies, List<Platform> platforms, List<String> sets) {
        b.add("seed", seed)
                .add("strategies", strategies.stream().map(Strategy::id).toList());
        secondary(b, strategies);
        return b.add("platforms", platforms.stream().map(Platform::id).toList())
                .add("set", sets);
    }

    /** Names the strategies that rest on second-hand sources; nothing when none does. */
    static Provenance.Builder secondary(Provenance.Builder b, List<Strategy> strategies) {
        List<String> ids = strategies.stream().filter(Strategy::restsOnSecondarySources).map(Strategy::id).toList();
        if (!ids.isEmpty()) b.add("secondary", String.join(", ", ids) + ": from a summary of the posting or an integration branch, not the posted patches");
        return b;
    }

    static Provenance.Builder faults(Provenance.Builder b, Set<Fault> faults) {
        return b.add("fault", faults.stream().map(Fault::name).toList());
    }

    /** Which cost table charged the run (origin and digest) and the host conditions. */
    static Provenance.Builder costs(Provenance.Builder b, CostOptions c) {
        return b.add("costs", c.table().origin() + " " + c.table().digest())
                .add("nested", c.nested() ? "yes" : "no")
                .add("ibpb", c.ibpb() ? "yes" : "no");
    }

    /** explore and rediscover: the bounds are in the reproduce line, each run's knobs in the report. */
    static Provenance explore(CommandSpec spec, List<tdisp.explore.Exploration.Run> runs) {
        OptionSpec set = spec.findOption("--set");
        return explore(start(spec), runs, set == null ? List.of() : set.stringValues());
    }

    /** As {@link #explore(CommandSpec, List)} from a started builder and the runs' --set values. */
    static Provenance explore(Provenance.Builder start, List<tdisp.explore.Exploration.Run> runs, List<String> sets) {
        return start.add("seed", runs.isEmpty() ? "none" : Long.toString(runs.get(0).result().config().seed()))
                .add("strategies", runs.stream().map(tdisp.explore.Exploration.Run::strategy).distinct().toList())
                .add("platforms", runs.stream().map(tdisp.explore.Exploration.Run::platform).distinct().toList())
                .add("set", sets)
                .add("fault", List.of())
                .status(ExploreCommand.incomplete(runs) ? "INCOMPLETE: a search stopped before its bounds were exhausted ("
                        + String.join(", ", runs.stream().map(r -> r.label() + " " + Setup.lower(r.result().stop())).toList()) + ")" : "")
                .build();
    }

    static String yesNo(boolean b) { return b ? "yes" : "no"; }

    static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }
}
