package tdisp.cli;

/** Exit statuses shared by the commands. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done, and nothing the command checks for was found wrong. */
    public static final int OK = 0;
    /** Done, and the command found what it reports as a failure (a violation, a missed bug). */
    public static final int FINDINGS = 1;
    /** Bad input: one stderr line names the argument or file, nothing written. */
    public static final int USAGE = 2;
    /** Stopped on a bound before the work was complete (time, memory, states, SIGINT); the report says how far it got. */
    public static final int INCOMPLETE = 3;
}
