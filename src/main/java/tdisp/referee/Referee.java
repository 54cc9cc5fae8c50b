package tdisp.referee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tdisp.device.ResetMethod;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.HostScenarios;
import tdisp.scenario.Scenario;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;
import tdisp.world.World;

/**
 * The kernel as referee: each recording against the model's run of the same scenario.
 *
 * <p>The claim, for each recording and each model actor (thread) with a call the recording
 * can show: the actor's projected calls ({@link Projection}) are a subsequence of one kernel
 * task's calls after the common setup ("order"); and, where the model nests a call under
 * another, the kernel call it matches is inside a call of that name ("nesting"; checked on
 * the same task, by the same in-order matching). A host-only run is made on every platform
 * and must project the same on all ("platform-neutral"). A bound-TDI scenario of the matrix is
 * held to its recording's order on its host-side calls: the host-only run's calls, matched
 * in order into the bound run ({@link #hostSide}); its other calls are paths no kernel
 * without TDISP hardware can take, and are listed as such.
 */
public final class Referee {
    public static final String ANY = "any";
    public static final String SUFFIX = ".trace";

    private Referee() {}

    /**
     * Every {@code ID.trace} of {@code dir} (none if it does not exist), by id. A file whose id is
     * not a recording id of the contract, or whose {@code # scenario:} names another id, is bad
     * input.
     */
    public static Map<String, KernelTrace> load(Path dir) throws IOException {
        Map<String, KernelTrace> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return out;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String id = name.substring(0, name.length() - SUFFIX.length());
            if (!HostScenarios.RECORDED.contains(id)) {
                throw new TraceFormatException(f + ": '" + id + "' is not a recording id (" + String.join(", ", HostScenarios.RECORDED) + ")");
            }
            KernelTrace t = KernelTraceParser.parse(f);
            resetMethod(t);
            if (t.scenario() != null && !t.scenario().equals(id)) {
                throw new TraceFormatException(f + ": '# scenario: " + t.scenario() + "' in the file of '" + id + "'");
            }
            out.put(id, t);
        }
        return out;
    }

    /** Every claim, recordings in the contract's order, then the bound scenarios. */
    public static List<Claim> check(Strategy s, Map<String, KernelTrace> recordings, long seed) {
        List<Claim> out = new ArrayList<>();
        for (String id : HostScenarios.RECORDED) out.addAll(checkHost(s, id, recordings.get(id), seed));
        for (Map.Entry<String, String> e : HostScenarios.boundMirrors().entrySet()) {
            out.addAll(checkBound(s, e.getKey(), e.getValue(), recordings.get(e.getValue()), seed));
        }
        return out;
    }

    static List<Claim> checkHost(Strategy s, String id, KernelTrace trace, long seed) {
        String why = HostScenarios.unmodelled().get(id);
        if (why != null) {
            return List.of(new Claim(id, id, ANY, "", "order", "no run", trace == null ? "no file" : "recorded",
                    Verdict.NOT_MODELLED, why));
        }
        if (trace == null) return List.of(new Claim(id, id, ANY, "", "order", "-", "no file", Verdict.NOT_RECORDED, ""));
        Scenario sc = HostScenarios.all().get(id);
        List<Claim> out = new ArrayList<>();
        List<ModelCall> first = null;
        String firstPlatform = null;
        for (Platform p : Platforms.all()) {
            World w = HostScenarios.run(s, p, sc, seed, resetMethod(trace));
            List<ModelCall> calls = Projection.project(w.sim().trace(), trace::shows);
            if (first == null) {
                first = calls;
                firstPlatform = p.id();
            } else if (!names(calls).equals(names(first))) {
                out.add(new Claim(id, id, p.id(), "", "platform-neutral", calls(calls.size()), "-", Verdict.DIFFER,
                        "the host-only run on " + p.id() + " calls other functions than on " + firstPlatform));
            }
        }
        out.addAll(0, actorClaims(id, id, ANY, first, trace));
        return out;
    }

    static List<Claim> checkBound(Strategy s, String scenarioId, String id, KernelTrace trace, long seed) {
        if (trace == null) return List.of(new Claim(id, scenarioId, ANY, "", "host order", "-", "no file", Verdict.NOT_RECORDED, ""));
        Scenario host = HostScenarios.all().get(id);
        Scenario bound = Scenarios.get(scenarioId);
        List<Claim> out = new ArrayList<>();
        for (Platform p : Platforms.all()) {
            ResetMethod m = resetMethod(trace);
            List<ModelCall> hostRun = Projection.project(HostScenarios.run(s, p, host, seed, m).sim().trace(), trace::shows);
            List<ModelCall> calls = Projection.project(HostScenarios.runBound(s, p, bound, seed, m).sim().trace(), trace::shows);
            boolean[] hostSideAt = hostSide(hostRun, calls);
            List<ModelCall> hostSide = new ArrayList<>();
            List<ModelCall> tdisp = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) (hostSideAt[i] ? hostSide : tdisp).add(calls.get(i));
            out.addAll(actorClaims(id, scenarioId, p.id(), hostSide, trace));
            if (!tdisp.isEmpty()) {
                List<String> distinct = names(tdisp).stream().distinct().toList();
                out.add(new Claim(id, scenarioId, p.id(), "", "bound path", calls(tdisp.size()), "-", Verdict.NO_TDISP,
                        "calls only a bound TDI reaches: " + String.join(", ", distinct)));
            }
        }
        return out;
    }

    /** The order and nesting claims of each actor of one run against one recording. */
    static List<Claim> actorClaims(String id, String scenario, String platform, List<ModelCall> calls, KernelTrace trace) {
        List<Claim> out = new ArrayList<>();
        Map<String, List<ModelCall>> byActor = Projection.byActor(calls);
        if (byActor.isEmpty()) {
            out.add(new Claim(id, scenario, platform, "", "order", "0 calls", "-", Verdict.NOT_MODELLED,
                    "the model's run calls none of the names the recording shows"));
            return out;
        }
        for (Map.Entry<String, List<ModelCall>> e : byActor.entrySet()) {
            List<ModelCall> model = e.getValue();
            String bestTask = null;
            Embedding best = null;
            for (String task : trace.tasks().keySet()) {
                Embedding em = Embedding.of(model, trace.callsAfterSetup(task), false);
                if (best == null || em.matched() > best.matched()) { best = em; bestTask = task; }
            }
            String actor = e.getKey();
            if (bestTask == null) {
                out.add(new Claim(id, scenario, platform, actor, "order", calls(model.size()), "no task", Verdict.DIFFER,
                        "the recording has no task"));
                continue;
            }
            String taskName = bestTask + " " + trace.tasks().get(bestTask);
            List<KernelTrace.Call> kernel = trace.callsAfterSetup(bestTask);
            if (best.complete(model)) {
                out.add(new Claim(id, scenario, platform, actor, "order", calls(model.size()), taskName, Verdict.AGREE, ""));
            } else {
                out.add(orderDiffers(id, scenario, platform, actor, model, best, kernel, bestTask, trace));
                continue;
            }
            if (model.stream().anyMatch(c -> !c.under().isEmpty())) {
                long nested = model.stream().filter(c -> !c.under().isEmpty()).count();
                Embedding n = Embedding.of(model, kernel, true);
                if (n.complete(model)) {
                    out.add(new Claim(id, scenario, platform, actor, "nesting", nested + " nested", taskName, Verdict.AGREE, ""));
                } else {
                    ModelCall c = model.get(n.matched());
                    out.add(new Claim(id, scenario, platform, actor, "nesting", c.name(), "not under " + String.join(" > ", c.under()),
                            Verdict.DIFFER, "call " + (n.matched() + 1) + " of " + model.size() + ", " + c.name() + ", is nested under "
                            + String.join(" > ", c.under()) + " in the model (" + c.event() + "); in " + bestTask
                            + " no in-order match of it is inside all of them"));
                }
            }
        }
        return out;
    }

    private static Claim orderDiffers(String id, String scenario, String platform, String actor, List<ModelCall> model,
            Embedding best, List<KernelTrace.Call> kernel, String task, KernelTrace trace) {
        ModelCall c = model.get(best.matched());
        String after = best.matched() == 0 ? null : model.get(best.matched() - 1).name();
        int from = best.matched() == 0 ? 0 : best.at()[best.matched() - 1] + 1;
        int anywhere = -1;
        for (int k = 0; k < kernel.size(); k++) if (kernel.get(k).name().equals(c.name())) { anywhere = k; break; }
        String kernelSays;
        String detail;
        if (anywhere < 0) {
            kernelSays = "never called";
            detail = "the model calls " + c.name() + " (" + c.event() + ", call " + (best.matched() + 1) + " of " + model.size()
                    + "); no task of the recording calls it after setup, though the filter shows it";
        } else {
            kernelSays = "only before " + after;
            detail = "the model calls " + c.name() + " after " + after + " (call " + (best.matched() + 1) + " of " + model.size()
                    + "); " + task + " calls it at line " + kernel.get(anywhere).lineNo() + ", before the " + after
                    + " of line " + kernel.get(from - 1).lineNo();
        }
        return new Claim(id, scenario, platform, actor, "order", c.name(), kernelSays, Verdict.DIFFER, detail);
    }

    /** The provenance key naming the recorded function's reset method (its reset_method's first entry). */
    public static final String RESET_METHOD = "reset-method";

    /**
     * The reset method of the recorded function, so the model's device resets the same way:
     * the first word of {@code # reset-method:} (sysfs reset_method lists the methods in the
     * order __pci_reset_function_locked() tries them); FLR when the recording does not say.
     */
    static ResetMethod resetMethod(KernelTrace t) {
        String v = t.provenance().get(RESET_METHOD);
        if (v == null || v.isBlank()) return ResetMethod.FLR;
        String first = v.strip().split("[\\s,]+")[0];
        for (ResetMethod m : ResetMethod.values()) if (m.token().equals(first)) return m;
        throw new TraceFormatException(t.source() + ": '# " + RESET_METHOD + ": " + v.strip() + "': the model resets by flr, pm or bus only");
    }

    /**
     * Which calls of the bound run are its host-side calls: the host-only run's calls, matched
     * in order by name into the bound run (earliest first). What is left (a TSM unbind, the
     * revoke a platform's unbind does, a KVM teardown) only a bound TDI reaches.
     */
    static boolean[] hostSide(List<ModelCall> hostRun, List<ModelCall> bound) {
        boolean[] at = new boolean[bound.size()];
        int k = 0;
        for (ModelCall h : hostRun) {
            int j = k;
            while (j < bound.size() && !bound.get(j).name().equals(h.name())) j++;
            if (j == bound.size()) continue; // the bound run does not reach this host call (refused, or unbound first)
            at[j] = true;
            k = j + 1;
        }
        return at;
    }

    private static String calls(int n) { return n + (n == 1 ? " call" : " calls"); }

    private static List<String> names(List<ModelCall> calls) { return calls.stream().map(ModelCall::name).toList(); }
}
