package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 25, "the edges": each point reproduced as the issue reports it, in-process. The
 * launcher (point 1) is Issue25LauncherTest, the exit-code table and the signals (points 2
 * and 3) ExitCodeTableTest, the special files and malformed inputs as a suite
 * Issue25FuzzTest, the report's first screen (point 10) ReportBrowserTest.
 */
class Issue25EdgesTest {
    @TempDir static Path tmp;
    static String replay;

    @BeforeAll
    static void explore() throws IOException {
        Path x = tmp.resolve("x");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--depth", "3", "--progress", "none", "--out", x.toString());
        assertEquals(1, r.code(), r.err());
        try (var s = Files.list(x.resolve("cex"))) {
            replay = Files.readString(s.filter(p -> p.toString().endsWith("-I1-1.replay")).findFirst().orElseThrow());
        }
    }

    // ---- 3: explore ends non-zero on a violation, as a model checker does ----

    @Test
    void exploreExits1WhenItReportsAViolatedInvariantAnd0WhenItReportsNone() {
        Cli.Result bad = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--depth", "3", "--progress", "none", "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.code(), bad.err());
        Cli.Result clean = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--depth", "2", "--progress", "none",
                "--out", tmp.resolve("clean").toString());
        assertEquals(0, clean.code(), clean.err());
    }

    // ---- 4: replay confirms what it reproduces ----

    @Test
    void aReplayFileEditedToNameAnotherStrategyIsRefusedNamingItsLine() throws IOException {
        Path f = Files.writeString(tmp.resolve("renamed.replay"), replay.replace("\nstrategy iommufd-v5\n", "\nstrategy vfio-ioctl\n"));
        int line = replay.substring(0, replay.indexOf("\nstrategy ")).split("\n", -1).length + 1;
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f + ":", "the file cannot be confirmed");
        assertEquals(2, r.code());
        assertTrue(r.err().contains(":" + line + ": ") || r.err().contains("knob "), r.err());
    }

    @Test
    void aReplayFileNamingAnUnknownStrategyIsRefused() throws IOException {
        Path f = Files.writeString(tmp.resolve("unknown.replay"), replay.replace("\nstrategy iommufd-v5\n", "\nstrategy no-such-design\n"));
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f + ":", "no-such-design", "cannot be confirmed");
        assertEquals(2, r.code());
    }

    @Test
    void aReplayFileExpectingAnInvariantTheModelDoesNotHaveIsBadInputNotANonReproduction() throws IOException {
        Path f = Files.writeString(tmp.resolve("i99.replay"), replay.replace("\nexpect I1\n", "\nexpect I99\n"));
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f + ":", "expect 'I99'");
        assertEquals(2, r.code());
        Path ok = Files.writeString(tmp.resolve("ok.replay"), replay);
        assertEquals(0, Cli.run("replay", ok.toString()).code(), "the unedited file reproduces");
        Path other = Files.writeString(tmp.resolve("i2.replay"), replay.replace("\nexpect I1\n", "\nexpect I2\n"));
        assertEquals(1, Cli.run("replay", other.toString()).code(), "a known invariant it does not break: 1, not reproduced");
    }

    // ---- 6: the reproduce line pastes ----

    @Test
    void theReproduceLineNeverBreaksInsideAQuotedPathWithSpaces() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a directory with spaces in its rather long name/and more of it"));
        Path costs = Files.writeString(dir.resolve("my costs.csv"), Issue13CostBoundsTest.shipped());
        Path out = tmp.resolve("q");
        Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--costs", costs.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String txt = Files.readString(out.resolve("correctness.txt"));
        StringBuilder joined = new StringBuilder();
        boolean in = false;
        for (String l : txt.lines().toList()) {
            if (l.startsWith("setup: reproduce ")) in = true;
            else if (in && !l.startsWith("       ")) break;
            if (!in) continue;
            assertEquals(0, l.chars().filter(c -> c == '\'').count() % 2, "a line break inside quotes: " + l);
            String part = l.startsWith("setup: reproduce ") ? l.substring("setup: reproduce ".length()) : l.strip();
            joined.append(part.endsWith(" \\") ? part.substring(0, part.length() - 1) : part + " ");
        }
        assertTrue(joined.toString().contains("--costs '" + costs + "'"), joined.toString());
    }

    // ---- 7: options bounded and checked before any work ----

    @Test
    void aThreadCountPastTheBoundIsBadInputBeforeAnyWork() throws IOException {
        Path out = tmp.resolve("t");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--threads", "100000", "--out", out.toString());
        Cli.assertCleanFailure(r, out, "--threads 100000", "1..256");
        assertEquals(2, r.code());
        assertFalse(Files.exists(out));
    }

    @Test
    void aWorkDirThatIsAFileOrMissingIsBadInputAndNothingIsCreated() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = tmp.resolve("w");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--work-dir", file.toString(),
                "--out", out.toString());
        Cli.assertCleanFailure(r, out, "--work-dir " + file, "not a directory");
        assertEquals(2, r.code());
        Path missing = tmp.resolve("no-such-work-dir");
        Cli.Result m = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--work-dir", missing.toString(),
                "--out", out.toString());
        Cli.assertCleanFailure(m, out, "--work-dir " + missing, "no such directory");
        assertEquals(2, m.code());
        assertFalse(Files.exists(missing), "not created and left behind");
        assertFalse(Files.exists(out));
    }

    @Test
    void reportRefusesAnUnknownBaselineInsteadOfUsingAnother() throws IOException {
        Path out = tmp.resolve("rb");
        Cli.Result r = Cli.run("report", "--baseline", "no-such-strategy", "--progress", "none", "--out", out.toString());
        Cli.assertCleanFailure(r, out, "--baseline no-such-strategy", "unknown strategy");
        assertEquals(2, r.code());
        Cli.Result n = Cli.run("report", "--strategies", "iommufd-v5,vfio-ioctl", "--baseline", "kvm-direct", "--progress", "none",
                "--out", out.toString());
        Cli.assertCleanFailure(n, out, "--baseline kvm-direct", "not among the selected");
    }

    // ---- 2: a partial output is marked, and report --from shows the mark ----

    @Test
    void anInterruptedCompareMarksItsCsvAndReportFromShowsItAsPartial() throws Exception {
        Path results = tmp.resolve("results");
        Path cmp = results.resolve("compare");
        tdisp.cli.InterruptAccess.request();
        try {
            Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", cmp.toString());
            assertEquals(3, r.code(), r.err());
        } finally {
            tdisp.cli.InterruptAccess.reset();
        }
        String csv = Files.readString(cmp.resolve("correctness.csv"));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("# status: INTERRUPTED: 0 of ")), csv);
        assertTrue(Files.readString(cmp.resolve("correctness.txt")).contains("setup: status    INTERRUPTED"));
        Path out = tmp.resolve("from-partial");
        Cli.Result rep = Cli.run("report", "--from", results.toString(), "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup",
                "--progress", "none", "--out", out.toString());
        assertEquals(0, rep.code(), rep.err());
        String txt = Files.readString(out.resolve("report.txt"));
        assertTrue(txt.contains("setup: status    PARTIAL INPUT"), "the report's own provenance says it");
        assertTrue(txt.replaceAll("\\s+", " ").contains("PARTIAL INPUT: " + results + "/compare/correctness.csv: INTERRUPTED"), txt);
        assertTrue(Files.readString(out.resolve("report.html")).contains("PARTIAL INPUT"));
    }

    // ---- 9: help without warnings ----

    @Test
    void noCommandsHelpPrintsAPicocliWarning() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String c : List.of("list", "compare", "check", "trace", "bench", "sweep", "explore", "replay", "rediscover", "calibrate",
                    "report", "diff")) {
                assertEquals(0, Cli.run(c, "--help").code(), c);
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "picocli warned");
    }

    @Test
    void oneOptionNameMeansOneThing() {
        String explore = Cli.run("explore", "--help").out(), bench = Cli.run("bench", "--help").out(), cal = Cli.run("calibrate", "--help").out();
        assertTrue(explore.contains("--time="), "explore's --time bounds the run");
        assertFalse(bench.contains("--time="), "bench's time per iteration has its own name");
        assertFalse(cal.contains("--time="), "calibrate's too");
        assertTrue(bench.contains("--iteration-time=") && cal.contains("--iteration-time="));
    }
}
