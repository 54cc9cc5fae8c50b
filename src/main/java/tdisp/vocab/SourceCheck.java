package tdisp.vocab;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.sim.Vocabulary;

/**
 * Holds every vocabulary row against a tree's {@link DefinitionIndex}:
 * <ul>
 * <li>a row labelled {@code mainline} must be defined in the file its source names (the
 *     first {@code dir/file.c} or {@code .h} path in it); the row's release ({@code v6.19})
 *     says since when, and the checked tree stands for it, being later; a row naming a
 *     release later than the tree cannot be checked there ({@link Verdict#NEWER});
 * <li>a row with any other label that is a kernel name must not be defined in the tree: if it
 *     is, mainline has merged it and the row is relabelled ({@link Verdict#RELABEL});
 * <li>rows labelled {@code spec} or {@code firmware} (firmware leaves, TDISP messages, exit
 *     instructions, POSIX calls) and QEMU's functions are not kernel names: not applicable.
 * </ul>
 */
public final class SourceCheck {
    private SourceCheck() {}

    /** What the check found for one row; {@code ok} says whether the row may stay as it is. */
    public enum Verdict {
        FOUND("found", "found where the row says", true),
        ELSEWHERE("elsewhere", "defined, but not where the row says", false),
        MISSING("missing", "not defined in the tree", false),
        RELABEL("relabel", "labelled unmerged, but the tree defines it", false),
        UNMERGED("unmerged", "not in the tree, as its label says", true),
        NEWER("newer", "row's release is later than the tree", true),
        NOT_APPLICABLE("n/a", "not a kernel name (spec, firmware, QEMU)", true);

        private final String token;
        private final String meaning;
        private final boolean ok;

        Verdict(String token, String meaning, boolean ok) {
            this.token = token;
            this.meaning = meaning;
            this.ok = ok;
        }

        public String token() { return token; }

        public String meaning() { return meaning; }

        public boolean ok() { return ok; }
    }

    /**
     * One row's result.
     *
     * @param path    the file the row's source names (empty when it names none)
     * @param sites   every definition site of the name in the tree
     * @param checked what the row's {@code checked} column can say (empty when nothing was found)
     */
    public record Row(Vocabulary.Entry entry, Verdict verdict, String path, List<DefinitionIndex.Site> sites, String checked) {
        public Row {
            sites = List.copyOf(sites);
        }
    }

    /** Labels that name something outside the kernel: not checked against a kernel tree. */
    static final Set<String> NOT_KERNEL = Set.of("spec", "firmware");

    private static final Pattern PATH = Pattern.compile("(?<![\\w@/.-])((?:[\\w.-]+/)+[\\w.-]+\\.[ch])\\b");
    private static final Pattern RELEASE = Pattern.compile("\\bv(\\d+(?:\\.\\d+)+)\\b");

    /**
     * Checks every row.
     *
     * @param tree    the tree's release, e.g. "7.2.13" (from its Makefile)
     * @param release how the checked column names the tree, e.g. "linux-source-7.2 7.2.13-1"
     */
    public static List<Row> check(Vocabulary v, DefinitionIndex index, String tree, String release) {
        List<Row> out = new ArrayList<>();
        for (Vocabulary.Entry e : v.entries()) out.add(check(e, index, tree, release));
        return out;
    }

    static Row check(Vocabulary.Entry e, DefinitionIndex index, String tree, String release) {
        List<DefinitionIndex.Site> sites = index.sites(e.name());
        String path = path(e.source());
        if (NOT_KERNEL.contains(e.label()) || e.kind().equals("qemu")) return new Row(e, Verdict.NOT_APPLICABLE, path, sites, "");
        if (!e.label().equals("mainline")) {
            if (sites.isEmpty()) return new Row(e, Verdict.UNMERGED, path, sites, "");
            return new Row(e, Verdict.RELABEL, path, sites, where(release, sites.get(0)));
        }
        Matcher r = RELEASE.matcher(e.source());
        if (r.find() && compare(r.group(1), tree) > 0) return new Row(e, Verdict.NEWER, path, sites, "");
        if (sites.isEmpty()) return new Row(e, Verdict.MISSING, path, sites, "");
        for (DefinitionIndex.Site s : sites) if (s.path().equals(path)) return new Row(e, Verdict.FOUND, path, sites, where(release, s));
        return new Row(e, Verdict.ELSEWHERE, path, sites, where(release, sites.get(0)));
    }

    /** The first kernel path a source text names, or "". */
    public static String path(String source) {
        Matcher m = PATH.matcher(source);
        return m.find() ? m.group(1) : "";
    }

    static String where(String release, DefinitionIndex.Site s) { return release + ": " + s.path() + ":" + s.line(); }

    /** Compares dotted release numbers ("6.19" against "7.2.13"). */
    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    /** True when every row may stay as it is. */
    public static boolean passes(List<Row> rows) { return rows.stream().allMatch(r -> r.verdict().ok()); }
}
