package tdisp.platform;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The seam holds: outside a platform's own package (and the registry) no code names a
 * platform package or branches on which platform it has. Adding a platform must not need
 * an edit anywhere else.
 */
class PlatformSeamTest {
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/test/java"), Path.of("benchmarks"));
    private static final Path PLATFORM_DIR = Path.of("tdisp", "platform");

    /** A reference into a platform package: tdisp.platform.<name>. */
    private static final Pattern PLATFORM_PACKAGE = Pattern.compile("\\btdisp\\.platform\\.([a-z][a-z0-9]*)\\b");
    /** A comparison or switch on a platform's identity (ids of every registered platform). */
    private static final Pattern PLATFORM_BRANCH = Pattern.compile(
            "[=!]=\\s*Platforms\\.get\\(|Platforms\\.get\\([^)]*\\)\\s*[=!]="
            + "|\\.equals\\(\\s*\"(" + ids() + ")\"|\"(" + ids() + ")\"\\s*\\.equals\\("
            + "|case\\s+\"(" + ids() + ")\"|instanceof\\s+(SevTio|TdxConnect|Cca)\\b");

    private static String ids() {
        return String.join("|", Platforms.all().stream().map(p -> Pattern.quote(p.id())).toList());
    }

    @Test
    void noFileOutsideThePlatformPackagesImportsOne() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources()) {
            if (insidePlatformSubpackage(f) || f.getFileName().toString().equals("Platforms.java")) continue;
            Matcher m = PLATFORM_PACKAGE.matcher(Files.readString(f));
            while (m.find()) bad.add(f + ": " + m.group());
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void noCodeOutsideThePlatformPackagesBranchesOnThePlatform() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources()) {
            if (insidePlatformSubpackage(f) || f.getFileName().toString().equals("PlatformSeamTest.java")) continue;
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (PLATFORM_BRANCH.matcher(lines.get(i)).find()) bad.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void theBranchPatternCatchesTheShapesItIsMeantFor() {
        for (String s : List.of("if (p == Platforms.get(\"sev-tio\")) x();", "w.platform().id().equals(\"tdx-connect\")",
                "\"tdx-connect\".equals(p.id())", "if (p instanceof SevTio) y();")) {
            assertTrue(PLATFORM_BRANCH.matcher(s).find(), s);
        }
        assertFalse(PLATFORM_BRANCH.matcher("new Case(\"x\", \"iommufd-v5\", Platforms.get(\"sev-tio\"),").find());
        assertFalse(PLATFORM_BRANCH.matcher("if (s.id().equals(\"kvm-direct\")) {").find(), "strategies may be compared");
    }

    private static boolean insidePlatformSubpackage(Path f) {
        for (Path root : ROOTS) {
            if (!f.startsWith(root)) continue;
            Path rel = root.relativize(f);
            return rel.startsWith(PLATFORM_DIR) && rel.getNameCount() > PLATFORM_DIR.getNameCount() + 1;
        }
        return false;
    }

    private static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
            }
        }
        assertTrue(out.size() > 50, "found the sources");
        return out;
    }
}
