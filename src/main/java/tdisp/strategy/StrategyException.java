package tdisp.strategy;

/**
 * A strategy descriptor, an override or a catalog lookup is wrong. The message is the
 * complete one-line error, ready to print as is (for a file: {@code path:line: what}).
 */
public final class StrategyException extends RuntimeException {
    public StrategyException(String message) {
        super(message);
    }

    public StrategyException(String message, Throwable cause) {
        super(message, cause);
    }
}
