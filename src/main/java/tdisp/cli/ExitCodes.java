package tdisp.cli;

/**
 * The exit codes of every tdisp command, one table printed at the end of each command's
 * --help. 69 and 70 are sysexits.h's EX_UNAVAILABLE and EX_SOFTWARE, so a CI job can tell
 * "the design is broken" (1) from "the harness is broken" (70) and "this machine cannot
 * run it" (69).
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done; the answer is yes (no invariant violated, every bug found, the replay reproduces). */
    public static final int OK = 0;
    /** Done; the answer is no: an invariant violated, a known bug missed, a replay that does not reproduce. */
    public static final int NO = 1;
    /** Bad input: arguments, descriptors, cost tables, replay files. Nothing was written. */
    public static final int USAGE = 2;
    /**
     * Stopped early (a signal, --time, --max-states or the memory budget before the search
     * was exhausted): partial result written and marked.
     */
    public static final int INCOMPLETE = 3;
    /** The machine lacks what the command needs (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** Internal error, a harness bug (EX_SOFTWARE): one stderr line says where the detail is. */
    public static final int INTERNAL = 70;
}
