package tdisp.cli;

/** The machine lacks what a command needs (a device node, a benchmark list): one stderr line, exit 69. */
public final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) { super(message, null, false, false); }
}
