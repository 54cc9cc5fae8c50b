package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.output.Columns;
import tdisp.output.HarnessVersion;

/**
 * Issue 12, part 3: every file every command writes, and every command's stdout report, opens
 * with how it was made; a run with an injected fault says so in each; and the reproduce line
 * an output carries makes the same bytes again.
 */
class ProvenanceOnEveryOutputTest {
    private static final String S = Cli.STRATEGIES;

    /** bench and calibrate need the jar's JMH benchmark list and /dev/kvm: .ci/run checks their files. */
    private static final Set<String> CHECKED_IN_CI = Set.of("bench", "calibrate");

    /** Commands that write nothing but a listing or help. */
    private static final Set<String> NO_OUTPUT = Set.of("help", "list");

    @TempDir Path tmp;

    /** One small run per command: name -> the arguments (without --out, added for those that write). */
    private static Map<String, List<String>> runs() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("compare", List.of("--strategies-dir", S, "--strategies", "vfio-ioctl", "--platforms", "sev-tio", "--scenarios", "happy-bringup,replay-guest-request"));
        m.put("check", List.of("--strategies-dir", S, "--strategies", "kvm-direct", "--platforms", "tdx-connect", "--scenarios", "happy-bringup"));
        m.put("sweep", List.of("--strategies-dir", S, "--strategies", "kvm-direct,iommufd-v5", "--platforms", "sev-tio", "--devices", "1,8", "--vms", "1",
                "--no-sensitivity", "--progress", "none"));
        m.put("explore", List.of("--strategies-dir", S, "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--depth", "5", "--progress", "none"));
        m.put("rediscover", List.of("--strategies-dir", S, "--depth", "4", "--progress", "none"));
        m.put("report", List.of("--strategies-dir", S, "--strategies", "kvm-direct", "--platforms", "sev-tio", "--scenarios", "happy-bringup",
                "--explore-depth", "2", "--trace", "kvm-direct:sev-tio:happy-bringup", "--bench-csv", "results/bench/bench.csv", "--progress", "none"));
        m.put("diff", List.of("--strategies-dir", S, "--base", "iommufd-v5", "--set", "vfio.last-close=unbind-first", "--platforms", "cca",
                "--scenarios", "close-iommufd-bound", "--fault", "FW_ACCEPTS_REPLAY"));
        m.put("referee", List.of("--strategies-dir", S, "--recordings", "src/test/resources/kernel-traces"));
        return m;
    }

    @Test
    void everyFileOfEveryCommandOpensWithItsProvenanceAndItsReproduceLine() throws IOException {
        Set<String> covered = new TreeSet<>(CHECKED_IN_CI);
        covered.addAll(NO_OUTPUT);
        for (var e : runs().entrySet()) {
            Path out = tmp.resolve(e.getKey());
            List<String> args = new ArrayList<>(List.of(e.getKey()));
            args.addAll(e.getValue());
            args.addAll(List.of("--out", out.toString()));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertTrue(r.code() == 0 || r.code() == ExitCodes.NO, e.getKey() + ": " + r.err());
            List<Path> files = files(out);
            assertFalse(files.isEmpty(), e.getKey());
            for (Path f : files) {
                String name = f.getFileName().toString();
                // a page or a chart cannot open with comment lines: it carries the setup block in its body
                if (name.endsWith(".md") || name.endsWith(".html") || name.endsWith(".svg")) assertCarriesSetup(e.getKey() + ": " + out.relativize(f), Cli.read(f));
                else assertStamped(e.getKey() + ": " + out.relativize(f), Cli.read(f));
            }
            assertStamped(e.getKey() + " stdout", r.out());
            covered.add(e.getKey());
        }
        Path replay = files(tmp.resolve("explore")).stream().filter(p -> p.toString().endsWith(".replay")).findFirst().orElseThrow();
        Cli.Result rp = Cli.run("replay", replay.toString());
        assertStamped("replay stdout", rp.out());
        assertTrue(rp.out().contains("setup: reproduce ./tdisp replay " + replay.getFileName()), rp.out());
        covered.add("replay");
        Cli.Result tr = Cli.run("trace", "--strategies-dir", S, "--strategy", "vfio-ioctl", "--platform", "cca", "--scenario", "happy-bringup");
        assertStamped("trace stdout", tr.out());
        assertTrue(tr.out().contains("setup: reproduce ./tdisp trace "), tr.out());
        covered.add("trace");
        Path tree = VocabCheckCommandTest.tinyTree(tmp.resolve("linux"));
        Path vout = tmp.resolve("vocab-check");
        Cli.Result vc = Cli.run("vocab-check", "--tree", tree.toString(), "--package-version", "7.2.13-1", "--out", vout.toString());
        assertEquals(ExitCodes.NO, vc.code(), vc.err());
        for (Path f : files(vout)) assertStamped("vocab-check: " + vout.relativize(f), Cli.read(f));
        assertStamped("vocab-check stdout", vc.out());
        covered.add("vocab-check");
        assertEquals(new TreeSet<>(Main.commandNames()), covered, "a command whose outputs no test checks for provenance");
    }

    @Test
    void aCompareWithAnInjectedFaultSaysSoInEveryFileAndMarksTheMatrix() throws IOException {
        Path out = tmp.resolve("fault");
        Cli.Result r = Cli.run("compare", "--strategies-dir", S, "--strategies", "vfio-ioctl", "--fault", "FW_ACCEPTS_REPLAY",
                "--platforms", "sev-tio", "--scenarios", "replay-guest-request", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (Path f : files(out)) assertTrue(Cli.read(f).contains("FW_ACCEPTS_REPLAY"), f.toString());
        String csv = Cli.read(out.resolve("correctness.csv"));
        assertTrue(csv.contains("\n# fault: FW_ACCEPTS_REPLAY\n"), csv);
        assertTrue(csv.contains("--fault FW_ACCEPTS_REPLAY"), "the reproduce line names the fault");
        String txt = Cli.body(Cli.read(out.resolve("correctness.txt")));
        assertTrue(txt.startsWith("FAULT INJECTED: FW_ACCEPTS_REPLAY (--fault)"), txt);
        String block = txt.substring(txt.indexOf("platform sev-tio"));
        assertTrue(block.matches("(?s).*replay-guest-request +4\nscenarios violated +1/1\n  a rule \\(spec, fw, kernel\\) +1/1\n"
                + "  a policy only +0/1\nnot reached +0/1\nFAULT INJECTED: FW_ACCEPTS_REPLAY\n.*"), block);
        assertFalse(Cli.read(out.resolve("correctness.txt")).contains("setup: fault     none"));
    }

    @Test
    void aRunWithoutAFaultSaysNoneAndCarriesNoFaultBanner() throws IOException {
        Path out = tmp.resolve("clean");
        Cli.run("compare", "--strategies-dir", S, "--strategies", "vfio-ioctl", "--platforms", "sev-tio", "--scenarios", "happy-bringup", "--out", out.toString());
        String txt = Cli.read(out.resolve("correctness.txt"));
        assertTrue(txt.contains("\nsetup: fault     none\n"), txt);
        assertFalse(txt.contains("FAULT INJECTED"), txt);
    }

    @Test
    void compareRerunFromItsOwnReproduceLineGivesByteIdenticalFiles() throws IOException {
        Path first = tmp.resolve("first");
        // Options in an odd order, a --set, a seed other than the default, a cost flag: all must survive.
        Cli.Result r = Cli.run("compare", "--seed", "7", "--scenarios", "happy-bringup,teardown/*", "--out", first.toString(), "--nested",
                "--set", "vfio.last-close=close-device-first", "--strategies-dir", S, "--platforms", "tdx-connect,sev-tio",
                "--fault", "PCI_TSM_NO_BUSY_CHECK", "--strategy", "iommufd-v5,kvm-direct");
        assertEquals(0, r.code(), r.err());
        String line = reproduce(Cli.read(first.resolve("correctness.csv")));
        assertTrue(line.startsWith("./tdisp compare --strategies-dir strategies --set vfio.last-close=close-device-first "
                + "--strategies iommufd-v5,kvm-direct --platforms tdx-connect,sev-tio --seed 7 --nested "), line);
        assertTrue(line.contains(" --fault PCI_TSM_NO_BUSY_CHECK") && line.contains(" --scenarios 'happy-bringup,teardown/*'"), line);
        Path second = tmp.resolve("second");
        List<String> args = new ArrayList<>(words(line).subList(1, words(line).size()));
        args.addAll(List.of("--out", second.toString()));
        Cli.Result again = Cli.run(args.toArray(String[]::new));
        assertEquals(0, again.code(), again.err());
        for (String f : List.of("correctness.csv", "correctness.txt")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)), f);
        }
        assertEquals(r.out(), again.out());
    }

    @Test
    void sweepRerunFromItsOwnReproduceLineGivesByteIdenticalFiles() throws IOException {
        Path first = tmp.resolve("s1");
        Cli.Result r = Cli.run("sweep", "--strategies-dir", S, "--strategies", "kvm-direct", "--platforms", "cca", "--devices", "8,1",
                "--vms", "2", "--seed", "3", "--start-jitter", "500", "--sensitivity-devices", "8", "--sensitivity-vms", "2", "--progress", "none",
                "--out", first.toString());
        assertEquals(0, r.code(), r.err());
        String line = reproduce(Cli.read(first.resolve("sweep.csv")));
        assertFalse(line.contains("--progress"), "how a run reports progress is not an input: " + line);
        Path second = tmp.resolve("s2");
        List<String> args = new ArrayList<>(words(line).subList(1, words(line).size()));
        args.addAll(List.of("--out", second.toString()));
        assertEquals(0, Cli.run(args.toArray(String[]::new)).code());
        for (String f : List.of("sweep.csv", "sweep.txt")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)), f);
        }
    }

    @Test
    void theTextReproduceLineWrapsAsAShellContinuationThatFitsSeventyTwoColumns() throws IOException {
        Path out = tmp.resolve("wide");
        Cli.run("compare", "--strategies-dir", S, "--platforms", "sev-tio", "--scenarios", "happy-bringup", "--out", out.toString());
        String txt = Cli.read(out.resolve("correctness.txt"));
        assertTrue(Columns.widest(txt) <= Columns.WIDTH, txt);
        String setup = txt.substring(0, txt.indexOf("\n\n"));
        StringBuilder joined = new StringBuilder();
        boolean in = false;
        for (String l : setup.lines().toList()) {
            if (l.startsWith("setup: reproduce ")) {
                in = true;
                l = l.substring("setup: reproduce ".length());
            } else if (in && !l.startsWith("       ")) {
                break;
            }
            if (!in) continue;
            boolean more = l.endsWith(" \\");
            joined.append(l.strip().replaceAll(" \\\\$", "")).append(' ');
            if (!more) break;
        }
        List<String> fromText = words(joined.toString().strip());
        List<String> fromCsv = words(reproduce(Cli.read(out.resolve("correctness.csv"))));
        assertEquals(Cli.csvRecords(out.resolve("correctness.csv")).stream().map(x -> x.get("strategy")).distinct().toList(),
                values(fromText, "--strategies"), "the text line lists the same strategies, perhaps as repeated options");
        assertEquals(values(fromCsv, "--strategies"), values(fromText, "--strategies"));
    }

    @Test
    void theCommitIsNamedInACheckoutAndUnknownInATreeWithoutGit() {
        // A linked worktree has a .git file, a clone a .git directory; a source archive neither.
        if (Files.exists(Path.of(".git"))) {
            assertTrue(HarnessVersion.commit().matches("[0-9a-f]{12}(\\+dirty)?"), HarnessVersion.commit());
        } else {
            assertEquals("unknown", HarnessVersion.commit());
        }
    }

    /** Every value given to {@code opt}, comma lists and repeats added up. */
    private static List<String> values(List<String> words, String opt) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i + 1 < words.size(); i++) if (words.get(i).equals(opt)) v.addAll(List.of(words.get(i + 1).split(",")));
        return v;
    }

    private static String reproduce(String csv) {
        return csv.lines().filter(l -> l.startsWith("# reproduce: ")).findFirst().orElseThrow().substring("# reproduce: ".length());
    }

    /** The shell's split of a line with '...' quoting (what Setup.quote writes). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }

    private static void assertStamped(String what, String text) {
        assertTrue(text.startsWith("# harness: " + HarnessVersion.banner() + "\n# commit: ")
                || text.startsWith("setup: harness   " + HarnessVersion.banner() + "\nsetup: commit "), what + ":\n" + text);
        assertTrue(text.contains("# reproduce: ./tdisp ") || text.contains("setup: reproduce ./tdisp "), what + ": no reproduce line");
    }

    private static void assertCarriesSetup(String what, String text) {
        assertTrue(text.contains("setup: harness   " + HarnessVersion.banner() + "\nsetup: commit "), what + ":\n" + text);
        assertTrue(text.contains("setup: reproduce ./tdisp "), what + ": no reproduce line");
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(tdisp.report.AtomicFiles.MARKER)).sorted().toList();
        }
    }
}
