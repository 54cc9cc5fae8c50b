package tdisp.device;

import java.util.ArrayList;
import java.util.List;

import tdisp.device.wire.Report;
import tdisp.device.wire.Tdisp;

/**
 * The DEVICE_INTERFACE_REPORT of one function (TDISP §11.3.11): every range, TEE and
 * non-TEE, as the 4K page number of its host address plus MMIO_REPORTING_OFFSET (FIRST_PAGE
 * is a page number: see {@link Report}). RANGE_ID is the BAR index (the spec leaves the
 * numbering to the device). INTERFACE_INFO bit 0 (NO_UPDATE_AFTER_LOCK) says the firmware
 * will not update while locked, which is what LOCK's NO_FW_UPDATE asked for. The report is a
 * function of immutable configuration and what LOCK fixed, so "frozen at LOCK" needs no
 * storage; the last one built is kept (derived, not state) so that serving a report again (a
 * TSM's hot evidence refresh) allocates nothing.
 */
final class FrozenReport {
    private final PciFunction f;
    private InterfaceReport builtReport;
    private long builtReportOffset;
    private int builtReportFlags;

    FrozenReport(PciFunction f) { this.f = f; }

    /** The report for the MMIO_REPORTING_OFFSET and LOCK flags LOCK fixed. */
    InterfaceReport build(long mmioReportingOffset, int lockFlags) {
        if (builtReport != null && builtReportOffset == mmioReportingOffset && builtReportFlags == lockFlags) return builtReport;
        List<InterfaceReport.Range> rs = new ArrayList<>(f.bars().size());
        for (MmioRange r : f.bars()) {
            int attr = (r.tee() ? 0 : Report.ATTR_IS_NON_TEE_MEM) | (r.updatable() ? Report.ATTR_IS_MEM_ATTR_UPDATABLE : 0);
            long address = f.barAddress(r.bar()) + r.offset() + mmioReportingOffset;
            rs.add(new InterfaceReport.Range(address >>> Report.PAGE_SHIFT, r.pages(), attr, r.bar()));
        }
        int info = Report.INFO_DMA_WITHOUT_PASID | ((lockFlags & Tdisp.FLAG_NO_FW_UPDATE) != 0 ? Report.INFO_NO_UPDATE_AFTER_LOCK : 0);
        builtReport = new InterfaceReport(info, 0, 0, 0, rs, 0);
        builtReportOffset = mmioReportingOffset;
        builtReportFlags = lockFlags;
        return builtReport;
    }
}
