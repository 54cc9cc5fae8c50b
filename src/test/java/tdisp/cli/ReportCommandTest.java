package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.output.Columns;

/** {@code tdisp report}: what it writes, that it is deterministic and escaped, and its errors. */
class ReportCommandTest {
    /** A small selection that still has every part: two designs, one platform, two scenarios, a 3-deep search. */
    static final String[] SMALL = {"--strategies-dir", Cli.STRATEGIES, "--strategies", "kvm-direct,iommufd-v5", "--platforms", "tdx-connect",
        "--scenarios", "happy-bringup,close-vfio-bound", "--explore-depth", "3", "--bench-csv", "results/bench/bench.csv",
        "--progress", "none"};
    static final List<String> CHARTS = List.of("sequence-1", "sequence-2", "latency", "bench", "sweep", "sensitivity");

    @TempDir static Path shared;
    static Path first;
    static Cli.Result firstRun;

    static Cli.Result report(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("report"));
        a.addAll(List.of(SMALL));
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return Cli.run(a.toArray(String[]::new));
    }

    /** The report the tests read (and the browser test renders). */
    static synchronized Path small() {
        if (first == null) {
            // the browser test may come first: it then makes the report under target/, and this class reuses it
            Path out = (shared != null ? shared : Path.of("target", "report-test")).resolve("first");
            firstRun = report(out);
            assertEquals(0, firstRun.code(), firstRun.err());
            first = out;
        }
        return first;
    }

    @BeforeAll
    static void build() { small(); }

    static String read(Path p) throws Exception { return Files.readString(p, StandardCharsets.UTF_8); }

    @Test
    void aReportRunWritesTheTextMarkdownHtmlAndEveryChart() throws Exception {
        Path d = small();
        for (String f : List.of("report.txt", "report.md", "report.html", "data/compare/correctness.csv", "data/sweep/sweep.csv",
                "data/explore/explore.csv")) {
            assertTrue(Files.isRegularFile(d.resolve(f)), f);
        }
        String html = read(d.resolve("report.html"));
        String md = read(d.resolve("report.md"));
        for (String c : CHARTS) {
            String svg = read(d.resolve("charts/" + c + ".svg"));
            assertTrue(svg.startsWith("<svg ") && svg.contains("<rect") && svg.contains("<text"), c);
            assertTrue(html.contains("data-chart=\"" + c + "\">\n" + svg), c + " inline in the page");
            assertTrue(md.contains("](charts/" + c + ".svg)"), c + " linked from the Markdown");
        }
        assertEquals(CHARTS.size(), count(html, "<svg "));
        assertFalse(html.contains("<script"), "the page runs nothing");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "the page fetches nothing");
        assertEquals(read(d.resolve("report.txt")), firstRun.out(), "stdout carries the text report");
        assertTrue(firstRun.err().contains("6 charts"), firstRun.err());
    }

    @Test
    void theTextReportHasEverySectionInSeventyTwoAsciiColumns() throws Exception {
        String txt = read(small().resolve("report.txt"));
        assertTrue(Columns.widest(txt) <= 72, "widest line " + Columns.widest(txt));
        assertTrue(txt.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), "ASCII only");
        assertTrue(txt.startsWith("setup: harness   "), "the setup block opens the text, as in every text output");
        for (String s : List.of("== Correctness (compare) ==", "== Counterexamples ==", "== Modeled latency ==",
                "== Bench (JMH) ==", "== Sweep ==", "== Explore ==")) {
            assertTrue(txt.contains(s), s);
        }
        for (String fact : List.of("setup: harness", "setup: commit", "setup: jdk", "setup: seed      1", "setup: costs     costs.csv (built in) sha256:",
                "setup: fault     none", "setup: set       none", "setup: jmh       OpenJDK 64-Bit Server VM 17.0.15, 2 fork(s), 5+5", "JMH OpenJDK")) {
            assertTrue(txt.contains(fact), fact);
        }
        // the close-order bug in kernel names: 7.2's dma-buf revoke (before vfio_pci_core_disable())
        // meets a RUN TDI on TDX (I2), then pci_clear_master errors it (I1)
        assertTrue(txt.contains("tdx_sept_drop_private_spte(dev0)") && txt.contains("!! I2: TDH.MMIO.UNMAP of dev0 while TDI is RUN")
                && txt.contains("!! I1: dev0 RUN -> ERROR by COMMAND_BME_CLEAR")
                && txt.contains("[at pci_clear_master]"), txt);
        assertTrue(txt.contains("S1 kvm-direct (base)"), "baseline first in the latency table");
        assertTrue(txt.contains("harness time: the model's own cost"), "harness time is labelled");
    }

    @Test
    void significanceMarksAppearOnlyOnMeasuredRows() throws Exception {
        String txt = read(small().resolve("report.txt"));
        String latency = section(txt, "Modeled latency");
        assertFalse(latency.contains("*"), latency);
        assertFalse(section(txt, "Sweep").contains("*"));
        assertTrue(section(txt, "Bench (JMH)").matches("(?s).*[0-9]%\\*.*"), "the shipped bench has significant rows");
        String latencySvg = read(small().resolve("charts/latency.svg"));
        assertFalse(latencySvg.contains("*"), "no mark on a modeled chart");
    }

    @Test
    void twoReportRunsWriteTheSameBytes() throws Exception {
        Path second = shared.resolve("second");
        Cli.Result r = report(second);
        assertEquals(0, r.code(), r.err());
        List<Path> a = files(small()), b = files(second);
        assertEquals(a.stream().map(p -> small().relativize(p).toString()).toList(), b.stream().map(p -> second.relativize(p).toString()).toList());
        for (Path p : a) {
            Path q = second.resolve(small().relativize(p).toString());
            String pa = read(p), qa = read(q);
            // the command line names its own --out, the only input that differs
            assertEquals(pa.replace(small().toString(), "OUT"), qa.replace(second.toString(), "OUT"), small().relativize(p).toString());
        }
    }

    @Test
    void descriptorTextIsEscapedInTheHtmlAndKeptLiteralInTheMarkdown(@TempDir Path dir) throws Exception {
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        String desc = read(Path.of(Cli.STRATEGIES, "kvm-direct.desc")).replaceFirst("(?m)^id = .*$", "id = evil-direct")
                .replaceFirst("(?m)^title = .*$", "title = <script>alert(\"x\")</script> & 'quoted' <b>bold</b>");
        Files.writeString(overlay.resolve("evil-direct.desc"), desc);
        Path out = dir.resolve("r");
        Cli.Result r = Cli.run("report", "--strategies-dir", Cli.STRATEGIES, "--add-strategies", overlay.toString(), "--strategies",
                "evil-direct,iommufd-v5", "--platforms", "sev-tio", "--scenarios", "happy-bringup", "--explore-depth", "0",
                "--trace", "evil-direct:sev-tio:happy-bringup", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = read(out.resolve("report.html"));
        assertFalse(html.contains("<script"), "no script element from a title");
        assertFalse(html.contains("<b>bold"), "no markup from a title");
        assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"), "the title, escaped");
        for (String c : List.of("sequence-1", "latency", "sweep")) {
            String svg = read(out.resolve("charts/" + c + ".svg"));
            assertFalse(svg.contains("<script") || svg.contains("<b>"), c);
        }
        assertTrue(read(out.resolve("report.md")).contains("```text\n"), "Markdown keeps text in code blocks");
    }

    @Test
    void fromAResultsDirectoryReadsItsCsvsAndNamesThemAsSources(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        Cli.Result r = Cli.run("report", "--strategies-dir", Cli.STRATEGIES, "--from", "results", "--platforms", "tdx-connect",
                "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String txt = read(out.resolve("report.txt"));
        for (String s : List.of("source: results/compare/correctness.csv", "source: results/sweep/sweep.csv", "source: results/bench/bench.csv",
                "source: results/rediscover/rediscovery.csv", "setup: results   read from results")) {
            assertTrue(txt.contains(s), s);
        }
        assertFalse(Files.exists(out.resolve("data")), "nothing run, nothing copied");
        assertTrue(Columns.widest(txt) <= 72);
    }

    @Test
    void anInjectedFaultIsNamedInEveryFileTheReportWrites(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        Cli.Result r = Cli.run("report", "--strategies-dir", Cli.STRATEGIES, "--strategies", "vfio-ioctl", "--platforms", "sev-tio",
                "--scenarios", "replay-guest-request", "--fault", "FW_ACCEPTS_REPLAY", "--explore-depth", "0", "--trace",
                "vfio-ioctl:sev-tio:replay-guest-request", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("report.txt", "report.md", "report.html")) {
            assertTrue(read(out.resolve(f)).contains("fault     FW_ACCEPTS_REPLAY"), f);
        }
    }

    @Test
    void badArgumentsExitTwoWithOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad/compare"));
        Files.writeString(bad.resolve("correctness.csv"), "strategy,platform,verdict\nkvm-direct,sev-tio\n");
        String[][] cases = {
            {"--from", dir.resolve("missing").toString()},
            {"--from", dir.resolve("bad").toString()},
            {"--trace", "kvm-direct:sev-tio"},
            {"--trace", "kvm-direct:no-such-platform:happy-bringup"},
            {"--trace", "no-such-strategy:sev-tio:happy-bringup"},
            {"--explore-depth", "-1"},
            {"--bench", "--bench-csv", "results/bench/bench.csv"},
            {"--latency-scenario", "no-such-scenario"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("out");
            List<String> a = new ArrayList<>(List.of("report", "--strategies-dir", Cli.STRATEGIES, "--progress", "none", "--out", out.toString()));
            a.addAll(List.of(c));
            Cli.Result r = Cli.run(a.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("tdisp: "), r.err());
            assertFalse(Files.exists(out), String.join(" ", c));
        }
        Cli.Result r = Cli.run("report", "--strategies-dir", Cli.STRATEGIES, "--from", dir.resolve("bad").toString(), "--out",
                dir.resolve("out").toString());
        assertTrue(r.err().contains("correctness.csv:2: 2 fields"), r.err());
    }

    @Test
    void helpNamesTheOptionsAndTheExitCodes() {
        Cli.Result r = Cli.run("report", "--help");
        assertEquals(0, r.code());
        for (String s : List.of("--from", "--bench", "--bench-csv", "--trace", "--explore-depth", "--out", "Exit codes:")) {
            assertTrue(r.out().contains(s), s);
        }
        assertTrue(Columns.widest(r.out()) <= 72);
    }

    @Test
    void withoutOutEachCommandWritesItsOwnScratchDirectory() {
        // compare and report take --out through a mixin inside a mixin: the name is still the command's
        for (String name : List.of("report", "compare", "sweep")) {
            var cl = Main.commandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()));
            cl.parseArgs(name);
            Object cmd = cl.getSubcommands().get(name).getCommand();
            OutOption out = cmd instanceof ReportCommand r ? r.run.out : cmd instanceof CompareCommand c ? c.opts.out : ((SweepCommand) cmd).out;
            assertEquals(Path.of("tdisp-out", name), out.dir(), name);
        }
    }

    static String section(String txt, String title) {
        int at = txt.indexOf("== " + title + " ==");
        int end = txt.indexOf("\n== ", at + 4);
        return txt.substring(at, end < 0 ? txt.length() : end);
    }

    static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
