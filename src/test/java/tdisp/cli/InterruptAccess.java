package tdisp.cli;

/** Tests in other packages ask a run to stop as the signal hook does (Interrupt is package-private). */
public final class InterruptAccess {
    private InterruptAccess() {}

    public static void request() { Interrupt.request(); }

    public static void reset() { Interrupt.reset(); }
}
