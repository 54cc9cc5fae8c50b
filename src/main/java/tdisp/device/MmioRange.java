package tdisp.device;

/**
 * One MMIO range of the function, as a DEVICE_INTERFACE_REPORT MMIO_RANGE entry names it
 * (§11.3.11, Table 11-15): BAR index, offset and size within the BAR, whether it is TEE
 * memory (IS_NON_TEE_MEM = 0) and whether its memory attributes may be updated after LOCK
 * (IS_MEM_ATTR_UPDATABLE, the condition for SET_MMIO_ATTRIBUTE_REQUEST).
 */
public record MmioRange(int bar, long offset, long size, boolean tee, boolean updatable) {
    public MmioRange {
        if (bar < 0 || bar > 5) throw new IllegalArgumentException("BAR index " + bar);
        if (offset < 0 || size <= 0 || offset + size < offset) throw new IllegalArgumentException("range " + offset + "+" + size);
    }

    public MmioRange(int bar, long offset, long size, boolean tee) { this(bar, offset, size, tee, false); }

    public boolean contains(int bar, long offset) {
        return this.bar == bar && offset >= this.offset && offset - this.offset < size;
    }

    /** NUMBER_OF_PAGES: 4 KiB pages covering the range. */
    public long pages() { return (size + 4095) / 4096; }
}
