package tdisp.kernel;

/**
 * The typed {@code op} of IOMMU_VDEVICE_TSM_REQ after the v5 review, as
 * iommufd_vdevice_tsm_req_op_valid() accepts them (kamalca/linux tree,
 * drivers/iommu/iommufd/tsm.c): VALIDATE_MMIO and SET_TDI_STATE for every arch, the DMA
 * pair for SEV only. The object ops (READ_OBJECT, REGEN_OBJECT, OBJECT_INFO) of the
 * review's first sketch went to the pci-tsm netlink family instead.
 */
public enum TsmReqOp {
    TSM_REQ_VALIDATE_MMIO(null, true),
    TSM_REQ_SET_TDI_STATE(null, true),
    TSM_REQ_SEV_ENABLE_DMA(TvmArch.SEV, true),
    TSM_REQ_SEV_DISABLE_DMA(TvmArch.SEV, true),
    /**
     * The object ops v7 keeps (the linux-cca v7 integration branch sends READ_OBJECT 5,
     * REGEN_OBJECT 6, OBJECT_INFO 7 for the realm's RHI object calls; second-hand, through
     * the OpenVMM fork's bindings). Not in the typed uAPI of the review (netlink instead).
     */
    TSM_REQ_READ_OBJECT(null, false),
    TSM_REQ_REGEN_OBJECT(null, false),
    TSM_REQ_OBJECT_INFO(null, false),
    /**
     * Our named assumption A-V7-SEALED-MSG: under v7 a SEV or TDX guest's sealed message
     * (TIO_MSG_*, the TD's request) passes as an opaque op of its tvm_arch. No source shows
     * SEV's or TDX's ops under v7.
     */
    TSM_REQ_TVM_MESSAGE(null, false);

    private final TvmArch only;
    private final boolean typed;

    TsmReqOp(TvmArch only, boolean typed) {
        this.only = only;
        this.typed = typed;
    }

    /** iommufd_vdevice_tsm_req_op_valid(op, tvm_arch) of the typed uAPI after the v5 review. */
    public boolean validFor(TvmArch arch) { return typed && (only == null || only == arch); }

    /** The same check for v7's struct: the object ops again, and the sealed message off CCA. */
    public boolean validForV7(TvmArch arch) {
        if (this == TSM_REQ_TVM_MESSAGE) return arch != TvmArch.CCA;
        return only == null || only == arch;
    }
}
