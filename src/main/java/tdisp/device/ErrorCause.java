package tdisp.device;

/** One transition into ERROR: what triggered it, who caused it, and the state it left. */
public record ErrorCause(ErrorTrigger trigger, Origin origin, TdiState from) {}
