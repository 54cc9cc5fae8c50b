package tdisp.guest;

/** One move of a guest driver flow: a TDISP op, or a write of the device's Command register. */
public sealed interface GuestStep {
    record Op(GuestOp op) implements GuestStep {}

    record CommandWrite(int value) implements GuestStep {}
}
