package tdisp.cli;

import static org.junit.jupiter.api.Assertions.*;
import static tdisp.cli.Cli.STRATEGIES;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr, non-zero exit, nothing on stdout, no report files. */
class CliErrorTest {
    @TempDir Path tmp;

    private Path out() throws IOException {
        return Files.createDirectories(tmp.resolve("out"));
    }

    private Cli.Result compare(Path out, String... extra) {
        String[] base = {"compare", "--strategies-dir", STRATEGIES, "--out", out.toString()};
        return Cli.run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    @Test
    void unknownStrategy() throws Exception {
        Path out = out();
        Cli.assertCleanFailure(compare(out, "--strategies", "nope"), out, "nope");
    }

    @Test
    void unknownPlatform() throws Exception {
        Path out = out();
        Cli.assertCleanFailure(compare(out, "--platforms", "nope"), out, "nope");
    }

    @Test
    void unknownScenario() throws Exception {
        Path out = out();
        Cli.assertCleanFailure(compare(out, "--scenarios", "happy-bringup,nope"), out, "nope");
    }

    @Test
    void scenarioPrefixMatchingNothing() throws Exception {
        Path out = out();
        Cli.assertCleanFailure(compare(out, "--scenarios", "teardown/zzz*"), out, "teardown/zzz*");
    }

    @Test
    void checkWithUnknownStrategyWritesNothing() throws Exception {
        Path out = out();
        Cli.Result r = Cli.run("check", "--strategies-dir", STRATEGIES, "--out", out.toString(), "--strategies", "nope");
        Cli.assertCleanFailure(r, out, "nope");
    }

    @Test
    void traceMissingRequiredOption() throws Exception {
        Cli.Result r = Cli.run("trace", "--strategies-dir", STRATEGIES, "--strategy", "iommufd-v5", "--platform", "sev-tio");
        Cli.assertCleanFailure(r, null, "--scenario");
    }

    @Test
    void unknownOption() throws Exception {
        Path out = out();
        Cli.assertCleanFailure(compare(out, "--no-such-option"), out, "--no-such-option");
    }

    /** Copies the shipped descriptors and corrupts the bind.entry line of iommufd-v5.desc; returns its line number. */
    private int corruptCopy(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(Path.of(STRATEGIES))) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".desc")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        Path victim = dir.resolve("iommufd-v5.desc");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(victim));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("bind.entry")) {
                lines.set(i, "bind.entry = kvmm");
                Files.write(victim, lines);
                return i + 1;
            }
        }
        throw new AssertionError("no bind.entry line in " + victim);
    }

    @Test
    void malformedDescriptorNamesFileAndLine() throws Exception {
        Path dir = tmp.resolve("strategies");
        int line = corruptCopy(dir);
        Path out = out();
        Cli.Result r = Cli.run("compare", "--strategies-dir", dir.toString(), "--out", out.toString());
        Cli.assertCleanFailure(r, out, "iommufd-v5.desc:" + line, "kvmm");
        assertTrue(r.err().matches("(?s).*\\.desc:\\d+.*"), r.err());
    }

    @Test
    void malformedDescriptorFailsEvenWhenNotSelected() throws Exception {
        Path dir = tmp.resolve("strategies");
        int line = corruptCopy(dir);
        Path out = out();
        Cli.Result r = Cli.run("compare", "--strategies-dir", dir.toString(), "--out", out.toString(),
                "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup");
        Cli.assertCleanFailure(r, out, "iommufd-v5.desc:" + line);
    }

    @Test
    void listWithMalformedDescriptorPrintsNothing() throws Exception {
        Path dir = tmp.resolve("strategies");
        int line = corruptCopy(dir);
        Cli.Result r = Cli.run("list", "--strategies-dir", dir.toString());
        Cli.assertCleanFailure(r, null, "iommufd-v5.desc:" + line);
    }

    @Test
    void outputPathThatIsAFileGivesOneLineAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        Cli.Result r = Cli.run("compare", "--strategies-dir", "strategies", "--strategies", "vfio-ioctl",
                "--scenarios", "happy-bringup", "--out", file.resolve("sub").toString());
        assertNotEquals(0, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().toLowerCase().contains("not a directory"), r.err());
    }

    @Test
    void correctnessTxtBlockedByADirectoryLeavesNoCsv(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("correctness.txt"));
        Cli.Result r = Cli.run("compare", "--strategies-dir", "strategies", "--strategies", "vfio-ioctl",
                "--scenarios", "happy-bringup", "--out", tmp.toString());
        assertNotEquals(0, r.code());
        assertFalse(Files.exists(tmp.resolve("correctness.csv")), "no half-written result set");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }
}
