package tdisp.device;

/** What the device is plugged into upstream (the IOMMU implements it). */
public interface Upstream {
    TlpResult memoryWrite(int requesterId, long address, boolean teeBit);
}
