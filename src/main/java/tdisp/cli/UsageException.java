package tdisp.cli;

/** Bad input found after parsing (a file, a combination of options): one stderr line, exit 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) { super(message, null, false, false); }
}
