package tdisp.explore;

import java.util.List;

/**
 * Where a search starts (explore --start X): X as the user gave it and the explorer
 * actions, by the model's names, that lead from the clean boot (the state after the
 * common setup) to the search's root. The clean boot itself has no actions.
 *
 * @param spec X as given ("" for the clean boot)
 * @param actions the prefix, applied in order from the clean boot
 */
public record Start(String spec, List<String> actions) {
    /** The search from the clean boot, as before --start existed. */
    public static final Start CLEAN_BOOT = new Start("", List.of());

    public Start {
        actions = List.copyOf(actions);
    }

    public boolean cleanBoot() { return spec.isEmpty(); }

    /** X as outputs print it: a replay file by its name alone (no machine's directory in a shipped output). */
    public String shown() {
        int slash = Math.max(spec.lastIndexOf('/'), spec.lastIndexOf('\\'));
        return spec.endsWith(".replay") ? spec.substring(slash + 1) : spec;
    }

    /**
     * X as a file-name part (cex files, labels): a replay file by its name without the
     * directory and extension, anything else with characters outside [A-Za-z0-9._-] as '-'.
     */
    public String tag() {
        String s = spec;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (s.endsWith(".replay")) s = s.substring(slash + 1, s.length() - ".replay".length());
        return s.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
