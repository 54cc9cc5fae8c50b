package tdisp.cost;

/** A cost table that cannot be used; the message is one line naming the file and line. */
public final class CostException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CostException(String message) { super(message); }
}
