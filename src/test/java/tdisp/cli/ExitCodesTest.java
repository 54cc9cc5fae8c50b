package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Issue 13, "a crash looks like a finding": one exit code per outcome, for every command.
 * The 69 and 70 paths are driven by commands added to the real command line, so the test
 * checks Main's handlers, not a copy of them.
 */
class ExitCodesTest {
    @TempDir Path tmp;

    @Command(name = "boom-arg")
    static final class ModelBugIae implements Callable<Integer> {
        @Override
        public Integer call() { throw new IllegalArgumentException("a world has 1..4 VMs, not 9"); }
    }

    @Command(name = "boom-state")
    static final class ModelBugIse implements Callable<Integer> {
        @Override
        public Integer call() { throw new IllegalStateException("slot 3 already bound"); }
    }

    @Command(name = "no-kvm")
    static final class NoKvm implements Callable<Integer> {
        @Override
        public Integer call() { throw new UnavailableException("/dev/kvm: no such device"); }
    }

    private static Cli.Result runWith(Object extra, String name) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
        cl.addSubcommand(extra);
        int code = cl.execute(name);
        return new Cli.Result(code, out.toString(), err.toString());
    }

    @Test
    void exit0WhenTheAnswerIsYes() {
        Cli.Result r = Cli.run("check", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", tmp.resolve("o").toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
    }

    @Test
    void exit1WhenAnInvariantIsViolated() {
        Cli.Result r = Cli.run("check", "--strategies", "iommufd-v5", "--scenarios", "close-vfio-bound", "--out", tmp.resolve("o").toString());
        assertEquals(ExitCodes.NO, r.code(), r.err());
    }

    @Test
    void exit2OnBadInput() throws Exception {
        Cli.Result r = Cli.run("check", "--strategies", "nope", "--out", tmp.resolve("o").toString());
        Cli.assertCleanFailure(r, tmp.resolve("o"), "unknown strategy 'nope'");
        assertEquals(ExitCodes.USAGE, r.code());
    }

    @Test
    void exit3WhenTheStateBoundStopsTheSearchBeforeItIsExhausted() throws Exception {
        Path out = tmp.resolve("o");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--max-states", "500",
                "--progress", "none", "--out", out.toString());
        assertEquals(ExitCodes.INCOMPLETE, r.code(), r.err());
        assertTrue(r.err().contains("INCOMPLETE"), r.err());
        assertTrue(Files.readString(out.resolve("explore.txt")).replaceAll("\\s+", " ").contains("(NOT exhausted"), "the partial result is written and marked");
    }

    @Test
    void exit69WhenTheMachineLacksWhatTheCommandNeeds() {
        Cli.Result r = runWith(new NoKvm(), "no-kvm");
        assertEquals(ExitCodes.UNAVAILABLE, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tdisp: unavailable: /dev/kvm"), r.err());
    }

    @Test
    void exit70ForAModelBugEvenWhenItIsAnIllegalArgumentException() throws Exception {
        for (Object[] c : new Object[][] {{new ModelBugIae(), "boom-arg"}, {new ModelBugIse(), "boom-state"}}) {
            Cli.Result r = runWith(c[0], (String) c[1]);
            assertEquals(ExitCodes.INTERNAL, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
            assertTrue(r.err().startsWith("tdisp: internal error: "), r.err());
            String where = r.err().substring(r.err().indexOf("stack trace in ") + "stack trace in ".length(), r.err().indexOf(" (please"));
            Path trace = Path.of(where);
            assertTrue(Files.readString(trace).contains("ExitCodesTest"), "the detail file holds the stack trace");
            Files.delete(trace);
        }
    }
}
