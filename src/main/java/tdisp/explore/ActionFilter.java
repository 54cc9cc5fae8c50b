package tdisp.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which startable actions a search may take (explore --actions / --skip-actions): a question
 * narrower than the whole alphabet, such as one VM's teardown racing the other's requests
 * without the VMM's request-page attacks, searched deeper in the same time. Globs match
 * whole action names as the report prints them ({@code *} any run of characters, {@code ?}
 * one). An actor's "continue" always passes: a path that started must be able to finish,
 * or the sub-model would have states the whole model cannot reach. Every execution of the
 * restricted model is one of the whole model, so what it finds is real; what it does not
 * find is only not found within that alphabet.
 *
 * @param only globs an action must match one of (empty: every action)
 * @param skip globs an action must match none of
 */
public record ActionFilter(List<String> only, List<String> skip) {
    /** The whole alphabet, as before the options existed. */
    public static final ActionFilter ALL = new ActionFilter(List.of(), List.of());

    private static final String CONTINUE = " continue";

    public ActionFilter {
        only = List.copyOf(only);
        skip = List.copyOf(skip);
    }

    public boolean all() { return only.isEmpty() && skip.isEmpty(); }

    /** Whether the action named {@code name} may run. */
    public boolean allows(String name) {
        if (name.endsWith(CONTINUE)) return true;
        if (!only.isEmpty() && !matchesAny(only, name)) return false;
        return !matchesAny(skip, name);
    }

    /** The first glob (of either list) that matches no startable action in {@code names}, or null. */
    public String unmatched(List<String> names) {
        List<String> globs = new ArrayList<>(only);
        globs.addAll(skip);
        for (String g : globs) {
            Pattern p = pattern(g);
            if (names.stream().filter(n -> !n.endsWith(CONTINUE)).noneMatch(n -> p.matcher(n).matches())) return g;
        }
        return null;
    }

    /** How reports print it: "only a, b; skipping c" (empty for the whole alphabet). */
    public String shown() {
        List<String> parts = new ArrayList<>();
        if (!only.isEmpty()) parts.add("only " + String.join(", ", only));
        if (!skip.isEmpty()) parts.add("skipping " + String.join(", ", skip));
        return String.join("; ", parts);
    }

    /** Startable actions among {@code names} that pass. */
    public int allowedCount(List<String> names) {
        int k = 0;
        for (String n : names) if (!n.endsWith(CONTINUE) && allows(n)) k++;
        return k;
    }

    private static boolean matchesAny(List<String> globs, String name) {
        for (String g : globs) if (pattern(g).matcher(name).matches()) return true;
        return false;
    }

    /** A glob as a regular expression: everything literal but * and ?. */
    static Pattern pattern(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (lit.length() > 0) { re.append(Pattern.quote(lit.toString())); lit.setLength(0); }
                re.append(c == '*' ? ".*" : ".");
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) re.append(Pattern.quote(lit.toString()));
        return Pattern.compile(re.toString());
    }
}
