package tdisp.sim;

/**
 * A value register of a {@link KThread}, typed where it is declared: the layer that owns the
 * value's type (the kernel: the guest request, a config write's origin) declares the register,
 * so the simulator needs none of those types and a step reads the value without a cast.
 *
 * <p>A thread has {@link #SLOTS} value slots (what its snapshot and canonical form hold). Two
 * registers may share a slot when no path uses both at once: a path carries a guest request
 * or a config write's origin, never both.
 *
 * @param name what the register holds, for messages
 * @param slot the slot it lives in, 0..{@link #SLOTS}-1
 * @param type the type of value it holds (a {@link RegisterValue}, so a snapshot keeps it typed)
 */
public record Register<T extends RegisterValue>(String name, int slot, Class<T> type) {
    /** Value slots per thread. */
    public static final int SLOTS = 2;

    public Register {
        if (slot < 0 || slot >= SLOTS) throw new IllegalArgumentException("register " + name + ": slot " + slot + " is not 0.." + (SLOTS - 1));
    }
}
