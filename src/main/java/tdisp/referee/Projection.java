package tdisp.referee;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import tdisp.sim.Event;
import tdisp.sim.Trace;
import tdisp.sim.Vocabulary;

/**
 * The model's run projected onto what a kernel recording can show. Read from the typed
 * events, not the rendered trace: only {@link Event.Call} events count (a lock, an ioctl, a
 * firmware command or a note is not a function entry ftrace records), only after the common
 * setup, and only host-kernel calls: a call the model labels as another actor's ({@code guest:},
 * {@code qemu:}, {@code vmm:}, {@code device:}) runs in the guest, in userspace or in the
 * device. A call's names are the vocabulary's names of the event ({@link Vocabulary#names});
 * each link of an {@code a -> b -> c} chain is one call, nested under the links before it.
 * Names the recording cannot show ({@code shows} false) are dropped, and so are the links
 * they would have nested under.
 */
public final class Projection {
    /** The note World.setup() and World.setupHost() end with. */
    public static final String SETUP_DONE = "---- setup done ----";
    private static final Pattern NOT_HOST_KERNEL = Pattern.compile("^\\s*(?:guest|qemu|vmm|device):\\s");

    private Projection() {}

    /**
     * Every projected call, in the order of the model's trace. A chain's leading links that
     * repeat, word for word, the leading links of the same actor's previous call event are
     * that call still running, not new calls (the model prints the stack down to each callee:
     * {@code f -> g} then {@code f -> h} is one f calling g, then h); the last link is always
     * a new call.
     */
    public static List<ModelCall> project(Trace trace, Predicate<String> shows) {
        List<ModelCall> out = new ArrayList<>();
        Map<String, List<String>> prevLinks = new HashMap<>();
        Map<String, List<List<String>>> prevShown = new HashMap<>();
        boolean setupDone = trace.events().stream().noneMatch(e -> e instanceof Event.Note n && n.text().equals(SETUP_DONE));
        for (Event e : trace.events()) {
            if (e instanceof Event.Note n && n.text().equals(SETUP_DONE)) { setupDone = true; continue; }
            if (!setupDone || !(e instanceof Event.Call c)) continue;
            String actor = trace.threadName(c.thread());
            List<String> links = List.of(c.fn().split(" -> "));
            boolean host = !NOT_HOST_KERNEL.matcher(c.fn()).find();
            List<String> prev = prevLinks.getOrDefault(actor, List.of());
            int shared = 0;
            while (host && shared < links.size() - 1 && shared < prev.size() && links.get(shared).equals(prev.get(shared))) shared++;
            List<List<String>> shown = new ArrayList<>();
            List<String> under = new ArrayList<>();
            for (int i = 0; i < links.size(); i++) {
                List<String> here = new ArrayList<>();
                if (i < shared) {
                    here.addAll(prevShown.get(actor).get(i));
                } else if (host) {
                    for (String name : Vocabulary.names(new Event.Call(c.thread(), links.get(i)))) {
                        if (!shows.test(name)) continue;
                        out.add(new ModelCall(actor, name, under, c.fn()));
                        here.add(name);
                    }
                }
                shown.add(here);
                // The next link runs inside this one: inside its last shown call.
                if (!here.isEmpty()) under.add(here.get(here.size() - 1));
            }
            prevLinks.put(actor, links);
            prevShown.put(actor, shown);
        }
        return out;
    }

    /** The calls grouped by actor, actors in order of first call. */
    public static Map<String, List<ModelCall>> byActor(List<ModelCall> calls) {
        Map<String, List<ModelCall>> m = new LinkedHashMap<>();
        for (ModelCall c : calls) m.computeIfAbsent(c.actor(), k -> new ArrayList<>()).add(c);
        return m;
    }
}
