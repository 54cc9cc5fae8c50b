package tdisp.kernel;

/**
 * Deliberate defects of iommufd, for invariant non-vacuity and the explorer's regressions
 * only (world.Fault maps onto them); fixed when iommufd is built.
 *
 * @param noKvmRef       the vIOMMU keeps a bare kvm pointer, no reference (breaks I7)
 * @param noRemoveWait   a vDEVICE is tombstoned without waiting for the ioctls in flight
 * @param destroyBusy    IOMMU_DESTROY(vdevice) finds the object busy (-EBUSY) however many hold it
 * @param copybackEfault copying the guest-request struct back to the VMM fails (-EFAULT) after the request ran
 */
public record IommufdFaults(boolean noKvmRef, boolean noRemoveWait, boolean destroyBusy, boolean copybackEfault) {
    /** No defect. */
    public static final IommufdFaults NONE = new IommufdFaults(false, false, false, false);
}
