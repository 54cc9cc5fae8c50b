package tdisp.cost;

/** Which cost table a run charges from, and the host conditions that scale exits. */
public record CostOptions(CostTable table, boolean nested, boolean ibpb) {
    /** System properties that carry the options into JMH's forked JVMs (`tdisp bench --costs`). */
    public static final String COSTS_PROPERTY = "tdisp.costs";
    public static final String NESTED_PROPERTY = "tdisp.nested";
    public static final String IBPB_PROPERTY = "tdisp.ibpb";

    public static CostOptions defaults() { return new CostOptions(CostTable.defaults(), false, false); }

    /** The options a forked benchmark JVM was started with; the built-in table when none. */
    public static CostOptions fromSystemProperties() {
        String file = System.getProperty(COSTS_PROPERTY, "");
        return new CostOptions(file.isEmpty() ? CostTable.defaults() : CostTable.load(java.nio.file.Path.of(file)),
                Boolean.getBoolean(NESTED_PROPERTY), Boolean.getBoolean(IBPB_PROPERTY));
    }

    /** One line saying which table and host conditions charge a run. */
    public String describe() { return table.origin() + (nested ? ", --nested" : "") + (ibpb ? ", --ibpb" : ""); }

    public CostModel model(tdisp.platform.Platform p) { return new CostModel(table, p, nested, ibpb); }
}
