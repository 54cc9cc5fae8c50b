package tdisp.strategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One routing strategy: a descriptor file's header ({@code id}, {@code title},
 * {@code source} lines) and its knobs.
 *
 * @param id      the file name without {@code .desc}
 * @param title   a one-line human title
 * @param sources lore message-ids, kernel paths or spec sections the strategy models (at least one)
 * @param file    the descriptor it was read from (as given to the parser; null if built in code)
 * @param knobs   the knob values, already validated when parsed
 */
public record Strategy(String id, String title, List<String> sources, Path file, Knobs knobs) {

    public Strategy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        sources = List.copyOf(sources);
        Objects.requireNonNull(knobs, "knobs");
    }

    /**
     * A copy with {@code --set key=value} overrides applied, then {@link Knobs#validate()}d.
     * Overrides are applied in {@link Knob} order (stable, so a later {@code --set} of the
     * same key wins); hence {@code guest-request.entry} is set before the per-message entries,
     * which follow it unless set explicitly (see {@link Knobs#with}). The id, title, sources
     * and file are kept: the effective knobs show in {@code knobs().describe()}.
     *
     * <p>Errors: {@code --set: expected key=value, got 'x'};
     * {@code --set foo=1: unknown key 'foo' (known: ...)};
     * {@code --set bind.entry=kvmm: bind.entry: 'kvmm' is not one of kvm|iommufd|vfio};
     * {@code strategy 'x' with --set a=b: <cross-knob rule>}.
     */
    public Strategy withOverrides(List<String> setArgs) {
        if (setArgs == null || setArgs.isEmpty()) return this;
        record Override(Knob knob, String key, String value, String arg) {}
        List<Override> overrides = new ArrayList<>();
        for (String arg : setArgs) {
            int eq = arg == null ? -1 : arg.indexOf('=');
            String key = eq < 0 ? "" : arg.substring(0, eq).trim();
            String value = eq < 0 ? "" : arg.substring(eq + 1).trim();
            if (key.isEmpty() || value.isEmpty()) {
                throw new StrategyException("--set: expected key=value, got '" + arg + "'");
            }
            Knob k = Knob.find(key).orElseThrow(() ->
                    new StrategyException("--set " + arg + ": unknown key '" + key + "' (known: " + Knob.knownKeys() + ")"));
            overrides.add(new Override(k, key, value, arg));
        }
        overrides.sort(Comparator.comparing(Override::knob));
        Knobs k = knobs;
        for (Override o : overrides) {
            try {
                k = k.with(o.key(), o.value());
            } catch (StrategyException e) {
                throw new StrategyException("--set " + o.arg() + ": " + e.getMessage());
            }
        }
        try {
            k.validate();
        } catch (StrategyException e) {
            throw new StrategyException("strategy '" + id + "' with --set " + String.join(", ", setArgs) + ": " + e.getMessage());
        }
        return new Strategy(id, title, sources, file, k);
    }

    /**
     * True when a source of the strategy is second-hand (a digest's summary of a posting, an
     * integration branch as another project encodes it): its descriptor marks such a source
     * line "(secondary". Outputs say so in their setup block.
     */
    public boolean restsOnSecondarySources() {
        return sources.stream().anyMatch(x -> x.contains("(secondary"));
    }
}
