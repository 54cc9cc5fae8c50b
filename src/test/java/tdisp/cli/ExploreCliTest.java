package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * explore / replay / rediscover through {@link Main#execute}, as a user runs them. Every
 * search is kept small (1 VM, 1 device, depth 4; rediscover depth 5) so the class stays fast.
 */
class ExploreCliTest {
    static final String CSV_HEADER_PREFIX = "run,strategy,platform,knobs,vms,devices,mode,depth_bound";
    /** The close-order counterexample's files (counterexamples are kept per invariant and site). */
    static String CEX;
    /** The close-device-first bug: VFIO's last close disables and resets the bound TDI before unbinding it. */
    static final List<String> CLOSE_DEVICE_FIRST_CEX = List.of("guest0 BIND", "guest0 continue", "vmm0 close-vfio");

    /** One small explore of iommufd-v5 on sev-tio, shared by the tests that only read its output. */
    @TempDir static Path shared;
    static Path base;
    static Cli.Result baseRun;

    @TempDir Path tmp;

    static String[] explore(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("explore", "--strategies-dir", STRATEGIES, "--strategy", "iommufd-v5",
                "--platform", "sev-tio", "--vms", "1", "--devices", "1", "--depth", "4", "--progress", "0",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    static void exploreOnce() {
        base = shared.resolve("base");
        baseRun = Cli.run(explore(base));
        CEX = cexAt(base, "cex/iommufd-v5-sev-tio", "I1", "pci_clear_master");
    }

    /** The replay/trace base name (relative) of the counterexample of inv that broke at site. */
    static String cexAt(Path dir, String prefix, String inv, String site) {
        for (int k = 1; k < 50; k++) {
            Path t = dir.resolve(prefix + "-" + inv + "-" + k + ".trace");
            if (!Files.isRegularFile(t)) break;
            try {
                if (Files.readString(t).contains("!! " + inv + ": ") && Files.readString(t).contains("[at " + site + "]")) return prefix + "-" + inv + "-" + k;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new AssertionError("no " + inv + " counterexample at " + site + " under " + dir.resolve(prefix));
    }

    private static CSVRecord onlyRow(Path csv) throws IOException {
        List<CSVRecord> rows = Cli.csvRecords(csv);
        assertEquals(1, rows.size(), () -> "one exploration, one row:\n" + rows);
        return rows.get(0);
    }

    private static List<String> actions(Path replay) throws IOException {
        return Files.readAllLines(replay).stream().filter(l -> l.startsWith("action ")).map(l -> l.substring(7)).toList();
    }

    // ---- explore -------------------------------------------------------------------------

    @Test
    void exploreFindsCloseDeviceFirstBugAndWritesReportAndReplay() throws Exception {
        assertEquals(ExitCodes.NO, baseRun.code(), () -> "explore exits 1 on the bug it finds; stdout:\n" + baseRun.out() + "\nstderr:\n" + baseRun.err());
        assertTrue(baseRun.err().startsWith("tdisp: wrote ") && baseRun.err().lines().count() == 1,
                "--progress 0: only the status line on stderr: " + baseRun.err());

        Path csv = base.resolve("explore.csv");
        String header = Cli.body(Cli.read(csv)).lines().findFirst().orElseThrow();
        assertTrue(header.startsWith(CSV_HEADER_PREFIX), header);
        CSVRecord r = onlyRow(csv);
        assertEquals("iommufd-v5", r.get("strategy"));
        assertEquals("sev-tio", r.get("platform"));
        assertEquals("1", r.get("vms"));
        assertEquals("1", r.get("devices"));
        assertEquals("bfs", r.get("mode"));
        assertEquals("4", r.get("depth_bound"));
        assertEquals("yes", r.get("exhausted"), "bfs bounded by depth exhausts to the bound");
        assertTrue(r.get("knobs").contains("vfio.last-close=close-device-first"), r.get("knobs"));
        assertEquals("violated:3", r.get("I1"), "guest0 BIND, guest0 continue, vmm0 close-vfio");
        for (int i = 2; i <= 10; i++) assertEquals("none", r.get("I" + i), "I" + i);

        Path txt = base.resolve("explore.txt");
        assertTrue(Files.isRegularFile(txt));
        String text = Cli.read(txt);
        assertTrue(baseRun.out().startsWith(text), "stdout starts with explore.txt");
        assertTrue(text.contains("I1  VIOLATED, shortest 3 actions"), text);
        assertEquals(text, baseRun.out(), "stdout is the report, nothing else");

        Path replay = base.resolve(CEX + ".replay");
        Path trace = base.resolve(CEX + ".trace");
        assertTrue(Files.isRegularFile(replay), "replay file");
        assertTrue(Files.isRegularFile(trace), "trace file");
        List<String> lines = Files.readAllLines(replay);
        assertTrue(lines.contains("strategy iommufd-v5"), lines::toString);
        assertTrue(lines.contains("platform sev-tio"), lines::toString);
        assertTrue(lines.contains("vms 1"), lines::toString);
        assertTrue(lines.contains("expect I1"), lines::toString);
        assertEquals(CLOSE_DEVICE_FIRST_CEX, actions(replay));
        String t = Cli.read(trace);
        assertTrue(t.contains("!! I1:"), t);
        assertTrue(t.endsWith("(reproduces I1)\n"), "trace ends with the result line and a newline");
        // Only I1 (at several sites) is in cex/: the goal takes 7 actions, beyond depth 4, and
        // the report says so rather than proving it by some other search.
        try (Stream<Path> s = Files.list(base.resolve("cex"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            for (String n : names) assertTrue(n.matches("iommufd-v5-sev-tio-I1-\\d+\\.(replay|trace)"), n);
        }
        assertTrue(text.contains("goal (secure DMA with the TDI in RUN): NOT reached"), text);
    }

    @Test
    void bfsBoundedByDepthIsDeterministic() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Cli.Result ra = Cli.run(explore(a));
        Cli.Result rb = Cli.run(explore(b));
        assertEquals(ExitCodes.NO, ra.code(), ra.err());
        assertEquals(ExitCodes.NO, rb.code(), rb.err());
        assertArrayEquals(Files.readAllBytes(a.resolve("explore.csv")), Files.readAllBytes(b.resolve("explore.csv")),
                "explore.csv differs between identical runs");
        assertArrayEquals(Files.readAllBytes(a.resolve("explore.txt")), Files.readAllBytes(b.resolve("explore.txt")));
        for (String ext : List.of(".replay", ".trace")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(CEX + ext)), Files.readAllBytes(b.resolve(CEX + ext)), ext);
        }
        // ... and the same bytes as the shared run in another directory.
        assertArrayEquals(Files.readAllBytes(base.resolve("explore.csv")), Files.readAllBytes(a.resolve("explore.csv")));
    }

    @Test
    void randomModeIsReproducibleBySeed() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        Cli.Result ra = Cli.run(explore(a, "--mode", "random", "--walks", "50", "--seed", "3"));
        Cli.Result rb = Cli.run(explore(b, "--mode", "random", "--walks", "50", "--seed", "3"));
        Cli.Result rc = Cli.run(explore(c, "--mode", "random", "--walks", "50", "--seed", "4"));
        assertEquals(0, ra.code(), ra.err());
        assertEquals(0, rb.code(), rb.err());
        assertEquals(0, rc.code(), rc.err());
        assertArrayEquals(Files.readAllBytes(a.resolve("explore.csv")), Files.readAllBytes(b.resolve("explore.csv")),
                "same seed, different explore.csv");

        CSVRecord r3 = onlyRow(a.resolve("explore.csv"));
        CSVRecord r4 = onlyRow(c.resolve("explore.csv"));
        assertEquals("random", r3.get("mode"));
        assertEquals("3", r3.get("seed"));
        assertEquals("4", r4.get("seed"));
        assertEquals("walks", r3.get("stop"), "stopped by the walk count");
        assertEquals("no", r3.get("exhausted"), "a random search never claims exhaustion");
        for (int i = 1; i <= 10; i++) {
            assertTrue(r3.get("I" + i).equals("none-partial") || r3.get("I" + i).startsWith("violated:"),
                    "I" + i + ": " + r3.get("I" + i));
        }
        // The seed drives the walks: apart from the seed column the rows should not coincide.
        java.util.Map<String, String> w3 = new java.util.HashMap<>(r3.toMap()), w4 = new java.util.HashMap<>(r4.toMap());
        w3.remove("seed");
        w4.remove("seed");
        assertNotEquals(w3, w4, "seeds 3 and 4 explored exactly the same walks");
    }

    // ---- replay --------------------------------------------------------------------------

    @Test
    void replayPrintsTheTraceFileByteForByte() throws Exception {
        Path trace = base.resolve(CEX + ".trace");
        Cli.Result r = Cli.run("replay", base.resolve(CEX + ".replay").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertArrayEquals(Files.readAllBytes(trace), r.out().getBytes(StandardCharsets.UTF_8),
                "replay output differs from the .trace written by explore");
        assertTrue(r.outLines().stream().anyMatch(l -> l.contains("(reproduces I1)")), r.out());
    }

    @Test
    void replayExpectingAnInvariantThatDoesNotFailExitsOne() throws Exception {
        String src = Cli.read(base.resolve(CEX + ".replay"));
        assertTrue(src.contains("\nexpect I1\n"), src);
        Path edited = Files.writeString(tmp.resolve("i9.replay"), src.replace("\nexpect I1\n", "\nexpect I9\n"));
        Cli.Result r = Cli.run("replay", edited.toString());
        assertEquals(1, r.code(), () -> r.out() + r.err());
        // The result line, its 72-column continuation lines joined again.
        String last = r.out().substring(r.out().lastIndexOf("# result:")).replaceAll("\n#\\s+", " ");
        assertTrue(last.contains("NOT reproduced"), last);
        assertTrue(last.contains("I9"), last);
        assertTrue(last.contains("I1:"), "what did fail is still reported: " + last);
    }

    @Test
    void replayWithUnknownLineNamesFileAndLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.replay"),
                "# tdisp replay file\nformat 2\nstrategy iommufd-v5\nfrobnicate yes\naction guest0 BIND\nend\n");
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f + ":4", "frobnicate");
    }

    @Test
    void replayOfMissingFileFails() throws Exception {
        Path f = tmp.resolve("no-such.replay");
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, "no-such.replay");
    }

    @Test
    void replayWithUnknownActionFails() throws Exception {
        String src = Cli.read(base.resolve(CEX + ".replay"));
        assertTrue(src.contains("\naction vmm0 close-vfio\n"), src);
        Path f = Files.writeString(tmp.resolve("act.replay"), src.replace("\naction vmm0 close-vfio\n", "\naction vmm0 fly-away\n"));
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, "vmm0 fly-away");
    }

    // ---- bad explore input ---------------------------------------------------------------

    static Stream<Arguments> badExplore() {
        return Stream.of(
                Arguments.of(List.of("--mode", "sideways"), "sideways"),
                Arguments.of(List.of("--vms", "2", "--devices", "3"), "--devices 3"),
                Arguments.of(List.of("--vms", "5", "--devices", "5"), "--vms 5"),
                Arguments.of(List.of("--time", "5 parsecs"), "5 parsecs"),
                Arguments.of(List.of("--depth", "0"), "--depth 0"),
                Arguments.of(List.of("--preemptions", "-2"), "--preemptions -2"),
                Arguments.of(List.of("--strategy", "nope"), "nope"),
                Arguments.of(List.of("--platform", "nope"), "nope"),
                Arguments.of(List.of("--set", "no.such.knob=1"), "no.such.knob"),
                Arguments.of(List.of("--set", "vfio.last-close=sideways"), "sideways"),
                Arguments.of(List.of("--por", "maybe"), "--por maybe"));
    }

    /** Later options replace the base ones (picocli rejects repeats), so build the argument list by hand. */
    private static String[] exploreWith(Path out, List<String> override) {
        List<String> a = new ArrayList<>(List.of(explore(out)));
        for (int i = 0; i + 1 < override.size(); i += 2) {
            int at = a.indexOf(override.get(i));
            if (at >= 0) a.set(at + 1, override.get(i + 1));
            else a.addAll(List.of(override.get(i), override.get(i + 1)));
        }
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExplore")
    void badExploreInputIsOneLineAndWritesNothing(List<String> override, String needle) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli.Result r = Cli.run(exploreWith(out, override));
        Cli.assertCleanFailure(r, out, needle);
        assertFalse(Files.exists(out.resolve("explore.csv")), "explore.csv written");
        assertFalse(Files.exists(out.resolve("explore.txt")), "explore.txt written");
        assertFalse(Files.exists(out.resolve("cex")), "cex/ written");
    }

    @Test
    void reductionOnAndOffReportTheSameStatesAndViolationsAndSayWhichRan() throws Exception {
        Path on = tmp.resolve("on"), off = tmp.resolve("off");
        for (Path p : List.of(on, off)) {
            Cli.Result r = Cli.run(exploreWith(p, List.of("--vms", "2", "--devices", "2", "--depth", "3", "--por", p == on ? "on" : "off")));
            assertEquals(ExitCodes.NO, r.code(), r::err);
        }
        CSVRecord a = Cli.csvRecords(on.resolve("explore.csv")).get(0), b = Cli.csvRecords(off.resolve("explore.csv")).get(0);
        assertEquals("sleep-sets", a.get("por"));
        assertEquals("off", b.get("por"));
        assertEquals("0", b.get("transitions_slept"));
        assertEquals(b.get("distinct"), a.get("distinct"));
        for (String inv : List.of("I1", "I2", "I3", "I4", "I5", "I6")) assertEquals(b.get(inv), a.get(inv), inv);
        assertEquals(Long.parseLong(b.get("generated")), Long.parseLong(a.get("generated")) + Long.parseLong(a.get("transitions_slept")));
        assertTrue(Cli.read(on.resolve("explore.txt")).contains("partial-order reduction (sleep sets)"));
        assertTrue(Cli.read(on.resolve("explore.run-info")).contains(" por=sleep-sets "));
        assertTrue(Cli.read(off.resolve("explore.run-info")).contains(" por=off "));
    }

    @Test
    void rediscoverChecksTheReducedSearchAgainstTheFullOneWhenAsked() throws Exception {
        Cli.Result r = Cli.run("rediscover", "--strategies-dir", STRATEGIES, "--depth", "5", "--check-por",
                "--progress", "0", "--out", tmp.resolve("rdp").toString());
        assertEquals(0, r.code(), () -> "stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        // the verdicts open rediscovery.txt (and close the run on stdout)
        String txt = Cli.read(tmp.resolve("rdp").resolve("rediscovery.txt"));
        assertEquals(2 * tdisp.rediscover.KnownBugs.ALL.size(), txt.lines().filter(l -> l.startsWith("rediscover: reduced = full:")).count(), txt);
        assertTrue(txt.lines().filter(l -> l.startsWith("rediscover: FOUND: ")).count() >= tdisp.rediscover.KnownBugs.ALL.size(), txt);
        assertFalse(r.out().contains("POR MISMATCH"), r.out());
        // wall time, threads and heap are the run-info's: the text is the same on every machine
        assertFalse(txt.contains("heap bytes/state") || txt.matches("(?s).* s on \\d+ threads.*"), txt);
        assertTrue(Cli.read(tmp.resolve("rdp").resolve("rediscovery.run-info")).contains("heap_bytes_per_state="));
    }

    // ---- rediscover ----------------------------------------------------------------------

    @Test
    void rediscoverFindsEveryKnownBug() throws Exception {
        Path out = tmp.resolve("rd");
        Cli.Result r = Cli.run("rediscover", "--strategies-dir", STRATEGIES, "--vms", "1", "--devices", "1", "--depth", "5",
                "--progress", "0", "--out", out.toString());
        assertEquals(0, r.code(), () -> "stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        assertTrue(r.out().contains("every known bug found"), r.out());
        assertFalse(r.out().contains("MISSED"), r.out());

        List<CSVRecord> rows = Cli.csvRecords(out.resolve("rediscovery.csv"));
        assertEquals(2 * tdisp.rediscover.KnownBugs.ALL.size(), rows.size(), rows::toString);
        assertEquals(List.of("I1", "I1", "I2"), tdisp.rediscover.KnownBugs.ALL.stream().map(tdisp.rediscover.KnownBug::invariant).toList());
        for (int i = 0; i < tdisp.rediscover.KnownBugs.ALL.size(); i++) {
            tdisp.rediscover.KnownBug c = tdisp.rediscover.KnownBugs.ALL.get(i);
            CSVRecord bug = rows.get(2 * i), fixed = rows.get(2 * i + 1);
            assertEquals(c.id() + "-bug", bug.get("run"));
            assertEquals(c.id() + "-fixed", fixed.get("run"));
            assertEquals(c.strategy(), bug.get("strategy"));
            assertEquals(c.platform().id(), bug.get("platform"));
            assertEquals("5", bug.get("depth_bound"));
            for (String k : c.bug()) assertTrue(bug.get("knobs").contains(k), bug.get("knobs") + " lacks " + k);
            for (String k : c.fix()) assertTrue(fixed.get("knobs").contains(k), fixed.get("knobs") + " lacks " + k);
            assertTrue(bug.get(c.invariant()).startsWith("violated:"), c.id() + " " + c.invariant() + ": " + bug.get(c.invariant()));

            // The counterexample really is the bug: with the fix knobs in place of the bug
            // knobs, the same actions no longer break the invariant.
            Path replay = out.resolve(cexAt(out, "cex/" + c.id() + "-bug", c.invariant(), c.site()) + ".replay");
            assertTrue(Files.isRegularFile(replay), replay.toString());
            Cli.Result rep = Cli.run("replay", replay.toString());
            assertEquals(0, rep.code(), rep::out);
            String src = Cli.read(replay);
            // The knob lines are what a replay runs (the set lines only say how they came about).
            for (int k = 0; k < c.bug().size(); k++) {
                assertTrue(src.contains("\nknob " + c.bug().get(k) + "\n"), src);
                src = src.replace("\nknob " + c.bug().get(k) + "\n", "\nknob " + c.fix().get(k) + "\n");
                // and the set lines with them: replay refuses knobs its strategy and sets do not give
                src = src.replace("\nset " + c.bug().get(k) + "\n", "\nset " + c.fix().get(k) + "\n");
            }
            Path fixedReplay = Files.writeString(tmp.resolve(c.id() + "-as-fixed.replay"), src);
            Cli.Result asFixed = Cli.run("replay", fixedReplay.toString());
            assertEquals(1, asFixed.code(), () -> c.id() + ": bug counterexample still fails with the fix:\n" + asFixed.out());
            assertTrue(asFixed.out().contains("NOT reproduced"), asFixed.out());
        }
        // The TDX case discriminates outright: the fixed kernel has no I2 counterexample.
        assertEquals("none", rows.get(5).get("I2"), rows.get(5).toString());
    }
}
