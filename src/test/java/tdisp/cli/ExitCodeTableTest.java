package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: one exit-code table (ExitCodes, the README), and every command run into every
 * ending it has: done, violation, bad input, interrupted (a real SIGTERM), bound hit, no
 * /dev/kvm, internal error. An ending a command does not have is listed with the reason, so
 * a new command or ending cannot slip past the table. bench and calibrate are "done" in
 * BenchCommandTest, CalibrateCommandTest and .ci/run (JMH forks are too slow for this table).
 */
class ExitCodeTableTest {
    enum Ending {
        DONE(ExitCodes.OK), VIOLATION(ExitCodes.NO), BAD_INPUT(ExitCodes.USAGE), INTERRUPTED(ExitCodes.INCOMPLETE),
        BOUND(ExitCodes.INCOMPLETE), NO_KVM(ExitCodes.UNAVAILABLE), INTERNAL(ExitCodes.INTERNAL);

        final int code;

        Ending(int code) { this.code = code; }
    }

    @TempDir static Path tmp;
    static Path replayI1, replayI2;

    @BeforeAll
    static void replays() throws IOException {
        Path x = tmp.resolve("seed");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--depth", "3", "--progress", "none", "--out", x.toString());
        assertEquals(ExitCodes.NO, r.code(), r.err());
        try (Stream<Path> s = Files.list(x.resolve("cex"))) {
            replayI1 = s.filter(p -> p.toString().endsWith("-I1-1.replay")).findFirst().orElseThrow();
        }
        replayI2 = Files.writeString(tmp.resolve("i2.replay"), Files.readString(replayI1).replace("\nexpect I1\n", "\nexpect I2\n"));
        tree = VocabCheckCommandTest.tinyTree(tmp.resolve("linux"));
        vocabFound = Files.writeString(tmp.resolve("found.csv"),
                "name,platform,kind,label,source,checked\npci_tsm_connect,all,function,mainline,drivers/pci/tsm.c,\n");
        vocabMissing = Files.writeString(tmp.resolve("missing.csv"),
                "name,platform,kind,label,source,checked\npci_tsm_bind,all,function,mainline,drivers/pci/tsm.c,\n");
    }

    static Path tree, vocabFound, vocabMissing;

    /** Arguments per command and ending; a String instead of a list says why the ending does not exist. */
    static Map<String, Map<Ending, Object>> table() {
        Map<String, Map<Ending, Object>> t = new LinkedHashMap<>();
        String small = "--scenarios=happy-bringup";
        Object noKvm = "needs nothing from the machine";
        Object noBound = "has no bound to hit";
        String kvm = tmp.resolve("no-such-kvm").toString();
        t.put("list", row(List.of(), "answers no question", List.of("--strategies-dir", "nope"), noBound, noKvm));
        t.put("compare", row(List.of("--strategies", "vfio-ioctl", small), "a report: exits 0 with violations (check is its exit-1 form)",
                List.of("--strategies", "nope"), noBound, noKvm));
        t.put("check", row(List.of("--strategies", "vfio-ioctl", small), List.of("--strategies", "iommufd-v5", "--scenarios", "close-vfio-bound"),
                List.of("--strategies", "nope"), noBound, noKvm));
        List<String> trace = List.of("--strategy", "iommufd-v5", "--platform", "tdx-connect", "--scenario", "close-vfio-bound");
        t.put("trace", row(trace, "prints a run; its violations are in the trace", List.of("--strategy", "nope", "--platform", "cca", "--scenario", "x"),
                noBound, noKvm));
        t.put("bench", row("JMH forks: BenchCommandTest and .ci/run", "measures; answers no question", List.of("--benchmarks", "NoSuchBench"),
                noBound, noKvm));
        t.put("sweep", row(List.of("--strategies", "kvm-direct", "--platforms", "cca", "--devices", "1", "--vms", "1", "--no-sensitivity"),
                "models time; answers no question", List.of("--devices", "0"), noBound, noKvm));
        List<String> explore = List.of("--strategy", "iommufd-v5", "--platform", "sev-tio", "--progress", "none");
        t.put("explore", row(cat(explore, "--depth", "2"), cat(explore, "--set", "vfio.last-close=close-device-first", "--depth", "3"),
                cat(explore, "--threads", "0"), cat(explore, "--max-states", "50"), noKvm));
        t.put("replay", row(List.of(replayI1.toString()), List.of(replayI2.toString()), List.of(tmp.resolve("none.replay").toString()),
                noBound, noKvm));
        t.put("rediscover", row(List.of("--depth", "5", "--progress", "none"), List.of("--depth", "1", "--progress", "none"),
                List.of("--depth", "0"), List.of("--max-states", "50", "--progress", "none"), noKvm));
        t.put("calibrate", row("JMH on /dev/kvm: CalibrateCommandTest and .ci/run", "measures; answers no question",
                List.of("--iteration-time", "soon"), noBound, List.of("--kvm-device", kvm, "--quick")));
        t.put("report", row(List.of("--from", "results", "--strategies", "vfio-ioctl", "--platforms", "cca", small, "--progress", "none"),
                "a report: its findings are in the text", List.of("--baseline", "nope"), noBound, noKvm));
        t.put("diff", row(List.of("--base", "iommufd-v5", "--set", "vfio.last-close=close-device-first", "--platforms", "cca", small),
                List.of("--base", "iommufd-v5", "--set", "vfio.last-close=unbind-first", "--platforms", "cca", "--scenarios", "close-iommufd-bound"),
                List.of("--base", "nope"), noBound, noKvm));
        List<String> fixture = List.of("--recordings", "src/test/resources/kernel-traces");
        t.put("referee", row(fixture, cat(fixture, "--set", "vfio.dma-buf-cleanup=after-disable"),
                List.of("--recordings", tmp.resolve("none").toString()), noBound, noKvm));
        t.put("vocab-check", row(List.of("--tree", tree.toString(), "--vocabulary", vocabFound.toString()),
                List.of("--tree", tree.toString(), "--vocabulary", vocabMissing.toString()),
                List.of("--tree", tmp.resolve("none").toString()), noBound, noKvm));
        return t;
    }

    private static Map<Ending, Object> row(Object done, Object violation, Object bad, Object bound, Object noKvm) {
        Map<Ending, Object> m = new EnumMap<>(Ending.class);
        m.put(Ending.DONE, done);
        m.put(Ending.VIOLATION, violation);
        m.put(Ending.BAD_INPUT, bad);
        m.put(Ending.BOUND, bound);
        m.put(Ending.NO_KVM, noKvm);
        return m;
    }

    private static List<String> cat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void theTableCoversEveryCommand() {
        List<String> commands = new ArrayList<>(Main.commandNames());
        commands.remove("help");
        assertEquals(commands, new ArrayList<>(table().keySet()));
    }

    @TestFactory
    Stream<DynamicTest> everyCommandEndsWithTheCodeOfEachEndingItHas() {
        List<DynamicTest> tests = new ArrayList<>();
        table().forEach((cmd, endings) -> endings.forEach((ending, spec) -> {
            if (!(spec instanceof List<?> args)) return;
            tests.add(DynamicTest.dynamicTest(cmd + ": " + ending, () -> {
                Path out = tmp.resolve(cmd + "-" + ending);
                List<String> a = new ArrayList<>(List.of(cmd));
                for (Object o : args) a.add((String) o);
                if (writes(cmd)) a.addAll(List.of("--out", out.toString()));
                Cli.Result r = Cli.run(a.toArray(String[]::new));
                assertEquals(ending.code, r.code(), () -> a + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
                if (ending == Ending.BAD_INPUT || ending == Ending.NO_KVM) {
                    assertEquals(1, r.err().lines().count(), r.err());
                    assertFalse(Files.exists(out), "nothing written");
                }
            }));
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anInternalErrorInEveryCommandIsOneLineAnd70() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String cmd : table().keySet()) {
            tests.add(DynamicTest.dynamicTest(cmd, () -> {
                System.setProperty(Main.INTERNAL_ERROR, cmd);
                try {
                    List<String> a = new ArrayList<>(List.of(cmd));
                    a.addAll(minimal(cmd));
                    Cli.Result r = Cli.run(a.toArray(String[]::new));
                    assertEquals(ExitCodes.INTERNAL, r.code(), r::err);
                    assertEquals(1, r.err().lines().count(), r.err());
                    assertTrue(r.err().startsWith("tdisp: internal error: IllegalStateException: injected"), r.err());
                    Files.deleteIfExists(Path.of(r.err().substring(r.err().indexOf("stack trace in ") + 15, r.err().indexOf(" (please"))));
                } finally {
                    System.clearProperty(Main.INTERNAL_ERROR);
                }
            }));
        }
        return tests.stream();
    }

    /** A real SIGTERM to a tdisp process of each command: 3 (the JVM's own would be 143 or 130), nothing written. */
    @TestFactory
    Stream<DynamicTest> aSignalEndsEveryCommandWith3AndNothingHalfWritten() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String cmd : table().keySet()) {
            tests.add(DynamicTest.dynamicTest(cmd, () -> {
                Path dir = Files.createDirectories(tmp.resolve("sig-" + cmd));
                Path ready = dir.resolve("ready"), out = dir.resolve("out");
                List<String> a = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-D" + Main.SIGNAL_READY + "=" + ready, "-cp", System.getProperty("java.class.path"), "tdisp.cli.Main", cmd));
                a.addAll(minimal(cmd));
                if (writes(cmd)) a.addAll(List.of("--out", out.toString()));
                Process p = new ProcessBuilder(a).redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile()).start();
                try {
                    for (int i = 0; i < 3000 && !Files.exists(ready) && p.isAlive(); i++) Thread.sleep(10);
                    assertTrue(Files.exists(ready), "the hook was installed");
                    new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended after the signal");
                    assertEquals(ExitCodes.INCOMPLETE, p.exitValue(), () -> read(dir.resolve("stderr")));
                    assertEquals("tdisp: interrupted; nothing written\n", read(dir.resolve("stderr")));
                    assertFalse(Files.exists(out), "nothing written");
                } finally {
                    p.destroyForcibly();
                }
            }));
        }
        return tests.stream();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Arguments that pass validation for each command. */
    private static List<String> minimal(String cmd) {
        Object done = table().get(cmd).get(Ending.DONE);
        if (done instanceof List<?> l) return l.stream().map(String.class::cast).toList();
        return cmd.equals("bench") ? List.of("--benchmarks", "GuestRequestBench") : List.of("--kvm-device", tmp.resolve("no-such-kvm").toString());
    }

    private static boolean writes(String cmd) { return !List.of("list", "trace", "replay").contains(cmd); }
}
