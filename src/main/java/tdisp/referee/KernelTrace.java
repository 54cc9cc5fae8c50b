package tdisp.referee;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One recording of a scenario on a real kernel (results/kernel/traces/ID.trace, the format the
 * recorder and the referee agreed on): its provenance, the names ftrace was filtered to, the
 * tasks, and the calls in ftrace's order of function entry.
 *
 * @param source     the file as named to the parser (for messages)
 * @param provenance the {@code # key: value} lines (a repeated key's values joined by a space)
 * @param filter     the names the recording could show: a name outside it says nothing
 * @param tasks      task tag (t1, t2, ...) to its comm
 * @param lines      markers and calls, in file order
 */
public record KernelTrace(String source, Map<String, String> provenance, Set<String> filter, Map<String, String> tasks,
        List<Line> lines) {
    public KernelTrace {
        provenance = Map.copyOf(provenance);
        filter = Set.copyOf(filter);
        tasks = Map.copyOf(tasks);
        lines = List.copyOf(lines);
    }

    /** A line of the body. */
    public sealed interface Line {
        int lineNo();
    }

    /** {@code @ text}: a phase marker the driver wrote to trace_marker. */
    public record Marker(int lineNo, String text) implements Line {}

    /**
     * {@code tN <indent>name}: a function entry; {@code enclosing} are the recorded calls of the
     * same task that were still open (outermost first), read from the indent.
     */
    public record Call(int lineNo, String task, String name, List<String> enclosing) implements Line {
        public Call {
            enclosing = List.copyOf(enclosing);
        }

        public int depth() { return enclosing.size(); }
    }

    /** The marker the common setup ends with; calls before it are the setup's. */
    public static final String SETUP_DONE = "setup-done";

    /**
     * The calls of one task after the common setup (after {@code @ setup-done}; the whole body
     * when the recording has no such marker, as the iommufd selftest scenarios may not).
     */
    public List<Call> callsAfterSetup(String task) {
        boolean hasMarker = lines.stream().anyMatch(l -> l instanceof Marker m && m.text().equals(SETUP_DONE));
        boolean on = !hasMarker;
        List<Call> out = new ArrayList<>();
        for (Line l : lines) {
            if (l instanceof Marker m && m.text().equals(SETUP_DONE)) on = true;
            else if (on && l instanceof Call c && c.task().equals(task)) out.add(c);
        }
        return out;
    }

    /**
     * True if the recording could show {@code name}: it is in the filter, or matches one of its
     * globs ({@code vfio_pci_*}: set_ftrace_filter's wildcards).
     */
    public boolean shows(String name) {
        if (filter.contains(name)) return true;
        for (String f : filter) {
            if (f.indexOf('*') < 0) continue;
            String re = java.util.regex.Pattern.quote(f).replace("*", "\\E.*\\Q");
            if (name.matches(re)) return true;
        }
        return false;
    }

    /** The scenario id the provenance names, or null. */
    public String scenario() { return provenance.get("scenario"); }
}
