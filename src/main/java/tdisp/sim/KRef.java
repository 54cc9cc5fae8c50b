package tdisp.sim;

/**
 * A reference-counted kernel object (kref / refcount_t / iommufd_object users). Using or
 * getting an object after its last put is a use-after-free, reported as I7.
 */
public final class KRef {
    private final Sim sim;
    private final String name;
    private int refs;
    private boolean freed;

    public KRef(Sim sim, String name) {
        this.sim = sim;
        this.name = name;
        this.refs = 1;
    }

    public String name() { return name; }

    public int refs() { return refs; }

    public boolean freed() { return freed; }

    /** Checks the object is alive before a dereference; false (and I7) if it was freed. */
    public boolean use(String by) {
        if (freed) {
            sim.violation("I7", by + " dereferences " + name + " after its last put");
            return false;
        }
        return true;
    }

    /** Writes a nullable reference slot: 0 for none, else refs+1 with the freed bit. */
    public static void save(StateWriter w, KRef r) {
        w.put(r == null ? 0 : (r.refs + 1) | (r.freed ? 1 << 30 : 0));
    }

    /**
     * Reads a slot written by {@link #save}, reusing {@code current} when there is one; a
     * new object is named {@code prefix + index + "]"} (built only then: restores are hot).
     */
    public static KRef load(StateReader in, KRef current, Sim sim, String prefix, int index) {
        int v = in.get();
        if (v == 0) return null;
        KRef r = current != null ? current : new KRef(sim, prefix + index + "]");
        r.refs = (v & ~(1 << 30)) - 1;
        r.freed = (v & (1 << 30)) != 0;
        return r;
    }

    public void get() {
        if (freed) use("get(" + name + ")"); else refs++;
    }

    /** @return true when this put released the object */
    public boolean put() {
        if (freed) {
            use("put(" + name + ")");
            return false;
        }
        if (--refs == 0) {
            freed = true;
            sim.state(name, "live", "freed");
            return true;
        }
        return false;
    }

    /** Frees regardless of count: models a destroy that ignores a holder (the pre-6.17 bug). */
    public void forceFree() {
        if (!freed) {
            freed = true;
            refs = 0;
            sim.state(name, "live", "freed");
        }
    }
}
