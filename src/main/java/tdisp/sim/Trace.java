package tdisp.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The event sink of one world. Counters are always kept; the event list only when
 * recording is on (benchmarks turn it off).
 */
public final class Trace {
    private final List<String> threadNames = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private boolean recording = true;
    private long steps;
    private long vmExits;
    private long userExits;
    private long ioctls;
    private long fwCalls;
    private long modeledNs;
    private long[] times = new long[256];
    private java.util.function.ToLongFunction<Event> charger = e -> 0;

    /** Sets the function that charges virtual time for each event (the cost model). */
    public void setCharger(java.util.function.ToLongFunction<Event> charger) { this.charger = charger; }

    public int registerThread(String name) {
        threadNames.add(name);
        return threadNames.size() - 1;
    }

    public String threadName(int id) { return threadNames.get(id); }

    public void setRecording(boolean on) { recording = on; }

    public boolean recording() { return recording; }

    public void emit(Event e) {
        if (e instanceof Event.Exit x) {
            if (x.kind() == Event.ExitKind.VM) vmExits++; else userExits++;
        } else if (e instanceof Event.Ioctl) {
            ioctls++;
        } else if (e instanceof Event.Firmware) {
            fwCalls++;
        }
        modeledNs += charger.applyAsLong(e);
        if (recording) {
            if (events.size() == times.length) times = java.util.Arrays.copyOf(times, times.length * 2);
            times[events.size()] = modeledNs;
            events.add(e);
        }
    }

    /** Virtual time (ns) at which recorded event i completed. */
    public long timeOf(int i) { return times[i]; }

    public long modeledNs() { return modeledNs; }

    void countStep() { steps++; }

    /** Forget counts and events so far (used after a scenario's common setup). */
    public void resetCounters() {
        steps = vmExits = userExits = ioctls = fwCalls = modeledNs = 0;
    }

    public List<Event> events() { return Collections.unmodifiableList(events); }

    public Counters counters() { return new Counters(steps, vmExits, userExits, ioctls, fwCalls, modeledNs); }

    public String render(Event e) {
        return String.format("[%-7s] %s", threadNames.get(e.thread()), e.render());
    }

    /** Snapshot of the crossing counters of a run. */
    public record Counters(long steps, long vmExits, long userExits, long ioctls, long fwCalls, long modeledNs) {}
}
