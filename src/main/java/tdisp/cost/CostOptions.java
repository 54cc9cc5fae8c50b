package tdisp.cost;

/** Which cost table a run charges from, and the host conditions that scale exits. */
public record CostOptions(CostTable table, boolean nested, boolean ibpb) {
    public static CostOptions defaults() { return new CostOptions(CostTable.defaults(), false, false); }

    public CostModel model(tdisp.platform.Platform p) { return new CostModel(table, p, nested, ibpb); }
}
