package tdisp.sim;

/**
 * A value an exact {@link StateWriter.Snapshot} keeps by reference rather than as ints:
 * immutable (a table entry record, a saved page's bytes, the guest's sent log) or
 * identity-stable and put back by identity (a held {@link KLock}, a register's request
 * whose pages are the world's own). Only what a component declares as such can enter a
 * snapshot, and {@link StateReader#getRef} reads it back checked against its type.
 */
public interface Retained {}
