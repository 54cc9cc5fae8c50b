package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, part 4: rendering has one home. The report package may read the explorer's
 * results, never the other way round; CSV is printed in one dialect, only by renderers in
 * tdisp.report; no renderer lives elsewhere. Checked by scanning the sources' references to
 * tdisp packages (imports and qualified names), like PlatformSeamTest.
 */
class PackageRulesTest {
    private static final Path MAIN = Path.of("src/main/java");
    /** A reference to a class of a tdisp package: tdisp.<package>[.<sub>].<Class>. */
    private static final Pattern REF = Pattern.compile("\\btdisp\\.([a-z][a-z0-9]*)(?:\\.[a-z][a-z0-9]*)*\\.[A-Z]");

    @Test
    void exploreNeverReferencesReportAndNoPackagePairImportsEachOther() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.getOrDefault("report", Set.of()).contains("explore"), "the scan sees report's use of explore");
        assertEquals(Set.of(), filter(uses.getOrDefault("explore", Set.of()), "report"), "explore -> report");
        List<String> mutual = new ArrayList<>();
        for (var e : uses.entrySet()) {
            for (String to : e.getValue()) {
                if (e.getKey().compareTo(to) < 0 && uses.getOrDefault(to, Set.of()).contains(e.getKey())) mutual.add(e.getKey() + " <-> " + to);
            }
        }
        // Cycles that predate issue 12, between model packages; report and output take part in none.
        assertEquals(List.of(), mutual.stream().filter(m -> m.contains("report") || m.contains("output")).toList(), "cycles through report or output");
    }

    /**
     * Edges that must not come back, "from -> to". platform -> cost (issue 23.3): a platform
     * reads its cost rows through a lookup, and the cost table reads the registry for the
     * platforms' rows; both ways made a cycle.
     */
    static final List<String> FORBIDDEN = List.of("explore -> report", "platform -> cost");

    @Test
    void noForbiddenEdge() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.getOrDefault("cost", Set.of()).contains("platform"), "the scan sees cost's use of the registry");
        List<String> found = new ArrayList<>();
        for (String edge : FORBIDDEN) {
            String[] e = edge.split(" -> ");
            if (uses.getOrDefault(e[0], Set.of()).contains(e[1])) found.add(edge);
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theReportPackageIsImportedOnlyByTheCommandLine() throws IOException {
        List<String> users = new ArrayList<>();
        graph().forEach((from, to) -> { if (to.contains("report") && !from.equals("report")) users.add(from); });
        assertEquals(List.of("cli"), users);
    }

    @Test
    void csvIsPrintedOnlyInTheReportPackageAndInTheOneSharedFormat() throws IOException {
        List<String> printers = new ArrayList<>(), formats = new ArrayList<>();
        for (Path f : sources()) {
            String rel = MAIN.relativize(f).toString().replace('\\', '/');
            String src = Files.readString(f);
            // CostTable writes the table it parses (costs-measured.csv, the digest): the input format's own writer.
            if (src.contains("CSVPrinter") && !rel.startsWith("tdisp/report/") && !rel.equals("tdisp/output/Csv.java")
                    && !rel.equals("tdisp/cost/CostTable.java")) printers.add(rel);
            // Vocabulary reads a resource whose names (#VC, #VE) start with the shared format's comment marker.
            if (src.contains("CSVFormat.DEFAULT") && !rel.equals("tdisp/output/Csv.java") && !rel.equals("tdisp/sim/Vocabulary.java")) formats.add(rel);
        }
        assertEquals(List.of(), printers, "CSV printed outside tdisp.report");
        assertEquals(List.of(), formats, "a CSV format other than tdisp.output.Csv.FORMAT");
    }

    @Test
    void everyRendererClassLivesInTheReportPackage() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources()) {
            String rel = MAIN.relativize(f).toString().replace('\\', '/');
            String name = f.getFileName().toString().replace(".java", "");
            // device's InterfaceReport and wire.Report are TDISP's DEVICE_INTERFACE_REPORT, not renderers;
            // output holds the CSV dialect and the column layout the renderers share; CostTable is data.
            if (name.matches(".*(Report|Csv|Matrix|Table)") && !rel.startsWith("tdisp/report/") && !rel.startsWith("tdisp/device/")
                    && !rel.startsWith("tdisp/output/") && !rel.equals("tdisp/cost/CostTable.java")) bad.add(rel);
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void theScanSeesQualifiedNamesAsWellAsImports() {
        Matcher m = REF.matcher("import tdisp.report.Columns; x = tdisp.device.wire.Report.X; tdisp.world.DsmLayout.SHARED_PF0");
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(List.of("report", "device", "world"), found);
    }

    private static Set<String> filter(Set<String> s, String keep) {
        Set<String> out = new TreeSet<>();
        for (String x : s) if (x.equals(keep)) out.add(x);
        return out;
    }

    /** package -> the tdisp packages its sources reference (first component after tdisp). */
    private static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        for (Path f : sources()) {
            String pkg = MAIN.relativize(f).getName(1).toString();
            if (pkg.endsWith(".java")) continue;
            Matcher m = REF.matcher(stripComments(Files.readString(f)));
            while (m.find()) if (!m.group(1).equals(pkg)) g.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
        }
        return g;
    }

    /** Javadoc and comments may name any class ({@link}); only code makes a dependency. */
    private static String stripComments(String src) {
        return src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
