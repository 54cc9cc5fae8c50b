package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tdisp.output.Columns;

/** Issue 15: help on every subcommand, however it is asked for, without any required option. */
class HelpTest {
    static Stream<String> commands() { return Main.commandNames().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandPrintsItsUsageOnStdoutForDashDashHelpDashHAndHelpCommand(String cmd) {
        for (List<String> args : List.of(List.of(cmd, "--help"), List.of(cmd, "-h"), List.of("help", cmd))) {
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), () -> args + ": " + r.err());
            assertEquals("", r.err(), () -> args + ": nothing on stderr");
            assertTrue(r.out().startsWith("Usage: tdisp " + cmd) || cmd.equals("help") && r.out().contains("\nUsage: tdisp help"),
                    () -> args + ":\n" + r.out());
            assertTrue(r.out().contains("Exit codes:"), () -> args + ": the exit-code table");
            assertTrue(Columns.widest(r.out()) <= Columns.WIDTH, () -> args + ": wider than 72 columns:\n" + r.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyOptionOfEveryCommandHasADescription(String cmd) {
        var spec = Main.commandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()))
                .getSubcommands().get(cmd).getCommandSpec();
        for (var o : spec.options()) {
            assertTrue(o.description().length > 0 && !String.join("", o.description()).isBlank(), () -> cmd + " " + o.longestName() + ": no description");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandPrintsTheVersionOfThePom(String cmd) {
        if (cmd.equals("help")) return; // picocli's help command takes only COMMAND and -h
        Cli.Result r = Cli.run(cmd, "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("tdisp-harness 0.1.0"), r.out());
    }

    /**
     * Picocli formats option descriptions with String.format and warns on System.err itself
     * (not on the command's err writer) when one has a bare '%': explore's --max-memory
     * says "70%% of the heap".
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"explore", "rediscover"})
    void renderingTheHelpWritesNoPicocliWarningToStderr(String cmd) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        Cli.Result r;
        try {
            r = Cli.run(cmd, "--help");
        } finally {
            System.setErr(old);
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("70% of the heap"), r.out());
        assertEquals("", buf.toString(java.nio.charset.StandardCharsets.UTF_8), "picocli wrote to stderr");
    }

    @org.junit.jupiter.api.Test
    void noCommandIsAUsageErrorNamingTheMissingCommand() throws Exception {
        Cli.Result r = Cli.run();
        Cli.assertCleanFailure(r, null, "Missing required subcommand");
        assertEquals(ExitCodes.USAGE, r.code());
    }
}
