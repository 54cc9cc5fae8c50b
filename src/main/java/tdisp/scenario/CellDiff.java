package tdisp.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import tdisp.sim.Trace;

/**
 * How one (platform, scenario) cell differs between a base strategy and a variant run on the
 * same seed, faults and costs: the cause it is filed under, the invariants it clears and
 * introduces, and where the two traces part.
 *
 * @param cleared    invariants the base violated and the variant holds
 * @param introduced invariants the base held and the variant violates (the regression)
 * @param divergence the first step at which the traces differ; null when they are equal
 */
public record CellDiff(ScenarioResult base, ScenarioResult variant, Cause cause,
        SortedSet<String> cleared, SortedSet<String> introduced, Divergence divergence) {

    /** Why a cell is listed, in the order a reader wants them: regressions first. */
    public enum Cause {
        INTRODUCED("invariant introduced"),
        CLEARED("invariant cleared"),
        FIRST_MOVED("first violation moved"),
        VERDICT("verdict changed"),
        COUNTERS("counters only"),
        TRACE("trace only");

        private final String title;

        Cause(String title) { this.title = title; }

        public String title() { return title; }

        /** The token written in diff.csv, e.g. "invariant-introduced". */
        public String token() { return title.replace(' ', '-'); }
    }

    /**
     * The first differing step of two traces (1-based), with each side's event there as the
     * trace prints it (thread and kernel names, no time) and the modeled time at that step.
     * An event is null where that trace ended first; its time is then the trace's last.
     */
    public record Divergence(int step, String baseEvent, String variantEvent, long baseNs, long variantNs,
            int baseSteps, int variantSteps) {
        /** Modeled time of the variant minus the base's at this step, in ns. */
        public long deltaNs() { return variantNs - baseNs; }
    }

    /** The cell's difference, or empty when verdict, invariants, end state, counters and trace are all equal. */
    public static Optional<CellDiff> of(ScenarioResult base, ScenarioResult variant) {
        if (!base.platform().equals(variant.platform()) || !base.scenario().equals(variant.scenario())) {
            throw new IllegalArgumentException("different cells: " + base.platform() + "/" + base.scenario()
                    + " and " + variant.platform() + "/" + variant.scenario());
        }
        SortedSet<String> cleared = minus(base.violated(), variant.violated());
        SortedSet<String> introduced = minus(variant.violated(), base.violated());
        Divergence d = firstDivergence(base.trace(), variant.trace());
        Cause cause;
        if (!introduced.isEmpty()) cause = Cause.INTRODUCED;
        else if (!cleared.isEmpty()) cause = Cause.CLEARED;
        else if (!base.firstViolation().equals(variant.firstViolation())) cause = Cause.FIRST_MOVED;
        else if (base.verdict() != variant.verdict()) cause = Cause.VERDICT;
        else if (!base.counters().equals(variant.counters()) || !base.tdiEndState().equals(variant.tdiEndState())
                || !base.secureDma().equals(variant.secureDma())) cause = Cause.COUNTERS;
        else if (d != null) cause = Cause.TRACE;
        else return Optional.empty();
        return Optional.of(new CellDiff(base, variant, cause, cleared, introduced, d));
    }

    /** The counters that differ, as "name base -> variant" (modeled time is reported apart). */
    public List<String> counterChanges() {
        Trace.Counters b = base.counters();
        Trace.Counters v = variant.counters();
        List<String> out = new ArrayList<>();
        change(out, "steps", b.steps(), v.steps());
        change(out, "VM exits", b.vmExits(), v.vmExits());
        change(out, "exits to VMM", b.userExits(), v.userExits());
        change(out, "ioctls", b.ioctls(), v.ioctls());
        change(out, "firmware calls", b.fwCalls(), v.fwCalls());
        if (!base.tdiEndState().equals(variant.tdiEndState())) {
            out.add("TDI end state " + base.tdiEndState() + " -> " + variant.tdiEndState());
        }
        if (!base.secureDma().equals(variant.secureDma())) out.add("secure DMA " + base.secureDma() + " -> " + variant.secureDma());
        return out;
    }

    /** Modeled time of the whole scenario (after setup), variant minus base, in ns. */
    public long modeledDeltaNs() { return variant.counters().modeledNs() - base.counters().modeledNs(); }

    private static void change(List<String> out, String name, long b, long v) {
        if (b != v) out.add(name + " " + b + " -> " + v);
    }

    private static SortedSet<String> minus(SortedSet<String> a, SortedSet<String> b) {
        SortedSet<String> out = new TreeSet<>(ScenarioRunner.INVARIANT_ORDER);
        out.addAll(a);
        out.removeAll(b);
        return out;
    }

    /**
     * The first step where two traces differ, or null when they are equal. Steps compare by
     * event (thread and text); when every event agrees, by modeled time, so a change that
     * only makes a step dearer still shows where. Lines are {@link ScenarioRunner}'s:
     * "%11.3f us EVENT", the time in microseconds with nanosecond digits.
     */
    public static Divergence firstDivergence(List<String> base, List<String> variant) {
        int n = Math.min(base.size(), variant.size());
        for (int i = 0; i < n; i++) {
            if (!event(base.get(i)).equals(event(variant.get(i)))) return at(i, base, variant);
        }
        if (base.size() != variant.size()) return at(n, base, variant);
        for (int i = 0; i < n; i++) {
            if (timeNs(base.get(i)) != timeNs(variant.get(i))) return at(i, base, variant);
        }
        return null;
    }

    private static Divergence at(int i, List<String> base, List<String> variant) {
        return new Divergence(i + 1, i < base.size() ? event(base.get(i)) : null,
                i < variant.size() ? event(variant.get(i)) : null, timeAt(base, i), timeAt(variant, i),
                base.size(), variant.size());
    }

    private static long timeAt(List<String> trace, int i) {
        if (trace.isEmpty()) return 0;
        return timeNs(trace.get(Math.min(i, trace.size() - 1)));
    }

    private static final String UNIT = " us ";

    /** The event part of a trace line ("[vmm0   ] vfio_pci_core_disable(dev0)"). */
    static String event(String line) {
        int u = line.indexOf(UNIT);
        return u < 0 ? line : line.substring(u + UNIT.length());
    }

    /** The modeled time of a trace line in ns; a line without one (not applicable) is at 0. */
    static long timeNs(String line) {
        int u = line.indexOf(UNIT);
        if (u < 0) return 0;
        try {
            return new BigDecimal(line.substring(0, u).strip()).movePointRight(3).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return 0;
        }
    }
}
