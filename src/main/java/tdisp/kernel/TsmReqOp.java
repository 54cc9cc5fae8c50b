package tdisp.kernel;

/**
 * The typed {@code op} of IOMMU_VDEVICE_TSM_REQ after the v5 review, as
 * iommufd_vdevice_tsm_req_op_valid() accepts them (kamalca/linux tree,
 * drivers/iommu/iommufd/tsm.c): VALIDATE_MMIO and SET_TDI_STATE for every arch, the DMA
 * pair for SEV only. The object ops (READ_OBJECT, REGEN_OBJECT, OBJECT_INFO) of the
 * review's first sketch went to the pci-tsm netlink family instead.
 */
public enum TsmReqOp {
    TSM_REQ_VALIDATE_MMIO(null),
    TSM_REQ_SET_TDI_STATE(null),
    TSM_REQ_SEV_ENABLE_DMA(TvmArch.SEV),
    TSM_REQ_SEV_DISABLE_DMA(TvmArch.SEV);

    private final TvmArch only;

    TsmReqOp(TvmArch only) { this.only = only; }

    /** iommufd_vdevice_tsm_req_op_valid(op, tvm_arch). */
    public boolean validFor(TvmArch arch) { return only == null || only == arch; }
}
