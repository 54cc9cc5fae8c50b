package tdisp.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import tdisp.platform.Platform;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.DsmLayout;

/**
 * One exploration from inputs to outputs: build the model, search, and turn every
 * counterexample (and the goal) into a replay file plus the trace `tdisp replay` prints
 * for it, byte for byte.
 */
public final class Exploration {
    private Exploration() {}

    /**
     * What to explore. {@code sets} are knob overrides on the strategy's descriptor;
     * {@code actions} the alphabet the search may take (explore --actions / --skip-actions).
     */
    public record Spec(String label, String strategy, List<String> sets, Platform platform, int vms, DsmLayout layout,
                       int preemptions, ExplorerConfig config, Start start, ActionFilter actions) {
        public Spec(String label, String strategy, List<String> sets, Platform platform, int vms, DsmLayout layout,
                    int preemptions, ExplorerConfig config, Start start) {
            this(label, strategy, sets, platform, vms, layout, preemptions, config, start, ActionFilter.ALL);
        }

        public Spec(String label, String strategy, List<String> sets, Platform platform, int vms, int preemptions, ExplorerConfig config) {
            this(label, strategy, sets, platform, vms, DsmLayout.ONE_PER_TDI, preemptions, config);
        }

        /** From the clean boot. */
        public Spec(String label, String strategy, List<String> sets, Platform platform, int vms, DsmLayout layout,
                    int preemptions, ExplorerConfig config) {
            this(label, strategy, sets, platform, vms, layout, preemptions, config, Start.CLEAN_BOOT);
        }

        /** The same run under other search settings (rediscover --check-por: the same run unreduced). */
        public Spec withConfig(ExplorerConfig other) {
            return new Spec(label, strategy, sets, platform, vms, layout, preemptions, other, start, actions);
        }

        /** The same run searched from another start (explore --start). */
        public Spec withStart(Start other) {
            return new Spec(label, strategy, sets, platform, vms, layout, preemptions, config, other, actions);
        }

        /** The same run over another alphabet. */
        public Spec withActions(ActionFilter other) {
            return new Spec(label, strategy, sets, platform, vms, layout, preemptions, config, start, other);
        }
    }

    /**
     * One exploration as reported: its label, inputs, and result.
     *
     * @param goal the shortest path the search found to the goal, or null
     * @param start where the search started: counterexamples and the goal are paths from there
     * @param actions the alphabet the search took
     */
    public record Run(String label, String strategy, String platform, String knobs, int vms, int preemptions,
                      ExplorerResult result, List<String> actionNames, List<Integer> goal, Map<String, List<String>> restsOn, Start start,
                      ActionFilter actions) {
        public Run {
            restsOn = Map.copyOf(restsOn);
        }

        public Run(String label, String strategy, String platform, String knobs, int vms, int preemptions,
                   ExplorerResult result, List<String> actionNames, List<Integer> goal, Map<String, List<String>> restsOn) {
            this(label, strategy, platform, knobs, vms, preemptions, result, actionNames, goal, restsOn, Start.CLEAN_BOOT, ActionFilter.ALL);
        }

        /**
         * The named assumptions a counterexample rests on (ids; empty for none), by its key in
         * {@code result().counterexamples()}.
         */
        public List<String> restsOn(String key) { return restsOn.getOrDefault(key, List.of()); }
    }

    /** The report row and the files to write (relative path -> content). */
    public record Outcome(Run run, Map<String, String> files) {}

    public static Outcome run(Spec spec, StrategyCatalog catalog, Explorer.Progress progress) {
        return run(spec, catalog, progress, Cancel.NEVER);
    }

    /** As {@link #run(Spec, StrategyCatalog, Explorer.Progress)}, stopping early when {@code cancel} asks. */
    public static Outcome run(Spec spec, StrategyCatalog catalog, Explorer.Progress progress, Cancel cancel) {
        Strategy s = catalog.get(spec.strategy()).withOverrides(spec.sets());
        WorldModel first = model(s, spec);
        boolean[] handedOut = {false};
        // One model per search thread; the first is also the one whose action names are reported.
        Supplier<WorldModel> models = () -> {
            if (handedOut[0]) return model(s, spec);
            handedOut[0] = true;
            return first;
        };
        ExplorerResult r = new Explorer(models, spec.config(), progress).run(cancel);
        List<String> names = actionNames(first);
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Integer> perInvariant = new java.util.HashMap<>();
        Map<String, List<String>> restsOn = new LinkedHashMap<>();
        for (Map.Entry<String, Counterexample> e : r.counterexamples().entrySet()) {
            Counterexample ce = e.getValue();
            int k = perInvariant.merge(ce.invariant(), 1, Integer::sum);
            restsOn.put(e.getKey(), addReplay(files, spec, catalog, ce.invariant(), ce.invariant() + "-" + k, ce.actions(), names));
        }
        if (r.goal() != null) addReplay(files, spec, catalog, "goal", "goal", r.goal(), names);
        Run run = new Run(spec.label(), s.id(), spec.platform().id(), s.knobs().describe(),
                spec.vms(), spec.preemptions(), r, names, r.goal(), restsOn, spec.start(), spec.actions());
        return new Outcome(run, files);
    }

    /** Names of a model's actions, by index (what counterexample lines print). */
    public static List<String> actionNames(Model m) {
        List<String> out = new ArrayList<>();
        for (int a = 0; a < m.actionCount(); a++) out.add(m.actionName(a));
        return out;
    }

    private static WorldModel model(Strategy s, Spec spec) {
        WorldModel m = new WorldModel(s, spec.platform(), spec.config().seed(), spec.vms(), spec.layout(), false);
        m.setPreemptionBound(spec.preemptions());
        StartState.apply(spec.start(), m);
        // After the start: its prefix may take actions the search then leaves out.
        if (!spec.actions().all()) m.restrictTo(spec.actions()::allows);
        return m;
    }

    /** Writes the replay file and its trace; returns the named assumptions the path rests on. */
    private static List<String> addReplay(Map<String, String> files, Spec spec, StrategyCatalog catalog, String what, String fileTag,
                                  List<Integer> actions, List<String> names) {
        // The file holds the whole path from the clean boot: the start's prefix, then the search's.
        List<String> acts = new ArrayList<>(spec.start().actions());
        for (int a : actions) acts.add(names.get(a));
        ReplayFile f = ReplayFile.of(catalog.get(spec.strategy()).withOverrides(spec.sets()), spec.sets(), spec.platform().id(),
                spec.vms(), spec.layout(), spec.config().seed(), spec.preemptions(), what, acts);
        String base = "cex/" + spec.label() + "-" + fileTag;
        ReplayFile.Outcome o = f.run();
        // A comment for the reader (the parser skips it): what the path's verdict leans on.
        String rests = "# rests on: " + (o.assumptions().isEmpty() ? "no named assumption" : String.join(", ", o.assumptions())) + "\n";
        String replay = startMarker(f.render(), spec.start());
        int end = replay.lastIndexOf("end\n");
        files.put(base + ".replay", replay.substring(0, end) + rests + replay.substring(end));
        files.put(base + ".trace", o.text());
        return o.assumptions();
    }

    /**
     * A comment after the start's prefix saying where the search began (the parser skips
     * comments, so the format and older readers are unchanged).
     */
    static String startMarker(String replay, Start start) {
        if (start.cleanBoot()) return replay;
        int at = 0;
        for (int i = 0; i < start.actions().size(); i++) at = replay.indexOf("\naction ", at) + 1;
        at = start.actions().isEmpty() ? replay.indexOf("\naction ") + 1 : replay.indexOf('\n', at) + 1;
        return replay.substring(0, at) + "# the search started here: --start " + start.shown() + "\n# (the " + start.actions().size()
                + " actions above lead here from the clean boot)\n" + replay.substring(at);
    }
}
