package tdisp.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The event sink of one world. Counters and modeled time are always kept; the event list
 * (with each event's virtual completion time) only while recording is on. With recording
 * off, {@link Sim} counts and charges without creating events, so hot paths allocate
 * nothing.
 */
public final class Trace {
    private final List<String> threadNames = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private long[] times = new long[256];
    private boolean recording = true;
    private Charger charger = Charger.FREE;
    private long steps;
    private long vmExits;
    private long userExits;
    private long ioctls;
    private long fwCalls;
    private long bytesCopied;
    private long modeledNs;

    public int registerThread(String name) {
        threadNames.add(name);
        return threadNames.size() - 1;
    }

    public String threadName(int id) { return threadNames.get(id); }

    public void setRecording(boolean on) { recording = on; }

    public boolean recording() { return recording; }

    /** Sets what each kind of event costs in virtual time (the cost model). */
    public void setCharger(Charger charger) { this.charger = charger; }

    public Charger charger() { return charger; }

    /** Records an event (recording on): counts and charges it exactly like the count* methods. */
    public void emit(Event e) {
        if (e instanceof Event.Exit x) {
            if (x.kind() == Event.ExitKind.VM) vmExits++; else userExits++;
        } else if (e instanceof Event.Ioctl) {
            ioctls++;
        } else if (e instanceof Event.Firmware) {
            fwCalls++;
        } else if (e instanceof Event.Copy c) {
            bytesCopied += c.bytes();
        }
        modeledNs += charger.charge(e);
        if (recording) {
            if (events.size() == times.length) times = Arrays.copyOf(times, times.length * 2);
            times[events.size()] = modeledNs;
            events.add(e);
        }
    }

    void countExit(Event.ExitKind k) {
        if (k == Event.ExitKind.VM) vmExits++; else userExits++;
        modeledNs += charger.exit(k);
    }

    void countIoctl() {
        ioctls++;
        modeledNs += charger.ioctl();
    }

    /** Charged, not counted: the ioctls column counts ioctl(2) only. */
    void countSyscall() {
        modeledNs += charger.syscall();
    }

    void countFirmware(String cmd) {
        fwCalls++;
        modeledNs += charger.firmware(cmd);
    }

    void countLock(LockMode m) { modeledNs += charger.lock(m); }

    void countCopy(Event.CopyKind k, int bytes) {
        bytesCopied += bytes;
        modeledNs += charger.copy(k, bytes);
    }

    void countDoe() { modeledNs += charger.doe(); }

    void countLookup() { modeledNs += charger.lookup(); }

    void countWork(String row) { modeledNs += charger.work(row); }

    void countStep() { steps++; }

    /** Forget counts so far (used after a scenario's common setup). */
    public void resetCounters() {
        steps = vmExits = userExits = ioctls = fwCalls = bytesCopied = modeledNs = 0;
    }

    public List<Event> events() { return Collections.unmodifiableList(events); }

    /** Virtual time (ns) at which recorded event i completed. */
    public long timeOf(int i) { return times[i]; }

    public long modeledNs() { return modeledNs; }

    public long bytesCopied() { return bytesCopied; }

    public long vmExits() { return vmExits; }

    public long userExits() { return userExits; }

    public long ioctls() { return ioctls; }

    public long fwCalls() { return fwCalls; }

    public Counters counters() { return new Counters(steps, vmExits, userExits, ioctls, fwCalls, modeledNs); }

    public String render(Event e) {
        return String.format("[%-7s] %s", threadNames.get(e.thread()), Vocabulary.standard().mark(e, e.render()));
    }

    /** The recorded events with their times and threads' names, in order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) out.add(new Entry(times[i], threadNames.get(events.get(i).thread()), events.get(i)));
        return out;
    }

    /**
     * One recorded event, typed, with what the trace prints beside it: the modeled time (ns)
     * at which it completed and the name of the thread that ran it. Readers of a run's trace
     * (the report's sequence diagrams) take these, not the printed lines.
     */
    public record Entry(long ns, String thread, Event event) {
        /** The event as the trace prints it: its render(), with the vocabulary's source labels. */
        public String text() { return Vocabulary.standard().mark(event, event.render()); }

        /** The modeled time in microseconds as the trace's left column prints it, unpadded. */
        public String micros() { return String.format("%.3f", ns / 1000.0); }

        /** The trace line: time, thread, text. */
        public String line() { return String.format("%11.3f us [%-7s] %s", ns / 1000.0, thread, text()); }
    }

    /** Snapshot of the crossing counters of a run. */
    public record Counters(long steps, long vmExits, long userExits, long ioctls, long fwCalls, long modeledNs) {}
}
