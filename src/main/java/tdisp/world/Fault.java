package tdisp.world;

/**
 * Deliberate defects, for showing that each invariant can fail (non-vacuity). Never set by
 * a strategy: only tests and `tdisp check --fault` use them.
 */
public enum Fault {
    /** Device completes T=0 accesses to TEE MMIO of a locked TDI (breaks I3). */
    DEVICE_IGNORES_TEE_BIT,
    /** IOMMU lets T=1 DMA through without a valid secure entry (breaks I3). */
    IOMMU_IGNORES_SECURE_ENTRY,
    /** Firmware accepts a replayed guest message (breaks I4). */
    FW_ACCEPTS_REPLAY,
    /** Guest sends its message in clear and firmware accepts it (breaks I4). */
    GUEST_SENDS_PLAINTEXT,
    /** pci_tsm_bind() skips its -EBUSY check (breaks I5). */
    PCI_TSM_NO_BUSY_CHECK,
    /** pci_tsm_fn_exit() keeps the pre-bind-patch placeholder and drops the TDI without unbind (breaks I6). */
    PCI_TSM_FN_EXIT_NO_UNBIND,
    /** The vIOMMU takes no reference on the VM, so closing the VM fd frees it under a bound TDI (breaks I7). */
    VIOMMU_NO_KVM_REF,
    /**
     * iommufd tombstones a vDEVICE without iommufd_object_dec_wait()'s sleep, so a teardown
     * slips between an ioctl's iommufd_get_vdevice() and its use (breaks I6/I7 in the explorer).
     */
    IOMMUFD_NO_REMOVE_WAIT,
    /** SEV firmware answers TDI_INFO from a stale cache (breaks I10). */
    FW_STALE_TDI_INFO,
    /**
     * The VMM never completes a TD's TDVMCALL<TDCM> request: tdx_tdcm_run()'s
     * read_poll_timeout() gives up after TDCM_POLL_TIMEOUT_US (10 s) with -ETIMEDOUT.
     */
    TDCM_TIMEOUT,
    /**
     * IOMMU_DESTROY of the vDEVICE fails with -EBUSY during the VMM's teardown (four times in
     * the kvmtool/FVP CCA v7 run): the vDEVICE, and v7's TSM binding, outlive the VMM's
     * explicit destroy until the idevice or iommufd teardown takes them.
     */
    IOMMUFD_DESTROY_EBUSY,
    /**
     * The copy back of IOMMU_VDEVICE_TSM_REQ's struct fails (-EFAULT) after the TSM changed
     * the TDI's state: v7's iommufd_vdevice_tsm_req_ioctl() turns any result into -EFAULT
     * then, so the VMM and the guest see a failed request that took effect.
     */
    TSM_REQ_COPYBACK_EFAULT,
    /**
     * Arm CCA: RSI_VDEV_DMA_ENABLE fails and the realm's cca_device_accept reports success
     * anyway (the CCA v7 guest, as the OpenVMM/FVP bring-up recorded it).
     */
    CCA_ACCEPT_IGNORES_DMA_FAILURE,
    /**
     * Arm CCA: the host records the VDEV LOCKED before the device exchange completes, and the
     * exchange then fails: RMI_VDEV_LOCK returns an error for a state change it already
     * committed (the OpenVMM/FVP CCA bring-up), so the VDEV reads LOCKED while the device's
     * TDI is still CONFIG_UNLOCKED.
     */
    CCA_COMMIT_BEFORE_EXCHANGE,
    /**
     * Arm CCA, the fault's STARTED half: the host records the VDEV STARTED before the START
     * exchange completes, and the exchange then fails: RMI_VDEV_START returns an error for a
     * state change it already committed, so the VDEV reads STARTED (and the realm may enable
     * DMA on it) while the device's TDI is still CONFIG_LOCKED.
     */
    CCA_COMMIT_STARTED_BEFORE_EXCHANGE
}
