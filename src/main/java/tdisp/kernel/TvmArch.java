package tdisp.kernel;

/**
 * {@code tvm_arch} of the typed IOMMU_VDEVICE_TSM_REQ (IOMMU_VDEVICE_TSM_TVM_ARCH_CCA,
 * _SEV, _TDX in the kamalca/linux tree after the v5 review, drivers/iommu/iommufd/tsm.c).
 */
public enum TvmArch { CCA, SEV, TDX }
