package tdisp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

import tdisp.cost.CostException;
import tdisp.explore.ReplayFile;
import tdisp.report.AtomicFiles;
import tdisp.strategy.StrategyException;

/**
 * The tdisp command line: wires streams, converters, exit codes and error handlers; each
 * command is its own XxxCommand class. Input errors (picocli's ParameterException, our
 * UsageException, and the parsers' StrategyException and CostException) print one line
 * and exit 2; anything else is a harness bug: one line, the stack trace in a file, exit 70.
 */
@Command(name = "tdisp", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        showDefaultValues = true, synopsisSubcommandLabel = "COMMAND", usageHelpAutoWidth = false, usageHelpWidth = 72,
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_NO, ExitCodes.HELP_USAGE,
            ExitCodes.HELP_INCOMPLETE, ExitCodes.HELP_UNAVAILABLE, ExitCodes.HELP_INTERNAL},
        description = "Runs each upstream TDISP routing design against one executable model of the host stack.",
        subcommands = {CommandLine.HelpCommand.class, ListCommand.class, CompareCommand.class, CheckCommand.class,
                TraceCommand.class, BenchCommand.class, SweepCommand.class, ExploreCommand.class, ReplayCommand.class,
                RediscoverCommand.class, CalibrateCommand.class, ReportCommand.class, DiffCommand.class,
                RefereeCommand.class, VocabCheckCommand.class})
public final class Main {
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Interrupt.installHook(out, err);
        signalReadyForTests();
        int rc;
        try {
            rc = execute(args, out, err);
        } catch (Throwable t) {
            // An Error picocli's handlers do not take (NoClassDefFoundError from a jar
            // rewritten under the JVM, say): still one line and 70, never a bare stack trace.
            err.println("tdisp: internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": "
                    + oneLine(t.getMessage())) + "; " + detail(t));
            err.flush();
            rc = ExitCodes.INTERNAL;
        }
        Interrupt.exit(rc);
    }

    /** Test hooks (ExitCodeTableTest), never set by the launcher: see {@link #signalReadyForTests}. */
    static final String SIGNAL_READY = "tdisp.test.signal-ready", INTERNAL_ERROR = "tdisp.test.internal-error";

    /**
     * With -Dtdisp.test.signal-ready=FILE: writes FILE once the signal hook is in place and
     * waits for the test's signal (at most a minute), so every command's signal ending is
     * checked without racing the JVM's start.
     */
    private static void signalReadyForTests() {
        String ready = System.getProperty(SIGNAL_READY);
        if (ready == null) return;
        try {
            Files.writeString(Path.of(ready), "");
            Thread.sleep(60_000);
        } catch (IOException | InterruptedException e) {
            // the test sees no file or no ending and fails on its own
        }
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        int rc = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /** The configured command line (tests add commands to it to check the error paths). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        Converters.register(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tdisp: " + oneLine(ex.getMessage()));
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionStrategy(parsed -> {
            List<CommandLine> chain = parsed.asCommandLineList();
            // Help and version skip every check: `tdisp explore --help` needs no --strategy.
            boolean help = chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
            if (!help) validate(chain.get(chain.size() - 1).getCommandSpec());
            // -Dtdisp.test.internal-error=COMMAND: a harness bug in that command, for the exit-code table's test
            if (!help && chain.get(chain.size() - 1).getCommandName().equals(System.getProperty(INTERNAL_ERROR))) {
                throw new CommandLine.ExecutionException(chain.get(chain.size() - 1), "injected",
                        new IllegalStateException("injected by -D" + INTERNAL_ERROR));
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (isInputError(ex)) {
                err.println("tdisp: " + oneLine(ex.getMessage()));
                err.flush();
                return ExitCodes.USAGE;
            }
            if (ExploreCommand.Bounds.diskFull(ex)) {
                // the machine ran out of room mid-run: incomplete (3), not a harness bug; the
                // staging directory is removed, so nothing is half-written
                err.println("tdisp: stopped: no space left on device; nothing written");
                err.flush();
                return ExitCodes.INCOMPLETE;
            }
            if (ex instanceof UnavailableException) {
                err.println("tdisp: unavailable: " + oneLine(ex.getMessage()));
                err.flush();
                return ExitCodes.UNAVAILABLE;
            }
            err.println("tdisp: internal error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": "
                    + oneLine(ex.getMessage())) + "; " + detail(ex));
            err.flush();
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    /** Runs every Validated part of the command (mixins first) before it executes. */
    private static void validate(CommandSpec spec) {
        for (CommandSpec m : spec.mixins().values()) validate(m);
        if (spec.userObject() instanceof Validated v) {
            try {
                v.validate();
            } catch (RuntimeException e) {
                if (!isInputError(e)) throw e;
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
    }

    /** Bad input, as opposed to a harness bug: the exceptions the parsers and checks throw on purpose. */
    static boolean isInputError(Exception ex) {
        return ex instanceof ParameterException || ex instanceof UsageException || ex instanceof StrategyException
                || ex instanceof CostException || ex instanceof AtomicFiles.OutputDirException
                || ex instanceof ReplayFile.MalformedException || ex instanceof tdisp.referee.TraceFormatException;
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** Writes the stack trace to a file in the temp directory and says where. */
    private static String detail(Throwable ex) {
        try {
            Path f = Files.createTempFile("tdisp-internal-error-", ".txt");
            java.io.StringWriter sw = new java.io.StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            Files.writeString(f, sw.toString());
            return "stack trace in " + f + " (please report it)";
        } catch (IOException | RuntimeException e) {
            return "stack trace could not be saved (" + e.getClass().getSimpleName() + ")";
        }
    }

    static List<String> commandNames() {
        return List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
    }
}
