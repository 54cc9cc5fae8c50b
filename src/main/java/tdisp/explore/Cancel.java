package tdisp.explore;

/**
 * A request from outside (SIGINT) to stop a search cleanly. Passed to
 * {@link Explorer#run(Cancel)} rather than kept in the {@link ExplorerConfig}: the config
 * is a value (equal configs mean equal searches), a cancel request is not.
 */
@FunctionalInterface
public interface Cancel {
    /** Whether the search should stop now; polled between transitions. */
    boolean requested();

    /** Never asks to stop. */
    Cancel NEVER = () -> false;
}
