package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 25: the inputs Issue13FuzzTest does not reach. Special files (a character device
 * such as /dev/zero, which ran the parsers out of heap; a FIFO, which hung the open; a
 * directory; a dangling link) in every slot a command reads a file from; replay files whose
 * strategy or expect line was edited; and options out of bounds. Each case: exit 2, one
 * stderr line naming the input, nothing on stdout, nothing written. Generated from a fixed
 * seed so a failure reproduces.
 */
class Issue25FuzzTest {
    static final long SEED = 25;

    @TempDir static Path tmp;
    static String replay;
    static Path fifo;

    @BeforeAll
    static void inputs() throws Exception {
        Path x = tmp.resolve("seed-explore");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--depth", "3", "--progress", "none", "--out", x.toString());
        assertEquals(1, r.code(), r.err());
        try (Stream<Path> s = Files.list(x.resolve("cex"))) {
            replay = Files.readString(s.filter(p -> p.toString().endsWith("-I1-1.replay")).findFirst().orElseThrow());
        }
        fifo = tmp.resolve("a.fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        p.waitFor();
    }

    /** The special files, by what they are. */
    static List<Path> specials() throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.exists(Path.of("/dev/zero"))) out.add(Path.of("/dev/zero"));
        if (Files.exists(Path.of("/dev/null"))) out.add(Path.of("/dev/null"));
        if (Files.exists(fifo)) out.add(fifo);
        out.add(Files.createDirectories(tmp.resolve("a-directory.csv")));
        Path dangling = tmp.resolve("dangling.csv");
        if (!Files.exists(dangling, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(dangling, tmp.resolve("nowhere"));
        out.add(dangling);
        return out;
    }

    private static void refused(List<String> args, Path out, String... needles) throws Exception {
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run(args.toArray(String[]::new)),
                "a special file hangs the command");
        Cli.assertCleanFailure(r, out, needles);
        assertEquals(2, r.code(), r.err());
        if (out != null) assertFalse(Files.exists(out), "nothing written");
    }

    @TestFactory
    Stream<DynamicTest> aSpecialFileInEverySlotIsRefusedInOneLine() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (Path special : specials()) {
            String name = special.getFileName().toString();
            Path out = tmp.resolve("out-" + n++);
            tests.add(DynamicTest.dynamicTest("--costs " + name, () -> refused(List.of("compare", "--strategies", "vfio-ioctl",
                    "--scenarios", "happy-bringup", "--costs", special.toString(), "--out", out.toString()), out, special.toString())));
            tests.add(DynamicTest.dynamicTest("replay " + name, () -> refused(List.of("replay", special.toString()), null, special.toString())));
            tests.add(DynamicTest.dynamicTest("--bench-csv " + name, () -> refused(List.of("report", "--bench-csv", special.toString(),
                    "--out", out.toString()), out, special.toString())));
            // a descriptor: a *.desc entry of an --add-strategies directory that is the special file
            tests.add(DynamicTest.dynamicTest("descriptor " + name, () -> {
                Path d = Files.createDirectories(tmp.resolve("descs-" + name));
                Path desc = d.resolve("x.desc");
                if (!Files.exists(desc, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(desc, special);
                refused(List.of("list", "--add-strategies", d.toString()), null, desc.toString());
            }));
            // report --from: the compare result it reads
            tests.add(DynamicTest.dynamicTest("--from with compare/correctness.csv " + name, () -> {
                Path from = Files.createDirectories(tmp.resolve("from-" + name).resolve("compare"));
                Path csv = from.resolve("correctness.csv");
                if (!Files.exists(csv, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(csv, special);
                refused(List.of("report", "--from", from.getParent().toString(), "--out", out.toString()), out, from.getParent().toString());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aReplayFileWithAnEditedStrategyOrExpectLineIsRefused() throws IOException {
        Assumptions.assumeTrue(replay.contains("\nstrategy iommufd-v5\n") && replay.contains("\nexpect I1\n"));
        SplittableRandom r = new SplittableRandom(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (String other : List.of("vfio-ioctl", "kvm-direct", "iommufd-typed-op", "split-sdte-mmio", "no-such-design", "IOMMUFD-V5")) {
            tests.add(DynamicTest.dynamicTest("strategy " + other, () -> {
                Path f = Files.writeString(tmp.resolve("s-" + other + ".replay"), replay.replace("\nstrategy iommufd-v5\n", "\nstrategy " + other + "\n"));
                refused(List.of("replay", f.toString()), null, f.toString(), "cannot be confirmed");
            }));
        }
        List<String> expects = new ArrayList<>(List.of("I0", "I12", "I99", "i1", "Goal", "I1,I2", "none"));
        for (int i = 0; i < 8; i++) expects.add("I" + r.nextInt(12, 1000));
        for (String e : expects) {
            tests.add(DynamicTest.dynamicTest("expect " + e, () -> {
                Path f = Files.writeString(tmp.resolve("e-" + e.replace(',', '_') + ".replay"), replay.replace("\nexpect I1\n", "\nexpect " + e + "\n"));
                refused(List.of("replay", f.toString()), null, f.toString(), "expect '" + e + "'");
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> optionsOutOfBoundsAreRefusedBeforeAnyWork() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED);
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        List<List<String>> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) cases.add(List.of("--threads", String.valueOf(r.nextInt(257, 1_000_000))));
        cases.add(List.of("--threads", "0"));
        cases.add(List.of("--work-dir", file.toString()));
        cases.add(List.of("--work-dir", tmp.resolve("missing-" + r.nextInt(1000)).toString()));
        cases.add(List.of("--work-dir", "/dev/null"));
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (List<String> c : cases) {
            Path out = tmp.resolve("opt-" + n++);
            List<String> a = new ArrayList<>(List.of("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio"));
            a.addAll(c);
            a.addAll(List.of("--out", out.toString()));
            tests.add(DynamicTest.dynamicTest(String.join(" ", c), () -> refused(a, out, c.get(0))));
        }
        for (String b : List.of("nope", "kvm_direct", "KVM-DIRECT", "")) {
            Path out = tmp.resolve("opt-" + n++);
            tests.add(DynamicTest.dynamicTest("report --baseline '" + b + "'",
                    () -> refused(List.of("report", "--baseline", b, "--out", out.toString()), out, "--baseline")));
        }
        return tests.stream();
    }
}
