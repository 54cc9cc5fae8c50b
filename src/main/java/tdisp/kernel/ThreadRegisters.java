package tdisp.kernel;

import tdisp.device.Origin;
import tdisp.sim.KThread;
import tdisp.sim.Register;
import tdisp.sim.RegisterValue;

/**
 * The value registers kernel paths pass between steps (the ops tables' arguments besides
 * the thread's ints): the guest request on its way to pci_tsm_guest_req() and the platform's
 * ops, and who caused a config write or reset. A path carries a request or an origin, never
 * both, so the two share a slot.
 */
public final class ThreadRegisters {
    private ThreadRegisters() {}

    /** The guest request the path carries: the guest's own, or the kernel's copy between copy-in and copy-out. */
    public static final Register<TsmRequest> REQUEST = new Register<>("request", 0, TsmRequest.class);

    /** The user's (guest's) request while {@link #REQUEST} points at the kernel copy ({@link KernelCopy}). */
    public static final Register<TsmRequest> USER_REQUEST = new Register<>("user request", 1, TsmRequest.class);

    /** Who caused the config write or reset the path makes (invariant I1 reads it from the device). */
    public static final Register<Cause> ORIGIN = new Register<>("origin", 0, Cause.class);

    /** Sets {@link #ORIGIN}. */
    public static void setOrigin(KThread t, Origin origin) { t.set(ORIGIN, Cause.of(origin)); }

    /** The origin {@link #ORIGIN} holds, or null. */
    public static Origin origin(KThread t) {
        Cause c = t.get(ORIGIN);
        return c == null ? null : c.origin();
    }

    /**
     * An {@link Origin} as a register value (tdisp.device, the bottom of the model, knows no
     * simulator). One instance per origin, so setting the register allocates nothing.
     */
    public record Cause(Origin origin) implements RegisterValue {
        private static final Cause[] OF = new Cause[Origin.values().length];

        static {
            for (Origin o : Origin.values()) OF[o.ordinal()] = new Cause(o);
        }

        public static Cause of(Origin o) { return OF[o.ordinal()]; }
    }
}
