package tdisp.report;

import java.util.List;
import java.util.Locale;

import tdisp.sweep.V5V7BringUp;

/** Renders {@link V5V7BringUp}: bring-up latency per platform under v5 and v7, in ms, ASCII, within 72 columns. */
public final class BringUpTable {
    private BringUpTable() {}

    /** The table under a caption; empty when there are no rows (neither v5 nor v7 selected). */
    public static String text(String caption, List<V5V7BringUp> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(caption);
        if (!caption.endsWith("\n")) sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-14s%14s%14s%14s%n", "platform, ms", "iommufd-v5", "iommufd-v7", "v7 - v5"));
        for (V5V7BringUp r : rows) {
            Long d = r.deltaNs();
            sb.append(String.format(Locale.ROOT, "%-14s%14s%14s%14s%n", "  " + r.platform(), ms(r.v5Ns()), ms(r.v7Ns()),
                    d == null ? "-" : String.format(Locale.ROOT, "%+.3f", d / 1e6)));
        }
        if (rows.stream().anyMatch(r -> r.deltaNs() == null)) sb.append("'-': that strategy's bring-up does not reach secure DMA.\n");
        return sb.toString();
    }

    private static String ms(Long ns) { return ns == null ? "-" : String.format(Locale.ROOT, "%.3f", ns / 1e6); }
}
