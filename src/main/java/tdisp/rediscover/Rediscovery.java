package tdisp.rediscover;

import tdisp.explore.ExplorerConfig;
import java.util.ArrayList;
import java.util.List;

import tdisp.explore.Cancel;
import tdisp.explore.Exploration;
import tdisp.explore.Explorer;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.DsmLayout;

/**
 * The rediscovery service: every known bug explored twice with the same bounds, once with
 * the buggy kernel's knobs and once with the fixed one's, and whether each search broke the
 * bug's invariant at its site. Rendering and exit codes are the caller's.
 */
public final class Rediscovery {
    private Rediscovery() {}

    /**
     * What to search: the catalogue the bugs' strategies come from, knob overrides applied
     * before each bug's own, the model size and the search settings of every run.
     *
     * @param checkPor also search each case without partial-order reduction (its {@link CaseRun#full()})
     */
    public record Request(StrategyCatalog catalog, List<String> sets, int vms, DsmLayout layout, int preemptions, ExplorerConfig config,
                          boolean checkPor, List<KnownBug> bugs) {
        public Request {
            sets = List.copyOf(sets);
            bugs = List.copyOf(bugs);
        }

        /** The runs planned: each bug buggy and fixed. */
        public int planned() { return bugs.size() * 2; }
    }

    /**
     * One search of one known bug.
     *
     * @param full the same search without reduction (only under {@link Request#checkPor()}), or null
     */
    public record CaseRun(KnownBug bug, boolean buggy, Exploration.Spec spec, Exploration.Outcome outcome, Exploration.Outcome full) {
        /** Whether the search broke the bug's invariant at its site. */
        public boolean found() { return outcome.run().result().violatedAt(bug.invariant(), bug.site()); }
    }

    /** The runs made, in catalogue order (fewer than planned when stopped). */
    public record Result(Request request, List<CaseRun> runs) {
        public Result {
            runs = List.copyOf(runs);
        }

        public boolean interrupted() { return runs.size() < request.planned(); }

        /** The bugs a buggy run missed, as "id (I1 at site)". */
        public List<String> missed() {
            return runs.stream().filter(r -> r.buggy() && !r.found())
                    .map(r -> r.bug().id() + " (" + r.bug().invariant() + " at " + r.bug().site() + ")").toList();
        }
    }

    /** Hears each search start and end (the CLI's progress line). */
    public interface Listener {
        void begin(String what);

        void step();

        /** The explorer's own progress events for the search under way, or null. */
        Explorer.Progress search();
    }

    /** The run's label: the bug, its side, and the layout when not the default. */
    public static String label(KnownBug bug, boolean buggy, DsmLayout layout) {
        return bug.id() + (buggy ? "-bug" : "-fixed") + (layout == DsmLayout.SHARED_PF0 ? "-shared-dsm" : "");
    }

    public static Result run(Request q, Listener listener, Cancel stop) {
        List<CaseRun> out = new ArrayList<>();
        for (KnownBug c : q.bugs()) {
            for (boolean buggy : new boolean[] {true, false}) {
                if (stop.requested()) break;
                String label = label(c, buggy, q.layout());
                List<String> sets = new ArrayList<>(q.sets());
                sets.addAll(c.knobs(buggy));
                listener.begin(label + " (" + c.strategy() + " on " + c.platform().id() + ", " + String.join(" ", sets) + ")");
                Exploration.Spec spec = new Exploration.Spec(label, c.strategy(), sets, c.platform(), q.vms(), q.layout(), q.preemptions(), q.config());
                Exploration.Outcome o = Exploration.run(spec, q.catalog(), listener.search(), stop);
                listener.step();
                Exploration.Outcome full = q.checkPor()
                        ? Exploration.run(spec.withConfig(q.config().toBuilder().progressMillis(0).build().withPor(false)), q.catalog(), null, stop) : null;
                out.add(new CaseRun(c, buggy, spec, o, full));
            }
        }
        return new Result(q, out);
    }
}
