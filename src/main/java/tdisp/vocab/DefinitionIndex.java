package tdisp.vocab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every definition site of a set of names in a kernel tree, found in one pass over its
 * {@code *.c} and {@code *.h} files with one precompiled pattern per kind of site. What counts
 * as a definition (the rules results/kernel/README.md documents):
 * <ul>
 * <li>{@code function}: a C function definition at file scope: a line starting in column 0 whose
 *     first identifier before {@code (} is the name, and whose balanced parameter list is
 *     followed (past annotations such as {@code __must_hold(x)}) by {@code {}; a prototype
 *     ending in {@code ;} is not a definition;
 * <li>{@code macro}: {@code #define NAME} (function-like or not): constants, ioctl numbers,
 *     exit reasons, and functions the kernel writes as macros;
 * <li>{@code enum-constant}: an enumerator inside an {@code enum { ... }} body;
 * <li>{@code syscall}: {@code SYSCALL_DEFINEn(NAME, ...)} (also COMPAT_);
 * <li>{@code lock}: a file-scope lock: {@code DEFINE_MUTEX(NAME)}, {@code DECLARE_RWSEM(NAME)},
 *     {@code DEFINE_SPINLOCK(NAME)} and kin, or {@code struct mutex NAME;},
 *     {@code spinlock_t NAME;} and kin;
 * <li>{@code struct}: {@code struct NAME {} opening in column 0 (a struct the trace names, such
 *     as {@code vfio_pci_dma_buf});
 * <li>{@code member}: for a lock written {@code TYPE::FIELD}, the line declaring FIELD inside
 *     the file-scope {@code struct TYPE { ... }}; for {@code VAR->FIELD}, the same for every
 *     struct TYPE that has the member FIELD and that some file declares a pointer to as
 *     {@code struct TYPE *VAR} (the kernel's own naming of that variable).
 * </ul>
 * Names that are not C identifiers (firmware leaves such as {@code TDH.MMIO.MAP}, {@code #VC})
 * are never found: the check treats their rows as not applicable.
 */
public final class DefinitionIndex {
    /** One definition site; {@code detail} names the struct of a member, else is empty. */
    public record Site(String name, String kind, String path, int line, String detail) {}

    /** The index CSV's columns. */
    public static final List<String> HEADER = List.of("name", "site", "path", "line", "detail");

    private static final Pattern FUNCTION = Pattern.compile("[^\\n;{}()=\"]*?\\b([A-Za-z_]\\w*)\\s*\\(");
    private static final Pattern MACRO = Pattern.compile("[ \\t]*#[ \\t]*define[ \\t]+([A-Za-z_]\\w*)");
    private static final Pattern ENUM = Pattern.compile("\\benum\\b(?:\\s+[A-Za-z_]\\w*)?\\s*\\{");
    private static final Pattern SYSCALL = Pattern.compile("(?:COMPAT_)?SYSCALL_DEFINE\\d\\(\\s*([A-Za-z_]\\w*)");
    private static final Pattern LOCK = Pattern.compile("(?:static\\s+)?(?:(?:DEFINE_MUTEX|DEFINE_SPINLOCK|DEFINE_RAW_SPINLOCK"
            + "|DEFINE_RWLOCK|DECLARE_RWSEM|DEFINE_SEMAPHORE|DEFINE_STATIC_PERCPU_RWSEM|DEFINE_PERCPU_RWSEM)\\s*\\(\\s*([A-Za-z_]\\w*)"
            + "|(?:struct\\s+(?:mutex|rw_semaphore|semaphore)|spinlock_t|raw_spinlock_t|rwlock_t)\\s+([A-Za-z_]\\w*)\\s*[;=])");
    private static final Pattern STRUCT = Pattern.compile("struct\\s+([A-Za-z_]\\w*)\\s*\\{");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_]\\w*");

    /** A lock written TYPE::FIELD or VAR->FIELD. */
    private record FieldLock(String name, String holder, String field, boolean typeNamed) {}

    private final Map<String, List<Site>> sites;
    private final int files;

    private DefinitionIndex(Map<String, List<Site>> sites, int files) {
        this.sites = sites;
        this.files = files;
    }

    /** The sites of a name (empty when the tree does not define it), in path then line order. */
    public List<Site> sites(String name) { return sites.getOrDefault(name, List.of()); }

    /** Every site, in name, path, line order. */
    public List<Site> all() {
        List<Site> out = new ArrayList<>();
        for (List<Site> l : sites.values()) out.addAll(l);
        out.sort(ORDER);
        return out;
    }

    /** How many files the scan read (0 for an index read back from CSV). */
    public int files() { return files; }

    private static final Comparator<Site> ORDER = Comparator.comparing(Site::name).thenComparing(Site::path)
            .thenComparingInt(Site::line).thenComparing(Site::kind).thenComparing(Site::detail);

    /** An index made of given sites (read back from the committed CSV, or built by a test). */
    public static DefinitionIndex of(Collection<Site> all) {
        Map<String, List<Site>> m = new HashMap<>();
        for (Site s : all) m.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        for (List<Site> l : m.values()) l.sort(ORDER);
        return new DefinitionIndex(m, 0);
    }

    /**
     * Scans {@code tree} for the definitions of {@code names}. Plain identifiers are looked
     * up as functions, macros, enumerators, syscalls and file-scope locks; names containing
     * {@code ->} or {@code ::} as struct members; anything else is skipped.
     */
    public static DefinitionIndex scan(Path tree, Collection<String> names) throws IOException {
        Set<String> idents = new HashSet<>();
        List<FieldLock> fieldLocks = new ArrayList<>();
        for (String n : names) {
            int arrow = n.indexOf("->");
            int colons = n.indexOf("::");
            if (arrow > 0) fieldLocks.add(new FieldLock(n, n.substring(0, arrow), n.substring(arrow + 2), false));
            else if (colons > 0) fieldLocks.add(new FieldLock(n, n.substring(0, colons), n.substring(colons + 2), true));
            else if (IDENT.matcher(n).matches()) idents.add(n);
        }
        Set<String> fields = new TreeSet<>();
        Set<String> vars = new TreeSet<>();
        for (FieldLock f : fieldLocks) {
            fields.add(f.field());
            if (!f.typeNamed()) vars.add(f.holder());
        }
        Pattern member = fields.isEmpty() ? null : Pattern.compile("\\b(" + String.join("|", fields) + ")\\s*(?:\\[[^\\]]*\\])?\\s*;");
        Pattern pointer = vars.isEmpty() ? null : Pattern.compile("\\bstruct\\s+([A-Za-z_]\\w*)\\s*\\*\\s*(" + String.join("|", vars) + ")\\b");

        List<Path> paths = sources(tree);
        // Files are independent: each gets its own scanner, and the results are merged in path order.
        List<Scanner> done;
        try {
            done = paths.parallelStream().map(p -> {
            Scanner one = new Scanner(idents, member, pointer, fields, vars);
            String rel = tree.relativize(p).toString().replace('\\', '/');
            try {
                // ISO-8859-1 maps every byte to one char: no file fails to decode.
                one.file(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            one.text = null;
            return one;
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Scanner sc = new Scanner(idents, member, pointer, fields, vars);
        for (Scanner one : done) {
            sc.found.addAll(one.found);
            sc.members.addAll(one.members);
            one.pointerTypes.forEach((k, v) -> sc.pointerTypes.computeIfAbsent(k, x -> new HashSet<>()).addAll(v));
        }
        List<Site> all = new ArrayList<>(sc.found);
        for (FieldLock f : fieldLocks) {
            Set<String> types = f.typeNamed() ? Set.of(f.holder()) : sc.pointerTypes.getOrDefault(f.holder(), Set.of());
            for (Site m : sc.members) {
                if (m.name().equals(f.field()) && types.contains(m.detail().substring("struct ".length()))) {
                    all.add(new Site(f.name(), "member", m.path(), m.line(), m.detail()));
                }
            }
        }
        DefinitionIndex built = of(all);
        return new DefinitionIndex(built.sites, paths.size());
    }

    /** Every *.c and *.h under the tree, in path order (so the index is the same on every run). */
    static List<Path> sources(Path tree) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                String n = f.getFileName().toString();
                if (a.isRegularFile() && (n.endsWith(".c") || n.endsWith(".h"))) out.add(f);
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(Comparator.comparing(p -> tree.relativize(p).toString().replace('\\', '/')));
        return out;
    }

    /** The per-file work of the pass; collects sites, struct members and pointer declarations. */
    private static final class Scanner {
        final Set<String> idents;
        final Pattern member;
        final Pattern pointer;
        final Set<String> fields;
        final Set<String> vars;
        final List<Site> found = new ArrayList<>();
        final List<Site> members = new ArrayList<>();
        final Map<String, Set<String>> pointerTypes = new HashMap<>();
        private int[] lineStarts;
        private String text;

        Scanner(Set<String> idents, Pattern member, Pattern pointer, Set<String> fields, Set<String> vars) {
            this.idents = idents;
            this.member = member;
            this.pointer = pointer;
            this.fields = fields;
            this.vars = vars;
        }

        void file(String path, String t) {
            text = t;
            lineStarts = null;
            // One walk over the lines: only a line that can start a definition meets a pattern.
            int n = t.length();
            int at = 0;
            while (at < n) {
                int nl = t.indexOf('\n', at);
                int eol = nl < 0 ? n : nl;
                char c = t.charAt(at);
                if (Character.isLetter(c) || c == '_') {
                    topLevel(path, at, eol);
                } else if (c == '#' || c == ' ' || c == '\t') {
                    int i = at;
                    while (i < eol && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) i++;
                    if (i < eol && t.charAt(i) == '#') collect(MACRO, "macro", path, at, eol);
                }
                at = eol + 1;
            }
            for (int i = t.indexOf("enum", 0); i >= 0; i = t.indexOf("enum", i + 4)) {
                if (i > 0 && word(t.charAt(i - 1))) continue;
                Matcher m = ENUM.matcher(t).region(i, Math.min(n, i + 200));
                if (m.lookingAt()) enumBody(path, m.end());
            }
            if (pointer != null) {
                for (String v : vars) {
                    for (int i = t.indexOf(v, 0); i >= 0; i = t.indexOf(v, i + v.length())) {
                        int j = i - 1;
                        while (j >= 0 && Character.isWhitespace(t.charAt(j))) j--;
                        if (j < 0 || t.charAt(j) != '*') continue;
                        Matcher m = pointer.matcher(t).region(Math.max(0, j - 80), Math.min(n, i + v.length() + 1));
                        while (m.find()) if (m.group(2).equals(v)) pointerTypes.computeIfAbsent(v, k -> new HashSet<>()).add(m.group(1));
                    }
                }
            }
        }

        /** A line starting in column 0: a function, lock, syscall or struct definition may open here. */
        private void topLevel(String path, int at, int eol) {
            String t = text;
            int paren = t.indexOf('(', at);
            if (paren >= 0 && paren < eol) {
                Matcher m = FUNCTION.matcher(t).region(at, paren + 1);
                if (m.lookingAt() && idents.contains(m.group(1)) && isDefinition(t, m.end() - 1)) add(m.group(1), "function", path, m.start(1), "");
                if (t.startsWith("SYSCALL", at) || t.startsWith("COMPAT_SYSCALL", at)) collect(SYSCALL, "syscall", path, at, eol);
            }
            collect(LOCK, "lock", path, at, eol);
            if (t.startsWith("struct", at)) {
                Matcher m = STRUCT.matcher(t).region(at, eol + 1 > t.length() ? eol : eol + 1);
                if (m.lookingAt() && idents.contains(m.group(1))) add(m.group(1), "struct", path, m.start(1), "");
                if (member != null && m.lookingAt()) {
                    int end = close(t, m.end() - 1);
                    for (String f : fields) {
                        for (int i = t.indexOf(f, m.end()); i >= 0 && i < end; i = t.indexOf(f, i + f.length())) {
                            if (word(t.charAt(i - 1))) continue;
                            Matcher d = member.matcher(t).region(i, end);
                            if (d.lookingAt() && d.group(1).equals(f)) members.add(new Site(f, "member", path, line(d.start(1)), "struct " + m.group(1)));
                        }
                    }
                }
            }
        }

        private void collect(Pattern p, String kind, String path, int from, int to) {
            Matcher m = p.matcher(text).region(from, to);
            if (!m.lookingAt()) return;
            int g = m.group(1) != null ? 1 : 2;
            if (idents.contains(m.group(g))) add(m.group(g), kind, path, m.start(g), "");
        }

        /** The enumerators of the body opening at {@code open}: the first identifier of each comma-separated item. */
        private void enumBody(String path, int open) {
            int end = close(text, open - 1);
            int i = open;
            boolean itemStart = true;
            while (i < end) {
                char c = text.charAt(i);
                if (c == '/' && i + 1 < end && text.charAt(i + 1) == '*') {
                    int e = text.indexOf("*/", i + 2);
                    i = e < 0 ? end : e + 2;
                } else if (c == '/' && i + 1 < end && text.charAt(i + 1) == '/' || c == '#' && itemStart) {
                    int e = text.indexOf('\n', i);
                    i = e < 0 ? end : e + 1;
                } else if (c == ',') {
                    itemStart = true;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (itemStart && (Character.isLetter(c) || c == '_')) {
                    int j = i;
                    while (j < end && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
                    String n = text.substring(i, j);
                    if (idents.contains(n)) add(n, "enum-constant", path, i, "");
                    itemStart = false;
                    i = j;
                } else {
                    itemStart = false;
                    i++;
                }
            }
        }

        private void add(String name, String kind, String path, int offset, String detail) {
            found.add(new Site(name, kind, path, line(offset), detail));
        }

        private int line(int offset) {
            if (lineStarts == null) {
                int n = 1;
                for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
                lineStarts = new int[n];
                int k = 1;
                for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lineStarts[k++] = i + 1;
            }
            int at = Arrays.binarySearch(lineStarts, offset);
            return (at >= 0 ? at : -at - 2) + 1;
        }
    }

    private static boolean word(char c) { return Character.isLetterOrDigit(c) || c == '_'; }

    /** The offset of the bracket closing the one at {@code open} (or the text's end). */
    static int close(String t, int open) {
        char o = t.charAt(open);
        char c = o == '(' ? ')' : o == '{' ? '}' : ']';
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch == o) depth++;
            else if (ch == c && --depth == 0) return i;
        }
        return t.length();
    }

    /**
     * True when the parameter list opening at {@code paren} is followed by a body: past the
     * list, whitespace, comments and annotation words (with their own argument lists) may come
     * before the {@code {}.
     */
    static boolean isDefinition(String t, int paren) {
        int i = close(t, paren) + 1;
        for (int guard = 0; guard < 16 && i < t.length(); guard++) {
            while (i < t.length() && Character.isWhitespace(t.charAt(i))) i++;
            if (i >= t.length()) return false;
            char c = t.charAt(i);
            if (c == '{') return true;
            if (t.startsWith("/*", i)) {
                int e = t.indexOf("*/", i + 2);
                if (e < 0) return false;
                i = e + 2;
            } else if (Character.isLetter(c) || c == '_') {
                while (i < t.length() && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_')) i++;
                int j = i;
                while (j < t.length() && Character.isWhitespace(t.charAt(j))) j++;
                if (j < t.length() && t.charAt(j) == '(') i = close(t, j) + 1;
            } else {
                return false;
            }
        }
        return false;
    }

    /** Reads the index CSV this class's sites are written to (tdisp.report renders it). */
    public static DefinitionIndex read(List<org.apache.commons.csv.CSVRecord> records) {
        List<Site> all = new ArrayList<>();
        for (var r : records) all.add(new Site(r.get("name"), r.get("site"), r.get("path"), Integer.parseInt(r.get("line")), r.get("detail")));
        return of(all);
    }

    /** The names with at least one site. */
    public Set<String> names() { return new TreeSet<>(sites.keySet()); }
}
