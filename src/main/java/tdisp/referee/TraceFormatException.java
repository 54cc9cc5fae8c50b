package tdisp.referee;

/** A recording that breaks the format: the message names file:line (bad input, exit 2). */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) { super(message, null, false, false); }
}
