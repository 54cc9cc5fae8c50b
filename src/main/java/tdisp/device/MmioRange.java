package tdisp.device;

/**
 * One MMIO range of the function, as a DEVICE_INTERFACE_REPORT MMIO_RANGE entry would name it
 * (TDISP §11.3.11): BAR index, offset and size within the BAR, and whether it is TEE memory
 * (IS_NON_TEE_MEM = 0).
 */
public record MmioRange(int bar, long offset, long size, boolean tee) {
    public MmioRange {
        if (bar < 0 || bar > 5) throw new IllegalArgumentException("BAR index " + bar);
        if (offset < 0 || size <= 0 || offset + size < offset) throw new IllegalArgumentException("range " + offset + "+" + size);
    }

    public boolean contains(int bar, long offset) {
        return this.bar == bar && offset >= this.offset && offset - this.offset < size;
    }
}
