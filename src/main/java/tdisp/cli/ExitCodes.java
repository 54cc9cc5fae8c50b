package tdisp.cli;

/**
 * Exit codes beyond picocli's 0/1/2. Only the one calibration needs lives here so far; the
 * full table (issue 13: 0 yes, 1 no, 2 bad input, 70 internal error) joins it.
 */
public final class ExitCodes {
    /** A host facility the command needs is missing or refused (/dev/kvm): EX_UNAVAILABLE of sysexits.h. */
    public static final int UNAVAILABLE = 69;

    private ExitCodes() {}
}
