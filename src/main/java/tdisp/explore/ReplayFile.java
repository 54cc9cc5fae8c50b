package tdisp.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.DsmLayout;

/**
 * A counterexample (or the goal) as a file `tdisp replay` re-executes: the run's inputs
 * (strategy, knob overrides, platform, size, seed, preemption bound) and the action
 * names in order. Plain text, one fact per line, so it can be read and edited by hand.
 */
public record ReplayFile(String strategy, List<String> sets, String platform, int vms, DsmLayout layout, long seed, int preemptions,
                         String expect, List<String> actions) {
    public static final String HEADER = "# tdisp replay file: re-run with `tdisp replay FILE`";

    public ReplayFile(String strategy, List<String> sets, String platform, int vms, long seed, int preemptions,
                      String expect, List<String> actions) {
        this(strategy, sets, platform, vms, DsmLayout.ONE_PER_TDI, seed, preemptions, expect, actions);
    }

    /** The layout's name in replay files and labels. */
    public static String layoutName(DsmLayout l) { return l == DsmLayout.SHARED_PF0 ? "shared-dsm" : "one-dsm-per-tdi"; }

    public String render() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("strategy ").append(strategy).append('\n');
        for (String s : sets) sb.append("set ").append(s).append('\n');
        sb.append("platform ").append(platform).append('\n');
        sb.append("vms ").append(vms).append('\n');
        // Written only when not the default, so files from before the layout existed stay as they were.
        if (layout != DsmLayout.ONE_PER_TDI) sb.append("layout ").append(layoutName(layout)).append('\n');
        sb.append("seed ").append(seed).append('\n');
        sb.append("preemptions ").append(preemptions).append('\n');
        sb.append("expect ").append(expect).append('\n');
        for (String a : actions) sb.append("action ").append(a).append('\n');
        return sb.toString();
    }

    /** Parses a replay file; a bad line is an IllegalArgumentException naming file and line. */
    public static ReplayFile parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String strategy = null, platform = null, expect = "";
        List<String> sets = new ArrayList<>(), actions = new ArrayList<>();
        int vms = 2, pre = 0;
        DsmLayout layout = DsmLayout.ONE_PER_TDI;
        long seed = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String val = sp < 0 ? "" : line.substring(sp + 1).strip();
            String where = file + ":" + (i + 1) + ": ";
            try {
                switch (key) {
                    case "strategy" -> strategy = val;
                    case "set" -> sets.add(val);
                    case "platform" -> platform = val;
                    case "vms" -> vms = Integer.parseInt(val);
                    case "layout" -> layout = switch (val) {
                        case "shared-dsm" -> DsmLayout.SHARED_PF0;
                        case "one-dsm-per-tdi" -> DsmLayout.ONE_PER_TDI;
                        default -> throw new IllegalArgumentException(where + "layout '" + val + "': expected one-dsm-per-tdi or shared-dsm");
                    };
                    case "seed" -> seed = Long.parseLong(val);
                    case "preemptions" -> pre = Integer.parseInt(val);
                    case "expect" -> expect = val;
                    case "action" -> actions.add(val);
                    default -> throw new IllegalArgumentException(where + "unknown line '" + key + "' (expected strategy, set, platform, vms, layout, seed, preemptions, expect, action)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "'" + val + "' is not a number");
            }
            if (val.isEmpty()) throw new IllegalArgumentException(where + "'" + key + "' needs a value");
        }
        if (strategy == null) throw new IllegalArgumentException(file + ": no 'strategy' line");
        if (pre < -1) throw new IllegalArgumentException(file + ": preemptions " + pre + ": -1 (none) or a count");
        if (vms < 1 || vms > tdisp.world.World.MAX_SLOTS) throw new IllegalArgumentException(file + ": vms " + vms + ": the model takes 1.." + tdisp.world.World.MAX_SLOTS);
        if (platform == null) throw new IllegalArgumentException(file + ": no 'platform' line");
        return new ReplayFile(strategy, sets, platform, vms, layout, seed, pre, expect, actions);
    }

    /** The result of re-running a replay file: the trace lines and whether the expected invariant failed. */
    public record Outcome(List<String> lines, boolean reproduced) {
        public String text() { return String.join("\n", lines) + "\n"; }
    }

    /**
     * Re-executes the actions on a fresh tracing model and renders the trace in kernel
     * names. Deterministic: the same file always gives the same bytes.
     */
    public Outcome run(StrategyCatalog catalog) {
        Strategy s = catalog.get(strategy).withOverrides(sets);
        Platform p = Platforms.get(platform);
        WorldModel m = new WorldModel(s, p, seed, vms, layout, true);
        m.setPreemptionBound(preemptions);
        List<Integer> idx = new ArrayList<>();
        for (String a : actions) {
            int i = m.actionIndex(a);
            if (i < 0) throw new IllegalArgumentException("replay: no action '" + a + "' in " + s.id() + " on " + p.id() + " with " + vms + " VMs");
            idx.add(i);
        }
        List<String> out = new ArrayList<>();
        out.add("# " + s.id() + " on " + p.id() + ", " + vms + " VMs" + (layout == DsmLayout.ONE_PER_TDI ? "" : " (TDIs on one " + layoutName(layout) + ")")
                + ", seed " + seed + ", preemption bound " + preemptions);
        out.add("# knobs " + s.knobs().describe());
        String seen = m.replay(idx, out);
        boolean reproduced = !expect.isEmpty() && (expect.equals("goal") ? seen.startsWith("goal") || seen.endsWith("; goal")
                : seen.startsWith(expect + ": ") || seen.contains("; " + expect + ": "));
        out.add("# result: " + (seen.isEmpty() ? "no invariant violated" : seen)
                + (expect.isEmpty() ? "" : reproduced ? " (reproduces " + expect + ")" : " (expected " + expect + ": NOT reproduced)"));
        return new Outcome(out, reproduced);
    }
}
