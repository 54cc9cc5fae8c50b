package tdisp.device;

import java.util.List;

import tdisp.device.wire.Le;
import tdisp.device.wire.Report;

/**
 * The TDI report (§11.3.11, Table 11-15), frozen at LOCK: every MMIO range of the function,
 * TEE and non-TEE, with its attributes. {@link #encode} gives the exact REPORT bytes that
 * DEVICE_INTERFACE_REPORT returns in portions; {@link #decode} is the inverse.
 */
public record InterfaceReport(int interfaceInfo, int msixMessageControl, int lnrControl, long tphControl,
                              List<Range> ranges, int deviceSpecificInfoLength) {
    /** One MMIO_RANGE: FIRST_PAGE (4K page number, MMIO_REPORTING_OFFSET added), NUMBER_OF_PAGES, attributes, RANGE_ID. */
    public record Range(long firstPage, long pages, int attributes, int rangeId) {
        public boolean tee() { return (attributes & Report.ATTR_IS_NON_TEE_MEM) == 0; }
        public boolean updatable() { return (attributes & Report.ATTR_IS_MEM_ATTR_UPDATABLE) != 0; }
    }

    public InterfaceReport {
        ranges = List.copyOf(ranges);
    }

    public int length() { return Report.length(ranges.size(), deviceSpecificInfoLength); }

    /** The REPORT bytes; DEVICE_SPECIFIC_INFO is zeros of the given length. Returns the length. */
    public int encode(byte[] b, int at) {
        Le.put16(b, at + Report.OFF_INTERFACE_INFO, interfaceInfo);
        Le.put16(b, at + 2, 0);
        Le.put16(b, at + Report.OFF_MSIX_MESSAGE_CONTROL, msixMessageControl);
        Le.put16(b, at + Report.OFF_LNR_CONTROL, lnrControl);
        Le.put32(b, at + Report.OFF_TPH_CONTROL, tphControl);
        Le.put32(b, at + Report.OFF_MMIO_RANGE_COUNT, ranges.size());
        int p = at + Report.OFF_RANGES;
        for (Range r : ranges) {
            Report.putRange(b, p, r.firstPage, r.pages, r.attributes, r.rangeId);
            p += Report.RANGE;
        }
        Le.put32(b, p, deviceSpecificInfoLength);
        Le.zero(b, p + 4, deviceSpecificInfoLength);
        return length();
    }

    /** Parses REPORT bytes; null if they are not a well-formed report of exactly {@code len} bytes. */
    public static InterfaceReport decode(byte[] b, int at, int len) {
        if (len < Report.length(0, 0)) return null;
        long n = Le.u32(b, at + Report.OFF_MMIO_RANGE_COUNT);
        if (n > (len - Report.length(0, 0)) / Report.RANGE) return null;
        Range[] rs = new Range[(int) n];
        int p = at + Report.OFF_RANGES;
        for (int i = 0; i < n; i++, p += Report.RANGE) {
            rs[i] = new Range(Le.u64(b, p + Report.RANGE_OFF_FIRST_PAGE), Le.u32(b, p + Report.RANGE_OFF_PAGES),
                    Le.u16(b, p + Report.RANGE_OFF_ATTRIBUTES), Le.u16(b, p + Report.RANGE_OFF_ID));
        }
        long dsi = Le.u32(b, p);
        if (Report.length((int) n, 0) + dsi != len) return null;
        return new InterfaceReport(Le.u16(b, at + Report.OFF_INTERFACE_INFO), Le.u16(b, at + Report.OFF_MSIX_MESSAGE_CONTROL),
                Le.u16(b, at + Report.OFF_LNR_CONTROL), Le.u32(b, at + Report.OFF_TPH_CONTROL), List.of(rs), (int) dsi);
    }
}
