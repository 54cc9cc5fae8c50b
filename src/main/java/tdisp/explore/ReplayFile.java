package tdisp.explore;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tdisp.output.Columns;
import tdisp.output.HarnessVersion;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Knob;
import tdisp.strategy.Knobs;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyException;
import tdisp.world.DsmLayout;

/**
 * A counterexample (or the goal) as a file `tdisp replay` re-executes. Self-contained:
 * the format version, the harness version that wrote it, the strategy id with every knob
 * value (so editing a .desc later does not change what the file means), the --set
 * overrides as given (for the reader), platform, size, seed, preemption bound, the action
 * names in order, and an end marker that tells a whole file from a truncated one. Plain
 * text, one fact per line.
 */
public record ReplayFile(String strategy, List<String> sets, Map<Knob, String> knobs, String platform, int vms, DsmLayout layout,
                         long seed, int preemptions, String expect, List<String> actions) {
    public static final String HEADER = "# tdisp replay file: re-run with `tdisp replay FILE`";
    /** Version 2: knob lines and the end marker. Version 1 (no format line) stored only set lines. */
    public static final int FORMAT = 2;

    public ReplayFile {
        sets = List.copyOf(sets);
        knobs = Map.copyOf(knobs);
        actions = List.copyOf(actions);
    }

    /** A replay file that cannot be used: bad input naming file and line. */
    public static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) { super(message, null, false, false); }
    }

    /** The file for a strategy as explored: every knob value taken from it. */
    public static ReplayFile of(Strategy s, List<String> sets, String platform, int vms, DsmLayout layout, long seed, int preemptions,
                                String expect, List<String> actions) {
        return new ReplayFile(s.id(), sets, s.knobs().tokens(), platform, vms, layout, seed, preemptions, expect, actions);
    }

    /** The layout's name in replay files and labels. */
    public static String layoutName(DsmLayout l) { return l == DsmLayout.SHARED_PF0 ? "shared-dsm" : "one-dsm-per-tdi"; }

    public String render() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("format ").append(FORMAT).append('\n');
        sb.append("harness ").append(HarnessVersion.banner()).append('\n');
        sb.append("strategy ").append(strategy).append('\n');
        for (String s : sets) sb.append("set ").append(s).append('\n');
        for (Knob k : Knob.values()) if (knobs.containsKey(k)) sb.append("knob ").append(k.key()).append('=').append(knobs.get(k)).append('\n');
        sb.append("platform ").append(platform).append('\n');
        sb.append("vms ").append(vms).append('\n');
        sb.append("layout ").append(layoutName(layout)).append('\n');
        sb.append("seed ").append(seed).append('\n');
        sb.append("preemptions ").append(preemptions).append('\n');
        sb.append("expect ").append(expect).append('\n');
        for (String a : actions) sb.append("action ").append(a).append('\n');
        sb.append("end\n");
        return sb.toString();
    }

    /** Parses a replay file; every problem is a {@link MalformedException} naming file (and line). */
    public static ReplayFile parse(Path file) {
        if (Files.isDirectory(file)) throw new MalformedException(file + ": is a directory, not a replay file");
        if (!Files.isRegularFile(file)) throw new MalformedException(file + ": no such replay file");
        List<String> lines;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            lines = List.of(text.split("\n", -1));
        } catch (CharacterCodingException e) {
            throw new MalformedException(file + ": not a replay file (not valid UTF-8 text)");
        } catch (IOException e) {
            throw new MalformedException(file + ": cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        String strategy = null, platform = null, expect = null, harness = null;
        Integer format = null, vms = null, pre = null;
        Long seed = null;
        DsmLayout layout = null;
        boolean end = false;
        List<String> sets = new ArrayList<>(), actions = new ArrayList<>();
        Map<Knob, String> knobs = new EnumMap<>(Knob.class);
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String where = file + ":" + (i + 1) + ": ";
            if (raw.indexOf('\0') >= 0 || raw.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\r')) {
                throw new MalformedException(where + "control character in line (not a replay file)");
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (end) throw new MalformedException(where + "text after the 'end' line");
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String val = sp < 0 ? "" : line.substring(sp + 1).strip();
            if (key.equals("end")) {
                if (!val.isEmpty()) throw new MalformedException(where + "'end' takes no value");
                end = true;
                continue;
            }
            if (val.isEmpty()) throw new MalformedException(where + "'" + key + "' needs a value");
            if (format == null && !key.equals("format")) {
                throw new MalformedException(where + "no 'format' line first: a format-1 file of an older tdisp, "
                        + "which stored only --set lines; re-run explore to write a self-contained one");
            }
            try {
                switch (key) {
                    case "format" -> {
                        format = once(where, key, format, Integer.parseInt(val));
                        if (format != FORMAT) throw new MalformedException(where + "format " + val + " is not supported (this tdisp reads format " + FORMAT + ")");
                    }
                    case "harness" -> harness = once(where, key, harness, val);
                    case "strategy" -> strategy = once(where, key, strategy, val);
                    case "set" -> sets.add(val);
                    case "knob" -> {
                        int eq = val.indexOf('=');
                        Knob k = eq < 0 ? null : Knob.find(val.substring(0, eq)).orElse(null);
                        if (k == null) throw new MalformedException(where + "knob '" + val + "': expected KEY=VALUE with a known key (known: " + Knob.knownKeys() + ")");
                        String v = val.substring(eq + 1);
                        if (!k.allowed().contains(v)) throw new MalformedException(where + k.key() + ": '" + v + "' is not one of " + k.allowedText());
                        if (knobs.put(k, v) != null) throw new MalformedException(where + "knob " + k.key() + " given twice");
                    }
                    case "platform" -> platform = once(where, key, platform, val);
                    case "vms" -> vms = once(where, key, vms, Integer.parseInt(val));
                    case "layout" -> layout = once(where, key, layout, switch (val) {
                        case "shared-dsm" -> DsmLayout.SHARED_PF0;
                        case "one-dsm-per-tdi" -> DsmLayout.ONE_PER_TDI;
                        default -> throw new MalformedException(where + "layout '" + val + "': expected one-dsm-per-tdi or shared-dsm");
                    });
                    case "seed" -> seed = once(where, key, seed, Long.parseLong(val));
                    case "preemptions" -> pre = once(where, key, pre, Integer.parseInt(val));
                    case "expect" -> expect = once(where, key, expect, val);
                    case "action" -> actions.add(val);
                    default -> throw new MalformedException(where + "unknown line '" + key
                            + "' (expected format, harness, strategy, set, knob, platform, vms, layout, seed, preemptions, expect, action, end)");
                }
            } catch (NumberFormatException e) {
                throw new MalformedException(where + "'" + val + "' is not a number");
            }
        }
        if (format == null) throw new MalformedException(file + ": empty (no 'format' line)");
        if (!end) throw new MalformedException(file + ": truncated: no 'end' line");
        if (strategy == null) throw new MalformedException(file + ": no 'strategy' line");
        if (platform == null) throw new MalformedException(file + ": no 'platform' line");
        if (vms == null || layout == null || seed == null || pre == null || expect == null) {
            throw new MalformedException(file + ": missing one of the 'vms', 'layout', 'seed', 'preemptions', 'expect' lines");
        }
        if (pre < -1) throw new MalformedException(file + ": preemptions " + pre + ": -1 (none) or a count");
        if (vms < 1 || vms > tdisp.world.World.MAX_SLOTS) throw new MalformedException(file + ": vms " + vms + ": the model takes 1.." + tdisp.world.World.MAX_SLOTS);
        List<String> platforms = Platforms.all().stream().map(Platform::id).toList();
        if (!platforms.contains(platform)) throw new MalformedException(file + ": unknown platform '" + platform + "' (known: " + String.join(", ", platforms) + ")");
        try {
            Knobs.of(knobs).validate();
        } catch (StrategyException e) {
            throw new MalformedException(file + ": knobs: " + e.getMessage());
        }
        return new ReplayFile(strategy, sets, knobs, platform, vms, layout, seed, pre, expect, actions);
    }

    private static <T> T once(String where, String key, T prev, T val) {
        if (prev != null) throw new MalformedException(where + "'" + key + "' given twice");
        return val;
    }

    /**
     * The result of re-running a replay file: the trace lines, whether the expected invariant
     * failed, and the named assumptions the path's steps rested on (ids, catalogue order).
     */
    public record Outcome(List<String> lines, boolean reproduced, List<String> assumptions) {
        /** The trace as printed and stored beside the replay file, 72 columns. */
        public String text() { return Columns.wrap(String.join("\n", lines) + "\n"); }
    }

    /**
     * Re-executes the actions on a fresh tracing model and renders the trace in kernel
     * names. Deterministic: the same file always gives the same bytes.
     */
    public Outcome run() {
        Knobs k = Knobs.of(knobs);
        Strategy s = new Strategy(strategy, "replay of " + strategy, List.of(), null, k);
        Platform p = Platforms.get(platform);
        WorldModel m = new WorldModel(s, p, seed, vms, layout, true);
        m.setPreemptionBound(preemptions);
        List<Integer> idx = new ArrayList<>();
        for (String a : actions) {
            int i = m.actionIndex(a);
            if (i < 0) throw new MalformedException("replay: no action '" + a + "' in " + s.id() + " on " + p.id() + " with " + vms + " VMs");
            idx.add(i);
        }
        List<String> out = new ArrayList<>();
        out.add("# " + s.id() + " on " + p.id() + ", " + vms + " VMs" + (layout == DsmLayout.ONE_PER_TDI ? "" : " (TDIs on one " + layoutName(layout) + ")")
                + ", seed " + seed + ", preemption bound " + preemptions);
        out.add("# knobs " + k.describe());
        String seen = m.replay(idx, out);
        List<String> assumed = m.world().sim().assumed().stream().map(tdisp.sim.Assumption::id).toList();
        out.add("# rests on: " + (assumed.isEmpty() ? "no named assumption" : String.join(", ", assumed)));
        boolean reproduced = !expect.isEmpty() && (expect.equals("goal") ? seen.startsWith("goal") || seen.endsWith("; goal")
                : seen.startsWith(expect + ": ") || seen.contains("; " + expect + ": "));
        out.add("# result: " + (seen.isEmpty() ? "no invariant violated" : seen)
                + (expect.isEmpty() ? "" : reproduced ? " (reproduces " + expect + ")" : " (expected " + expect + ": NOT reproduced)"));
        return new Outcome(out, reproduced, assumed);
    }
}
