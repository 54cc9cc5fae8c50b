package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: "Ctrl-C loses everything: compare, explore and rediscover exit 130 with no
 * partial result and no summary." Two tests send a real SIGINT or SIGTERM to a tdisp process;
 * the others ask the run to stop in-process, as the signal hook does.
 */
class InterruptTest {
    @TempDir Path tmp;

    @Test
    void sigintEndsAnExploreWithItsPartialResultMarkedAndExit3() throws Exception {
        // A job started with & by a non-interactive shell inherits SIGINT ignored, and the JVM
        // then leaves it ignored: no hook can run, which is the environment, not tdisp.
        Assumptions.assumeFalse(sigintIgnoredHere(), "SIGINT is ignored in this process tree (a background job)");
        signalEndsAnExplore("INT", tmp.resolve("int"));
    }

    @Test
    void sigtermEndsAnExploreWithItsPartialResultMarkedAndExit3() throws Exception {
        signalEndsAnExplore("TERM", tmp.resolve("term"));
    }

    /** True when this JVM's SIGINT disposition is SIG_IGN (bit 1 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnoredHere() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return false;
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("SigIgn:")) return (Long.parseUnsignedLong(l.substring(7).trim(), 16) & 0x2) != 0;
        }
        return false;
    }

    private void signalEndsAnExplore(String signal, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path out = dir.resolve("x");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "tdisp.cli.Main", "explore", "--strategy", "iommufd-v5",
                "--platform", "sev-tio", "--depth", "40", "--time", "0", "--progress", "lines", "--progress-interval", "100ms",
                "--out", out.toString()).redirectOutput(dir.resolve("stdout").toFile()).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = err.readLine();
            } while (line != null && !line.startsWith("explore: "));
            assertTrue(line != null, "the search started");
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
            // Keep draining stderr while waiting: progress lines go on until the search stops,
            // and a child blocked on a full pipe would look like one that ignored the signal.
            StringBuilder rest = new StringBuilder();
            Thread drain = new Thread(() -> {
                try {
                    String l;
                    while ((l = err.readLine()) != null) synchronized (rest) { rest.append(l).append('\n'); }
                } catch (java.io.IOException e) {
                    // the stream closes when the process ends
                }
            });
            drain.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "ended after the signal; stderr so far:\n" + rest);
            drain.join(10_000);
            assertEquals(ExitCodes.INCOMPLETE, p.exitValue(), rest.toString());
            assertTrue(rest.toString().contains("INCOMPLETE"), rest.toString());
        } finally {
            p.destroyForcibly();
        }
        List<org.apache.commons.csv.CSVRecord> rows = Cli.csvRecords(out.resolve("explore.csv"));
        assertEquals("interrupted", rows.get(0).get("stop"));
        String txt = Files.readString(out.resolve("explore.txt"));
        assertTrue(txt.contains("INTERRUPTED"), txt);
        assertEquals(txt, Files.readString(dir.resolve("stdout")), "the summary is printed too");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(".tdisp-")), "no staging directory survives");
        }
    }

    @Test
    void anInterruptedCompareWritesTheRunsItFinishedMarkedInterrupted() throws Exception {
        Path out = tmp.resolve("c");
        Interrupt.request();
        try {
            Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", out.toString());
            assertEquals(ExitCodes.INCOMPLETE, r.code(), r.err());
            assertTrue(Cli.body(r.out()).matches("(?s)INTERRUPTED: 0 of \\d+ runs finished.*"), r.out());
            assertTrue(Cli.body(Files.readString(out.resolve("correctness.txt"))).startsWith("INTERRUPTED"));
            assertTrue(r.err().contains("INTERRUPTED"), r.err());
        } finally {
            Interrupt.reset();
        }
    }

    @Test
    void anInterruptedRediscoverReportsTheRunsItMadeAndExit3() throws Exception {
        Path out = tmp.resolve("r");
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            Interrupt.request();
        });
        stopper.start();
        try {
            Cli.Result r = Cli.run("rediscover", "--progress", "none", "--out", out.toString());
            assertEquals(ExitCodes.INCOMPLETE, r.code(), r.err());
            assertTrue(r.out().contains("rediscover: INTERRUPTED after "), r.out());
            assertTrue(Files.readString(out.resolve("rediscovery.csv")).contains(",interrupted,"));
        } finally {
            stopper.join();
            Interrupt.reset();
        }
    }
}
