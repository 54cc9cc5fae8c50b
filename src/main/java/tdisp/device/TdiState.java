package tdisp.device;

/** TDI state as carried in DEVICE_INTERFACE_STATE.TDI_STATE (TDISP §11.3.12). */
public enum TdiState {
    CONFIG_UNLOCKED, CONFIG_LOCKED, RUN, ERROR;

    private static final TdiState[] BY_WIRE = values();

    /** The TDI_STATE encoding: 0 = CONFIG_UNLOCKED, 1 = CONFIG_LOCKED, 2 = RUN, 3 = ERROR. */
    public int wireValue() { return ordinal(); }

    public static TdiState fromWire(int v) {
        if (v < 0 || v >= BY_WIRE.length) throw new IllegalArgumentException("TDI_STATE " + v);
        return BY_WIRE[v];
    }

    /** LOCKED and RUN are the states in which the DSM tracks changes and can go to ERROR (§11.2). */
    public boolean locked() { return this == CONFIG_LOCKED || this == RUN; }
}
