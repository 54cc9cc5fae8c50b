package tdisp.device.wire;

/**
 * TDI report structure, the REPORT bytes that DEVICE_INTERFACE_REPORT carries in portions
 * (§11.3.11, Table 11-15; libspdm {@code pci_tdisp_device_interface_report_struct_t}):
 * INTERFACE_INFO u16, reserved u16, MSI_X_MESSAGE_CONTROL u16, LNR_CONTROL u16,
 * TPH_CONTROL u32, MMIO_RANGE_COUNT u32, then MMIO_RANGE_COUNT × 16-byte MMIO_RANGE,
 * then DEVICE_SPECIFIC_INFO_LEN u32 and that many bytes: 16 + 16·N + 4 + L in all.
 */
public final class Report {
    private Report() {}

    public static final int OFF_INTERFACE_INFO = 0;
    public static final int OFF_MSIX_MESSAGE_CONTROL = 4;
    public static final int OFF_LNR_CONTROL = 6;
    public static final int OFF_TPH_CONTROL = 8;
    public static final int OFF_MMIO_RANGE_COUNT = 12;
    public static final int OFF_RANGES = 16;
    /**
     * One MMIO_RANGE: FIRST_PAGE u64, NUMBER_OF_PAGES u32, RANGE_ATTRIBUTES u16, RANGE_ID u16.
     * FIRST_PAGE is a 4K page number (the address shifted right by 12), MMIO_REPORTING_OFFSET
     * added: Table 11-15 calls it the "first 4K page with offset added"; AMD's posted parser says
     * "base and size in units of 4K pages" (20260225053806.3311234-2-aik@amd.com) and Arm's
     * CCA guest shifts it left by 12 (kamalca/linux, drivers/virt/coco/arm-cca-guest).
     */
    public static final int RANGE = 16;
    public static final int RANGE_OFF_FIRST_PAGE = 0;
    public static final int RANGE_OFF_PAGES = 8;
    public static final int RANGE_OFF_ATTRIBUTES = 12;
    public static final int RANGE_OFF_ID = 14;
    public static final int PAGE = 4096;
    public static final int PAGE_SHIFT = 12;

    /** INTERFACE_INFO bits (libspdm PCI_TDISP_INTERFACE_INFO_*). */
    public static final int INFO_NO_UPDATE_AFTER_LOCK = 1 << 0;
    public static final int INFO_DMA_WITHOUT_PASID = 1 << 1;

    /** MMIO_RANGE attribute bits (libspdm PCI_TDISP_MMIO_RANGE_ATTRIBUTES_*). */
    public static final int ATTR_MSIX_TABLE = 1 << 0;
    public static final int ATTR_MSIX_PBA = 1 << 1;
    public static final int ATTR_IS_NON_TEE_MEM = 1 << 2;
    public static final int ATTR_IS_MEM_ATTR_UPDATABLE = 1 << 3;

    public static int length(int ranges, int deviceSpecificLen) { return OFF_RANGES + RANGE * ranges + 4 + deviceSpecificLen; }

    public static void putRange(byte[] b, int at, long firstPage, long pages, int attributes, int rangeId) {
        Le.put64(b, at + RANGE_OFF_FIRST_PAGE, firstPage);
        Le.put32(b, at + RANGE_OFF_PAGES, pages);
        Le.put16(b, at + RANGE_OFF_ATTRIBUTES, attributes);
        Le.put16(b, at + RANGE_OFF_ID, rangeId);
    }
}
