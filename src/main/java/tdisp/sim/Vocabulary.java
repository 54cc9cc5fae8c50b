package tdisp.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The trace vocabulary: every function, ioctl, lock, firmware command, message and exit
 * reason a trace can print, with the platform it belongs to ("all" or a platform id) and
 * how we know it. The common rows ({@code platform} {@code all}) are {@code vocabulary.csv} on the
 * class path; each platform's own rows are its {@code vocabulary.csv}, next to its class, in the
 * same columns. The platform registry merges them ({@link #merge}) and installs the result as
 * the {@link #standard} table, with the actor labels its platforms print. Columns (fixed by
 * the second review, issue #22; rows moved elsewhere later keep them):
 * <ul>
 * <li>{@code name}, {@code platform} ({@code all} or a platform id), {@code kind};
 * <li>{@code label}: how we know the name, one of {@link #LABELS};
 * <li>{@code source}: where: kernel path and release, message-id, tree@commit and path, spec
 *     section, firmware source (empty only for {@code hypothetical});
 * <li>{@code checked}: where and at what version the name was found when the row was last
 *     checked (empty where no check has been made).
 * </ul>
 *
 * <p>How names are taken from an event (the rule the vocabulary test enforces):
 * <ul>
 * <li>a lock event names its lock class, whole ({@code vdev->memory_lock});
 * <li>other texts (call, ioctl command, exit reason, firmware command and result, DOE
 *     request and result, lookup, returning function) lose a leading actor label
 *     ({@code qemu: }, {@code guest: } and the labels a platform declares for its own actors); then a name is
 *     an identifier directly before {@code (}, the first identifier of the text or of a
 *     {@code " -> "} chain link when it ends there or is followed by a space, {@code (},
 *     {@code :} or {@code <}, and every upper-case identifier with an underscore or a dot
 *     ({@code SEV_RET_SUCCESS}, {@code TDH.MMIO.MAP}); in a firmware or DOE result only the
 *     upper-case ones count (the rest is the model's explanation). Arguments such as {@code dev0},
 *     {@code kvm=vm0} and field accesses such as {@code vdev->virt_id} are not names.
 * </ul>
 */
public final class Vocabulary {
    public static final String RESOURCE = "/vocabulary.csv";
    public static final String HYPOTHETICAL = "hypothetical";
    public static final String ALL = "all";
    static final String[] HEADER = {"name", "platform", "kind", "label", "source", "checked"};
    /**
     * How a name is known: merged code, a posted patch, a public tree that is neither, a spec,
     * a firmware's own source, a second-hand summary, our inference, nobody (hypothetical), or a
     * named assumption of ours.
     */
    public static final List<String> LABELS = List.of("mainline", "posting", "tree", "spec", "firmware", "secondary",
            "inferred", "hypothetical", "assumption");

    /** The columns, in order. */
    public static List<String> header() { return List.of(HEADER); }

    /** One row: a name on a platform. */
    public record Entry(String name, String platform, String kind, String label, String source, String checked) {
        public Entry {
            if (!LABELS.contains(label)) throw new IllegalArgumentException("label " + label + " (known: " + String.join(", ", LABELS) + ")");
        }
        public boolean hypothetical() { return label.equals(HYPOTHETICAL); }
    }

    /** Actor labels of the stack every platform has; a platform adds its own (Platform.traceActors()). */
    public static final List<String> COMMON_ACTORS = List.of("qemu", "guest", "vmm", "host", "device");

    private final Map<String, List<Entry>> byName = new HashMap<>();
    private final List<Entry> rows;
    private final List<String> actors;
    private final Pattern actor;

    private Vocabulary(List<Entry> entries, List<String> actors) {
        rows = List.copyOf(entries);
        this.actors = List.copyOf(actors);
        for (Entry e : entries) byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
        StringBuilder alt = new StringBuilder();
        for (String a : actors) alt.append(alt.length() == 0 ? "" : "|").append(Pattern.quote(a));
        actor = Pattern.compile("^\\s*(?:" + alt + "):\\s+");
    }

    private static volatile Vocabulary standard;

    /**
     * The table traces are labelled from: the common rows and every registered platform's,
     * installed by the platform registry (tdisp.platform.Platforms) when it is first used or
     * given another platform list. Every world is built from a registered platform, so a trace
     * is never rendered before; anything else fails here rather than label names wrongly.
     */
    public static Vocabulary standard() {
        Vocabulary v = standard;
        if (v == null) throw new IllegalStateException("no vocabulary installed: the platform registry installs it (Platforms.vocabulary())");
        return v;
    }

    /** Installs the merged table (the platform registry's job). */
    public static void install(Vocabulary v) { standard = v; }

    /** The common rows only ({@value #RESOURCE}), with the common actors. */
    public static Vocabulary common() {
        try (InputStream in = Vocabulary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the class path");
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tables merged in order: every row of each (the common one first, then each platform's in
     * registry order), and every actor label of each, once.
     */
    public static Vocabulary merge(List<Vocabulary> parts) {
        List<Entry> all = new ArrayList<>();
        Set<String> actors = new LinkedHashSet<>();
        for (Vocabulary v : parts) {
            all.addAll(v.rows);
            actors.addAll(v.actors);
        }
        return new Vocabulary(all, new ArrayList<>(actors));
    }

    /** The same rows, with these actor labels added (a platform's own). */
    public Vocabulary withActors(List<String> more) {
        Set<String> a = new LinkedHashSet<>(actors);
        a.addAll(more);
        return new Vocabulary(rows, new ArrayList<>(a));
    }

    /** The actor labels taken off a text before its names are read. */
    public List<String> actors() { return actors; }

    /** Parses a table; a malformed row fails naming its line. */
    public static Vocabulary parse(Reader r, String source) throws IOException {
        List<Entry> out = new ArrayList<>();
        // Not tdisp.output.Csv's format: names such as #VC start with its comment marker.
        CSVFormat fmt = CSVFormat.DEFAULT.builder().setHeader(HEADER).setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).build();
        for (CSVRecord rec : fmt.parse(r)) {
            String where = source + ":" + rec.getParser().getCurrentLineNumber() + ": ";
            if (rec.size() != HEADER.length || rec.get(0).isEmpty() || rec.get(1).isEmpty() || rec.get(3).isEmpty()
                    || rec.get(4).isEmpty() != rec.get(3).equals(HYPOTHETICAL)) {
                throw new IllegalArgumentException(where + "want " + String.join(",", HEADER) + " (a source unless hypothetical)");
            }
            try {
                out.add(new Entry(rec.get(0), rec.get(1), rec.get(2), rec.get(3), rec.get(4), rec.get(5)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        return new Vocabulary(out, COMMON_ACTORS);
    }

    /** Every row, in the table's order. */
    public List<Entry> entries() { return rows; }

    /** The rows for a name, or none. */
    public List<Entry> entries(String name) { return byName.getOrDefault(name, List.of()); }

    /** True if the table has the name for this platform or for all. */
    public boolean known(String name, String platform) {
        for (Entry e : entries(name)) if (e.platform().equals(ALL) || e.platform().equals(platform)) return true;
        return false;
    }

    /** True if every row of the name says nobody posted it. */
    public boolean hypothetical(String name) {
        List<Entry> es = entries(name);
        if (es.isEmpty()) return false;
        for (Entry e : es) if (!e.hypothetical()) return false;
        return true;
    }

    public Set<String> names() { return Collections.unmodifiableSet(byName.keySet()); }

    public int size() { int n = 0; for (List<Entry> l : byName.values()) n += l.size(); return n; }

    /**
     * Labels a trace line carries in brackets when it prints a name that no merged code, posting,
     * tree, spec or firmware source gives us: every row of the name has one of these labels. In
     * this order of precedence when a name's rows differ.
     */
    public static final List<String> MARKED = List.of(HYPOTHETICAL, "assumption", "inferred", "secondary");

    /** The label a trace line shows for a name (see {@link #MARKED}), or null when the name is sourced. */
    public String markOf(String name) {
        List<Entry> es = entries(name);
        if (es.isEmpty()) return null;
        int worst = MARKED.size();
        for (Entry e : es) {
            int i = MARKED.indexOf(e.label());
            if (i < 0) return null;
            worst = Math.min(worst, i);
        }
        return MARKED.get(worst);
    }

    /**
     * The text the trace shows for an event: with " [hypothetical]", " [assumption]",
     * " [inferred]" or " [secondary]" when it prints a name so labelled (each label once, in
     * {@link #MARKED} order); otherwise the rendered text unchanged.
     */
    public String mark(Event e, String rendered) {
        boolean[] seen = new boolean[MARKED.size()];
        boolean any = false;
        for (String n : namesOf(e)) {
            String m = markOf(n);
            if (m != null) {
                seen[MARKED.indexOf(m)] = true;
                any = true;
            }
        }
        if (!any) return rendered;
        StringBuilder sb = new StringBuilder(rendered);
        for (int i = 0; i < seen.length; i++) if (seen[i]) sb.append(" [").append(MARKED.get(i)).append(']');
        return sb.toString();
    }

    // ---- name extraction ----

    private static final Pattern IDENT = Pattern.compile("#?[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*");

    /** The names an event prints, read with the {@link #standard} table's actors. */
    public static List<String> names(Event e) { return standard().namesOf(e); }

    /** The names an event prints (see the class comment); empty for free-text events. */
    public List<String> namesOf(Event e) {
        Set<String> out = new LinkedHashSet<>();
        if (e instanceof Event.Lock l) out.add(l.lock());
        else if (e instanceof Event.Call c) scan(c.fn(), out);
        else if (e instanceof Event.Ioctl i) scan(i.cmd(), out);
        else if (e instanceof Event.Exit x) scan(x.reason(), out);
        else if (e instanceof Event.Firmware f) { scan(f.cmd(), out); if (f.result() != null) scan("= " + f.result(), out); }
        else if (e instanceof Event.Doe d) { scan(d.request(), out); if (d.result() != null) scan("= " + d.result(), out); }
        else if (e instanceof Event.Lookup l) scan(l.what(), out);
        else if (e instanceof Event.Work w) scan(w.what(), out);
        else if (e instanceof Event.Ret r) scan(r.fn(), out);
        return new ArrayList<>(out);
    }

    void scan(String text, Set<String> out) {
        Matcher a = actor.matcher(text);
        String s = a.find() ? text.substring(a.end()) : text;
        List<Integer> links = new ArrayList<>();
        links.add(0);
        for (int i = s.indexOf(" -> "); i >= 0; i = s.indexOf(" -> ", i + 1)) links.add(i + 4);
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int start = m.start();
            int end = m.end();
            char next = end < s.length() ? s.charAt(end) : '\0';
            boolean field = start >= 2 && (s.startsWith("->", start - 2) || s.startsWith("::", start - 2)) || start >= 1 && s.charAt(start - 1) == '=';
            int link = 0;
            for (int l : links) if (l <= start) link = l;
            boolean firstOfLink = s.substring(link, start).isBlank();
            boolean constant = !id.equals(id.toLowerCase(java.util.Locale.ROOT)) && id.equals(id.toUpperCase(java.util.Locale.ROOT))
                    && (id.indexOf('_') >= 0 || id.indexOf('.') > 0);
            if (field) continue;
            if (next == '(' || constant || firstOfLink && (next == '\0' || next == ' ' || next == ':' || next == '<')) out.add(id);
        }
    }
}
