package tdisp.platform;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostTable;
import tdisp.sim.Lane;
import tdisp.sim.Vocabulary;

/**
 * Issue 23.3: what is a platform's is declared by the platform, in its package or its own
 * resources, and read through the registry. No trace prefix, lane or actor label of a
 * platform is spelled where the trace is labelled or drawn (sim, report); the common
 * vocabulary and cost files hold no platform's rows.
 */
class PlatformDataTest {
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** Prefixes that are some platform's: its lane rules and its actors as the trace prints them. */
    static List<String> platformPrefixes() {
        List<String> out = new ArrayList<>();
        for (Platform p : Platforms.shipped()) {
            for (Lane.Rule r : p.traceLanes()) out.add(r.prefix());
            for (String a : p.traceActors()) out.add(a + ":");
        }
        return out;
    }

    /**
     * "file: literal" for each string literal of the sources under {@code dir} that is an entry
     * of a prefix table (it starts with one of {@code prefixes}) or an alternative of a pattern
     * ({@code (?:qemu|tdx-host|...)}); prose that mentions a name is neither.
     */
    static List<String> literalsNaming(Path dir, List<String> prefixes) throws IOException {
        List<Pattern> tokens = new ArrayList<>();
        for (String p : prefixes) {
            tokens.add(Pattern.compile("^" + Pattern.quote(p)));
            String bare = p.endsWith(":") ? p.substring(0, p.length() - 1) : p;
            tokens.add(Pattern.compile("[(|:]" + Pattern.quote(bare) + "[A-Za-z0-9_]*[|)]"));
        }
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String src = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//[^\\n]*$", "");
                Matcher m = LITERAL.matcher(src);
                while (m.find()) {
                    for (Pattern t : tokens) if (t.matcher(m.group(1)).find()) { bad.add(f + ": \"" + m.group(1) + "\""); break; }
                }
            }
        }
        return bad;
    }

    @Test
    void noPlatformPrefixLaneOrActorIsSpelledWhereTracesAreLabelledOrDrawn() throws IOException {
        List<String> bad = new ArrayList<>();
        for (String pkg : List.of("sim", "report")) bad.addAll(literalsNaming(Path.of("src/main/java/tdisp", pkg), platformPrefixes()));
        assertEquals(List.of(), bad);
    }

    @Test
    void theScanFindsTheTablesItIsMeantFor(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Old.java"), "class Old { Object[][] RULES = {{\"sev_tio:\", 5}, {\"tdx_\", 1}};\n"
                + "  String ACTOR = \"^\\\\s*(?:qemu|guest|tdx-host|arm-cca-host):\\\\s+\"; // \"snp_\" in a comment is fine\n"
                + "  String fine = \"sev_do_cmd\"; }\n");
        assertEquals(3, literalsNaming(dir, platformPrefixes()).size(), literalsNaming(dir, platformPrefixes()).toString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PlatformDataTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theCommonVocabularyHasOnlyCommonRowsAndEachPlatformsRowsAreItsOwn() throws IOException {
        for (Vocabulary.Entry e : Vocabulary.common().entries()) assertEquals(Vocabulary.ALL, e.platform(), e.name());
        int rows = Vocabulary.common().entries().size();
        for (Platform p : Platforms.shipped()) {
            long own = Platforms.vocabulary().entries().stream().filter(e -> e.platform().equals(p.id())).count();
            assertTrue(own > 10, p.id() + " has its rows");
            rows += own;
        }
        assertEquals(rows, Platforms.vocabulary().entries().size());
        for (String a : Vocabulary.COMMON_ACTORS) assertFalse(platformPrefixes().contains(a + ":"), a);
    }

    @Test
    void everyCostRowAPlatformIsChargedFromIsInItsOwnTableAndTheMergedTableHoldsEveryRowOnce() throws IOException {
        String common = resource("/costs.csv");
        for (Platform p : Platforms.shipped()) {
            String own = p.resource("costs.csv").orElseThrow();
            for (String row : p.costRows()) {
                if (common.contains("\n" + row + ",")) continue; // a common row it reads (none today)
                assertTrue(own.contains("\n" + row + ","), p.id() + ": " + row);
            }
        }
        String merged = CostTable.builtInText();
        assertFalse(merged.lines().anyMatch(l -> l.startsWith("#")), "no comment left");
        long rows = common.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count() - 1;
        for (Platform p : Platforms.shipped())
            rows += p.resource("costs.csv").orElseThrow().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count() - 1;
        assertEquals(rows, CostTable.defaults().rows().size(), "every row once, none added");
    }
}
