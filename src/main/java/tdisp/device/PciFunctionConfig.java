package tdisp.device;

/**
 * How a PCI function is built, fixed for its life.
 *
 * @param noSoftReset       the PMCSR No_Soft_Reset bit (PCI PM 1.2): which a device reports is its own choice,
 *                          so the model takes it as the reading of a named assumption (A-D3HOT-LOSES-STATE)
 * @param faultIgnoreTeeBit deliberate defect for invariant non-vacuity: complete T=0 accesses to TEE MMIO when
 *                          locked
 */
public record PciFunctionConfig(boolean noSoftReset, boolean faultIgnoreTeeBit) {
    /** No_Soft_Reset clear (the default reading), no defect. */
    public static final PciFunctionConfig DEFAULT = new PciFunctionConfig(false, false);
}
