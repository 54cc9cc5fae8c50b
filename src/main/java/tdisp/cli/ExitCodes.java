package tdisp.cli;

/**
 * Exit codes shared by the commands, beyond picocli's 0/1/2. The full table (issue 13: 0
 * yes, 1 no, 2 bad input, 70 internal error) joins it.
 */
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
    /** A host facility the command needs is missing or refused (/dev/kvm): EX_UNAVAILABLE of sysexits.h. */
    public static final int UNAVAILABLE = 69;
}
