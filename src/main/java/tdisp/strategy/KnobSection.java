package tdisp.strategy;

/**
 * The knobs under one key prefix, as the one component that reads them sees them (as
 * Caffeine's simulator hands each policy a settings object for its own section of the
 * configuration). {@link Knobs} stays the one place knobs are parsed, defaulted and
 * validated; a section is a typed view built once from it ({@link Knobs#bind()}, ...)
 * and handed to its component at assembly, so a component reads only its own section.
 */
public sealed interface KnobSection {

    /** {@code bind.*}: where TDI bind enters, what triggers it, who LOCKs. */
    record Bind(Entry entry, BindTrigger trigger, BindLock lock) implements KnobSection {
        /** v7: the bind happens inside IOMMU_VDEVICE_ALLOC. */
        public boolean atVdeviceAlloc() { return trigger == BindTrigger.VDEVICE_ALLOC; }

        /** v7: the guest's SET_TDI_STATE(LOCKED) locks, not the host's bind. */
        public boolean guestLocks() { return lock == BindLock.GUEST_REQUEST; }
    }

    /** {@code guest-request.*}: the entry of each kind of guest request and the uAPI that carries it. */
    record GuestRequest(Entry entry, Entry sdteWriteEntry, Entry mmioValidateEntry, GuestRequestUapi uapi) implements KnobSection {}

    /** {@code vfio.*}: what VFIO knows of the bound state, its host-event policy and its close order. */
    record Vfio(BoundState boundState, HostEventPolicy onHostEvent, LastClose lastClose, DmaBufCleanup dmaBufCleanup)
            implements KnobSection {}

    /** {@code vmm.*}: the VMM's config trap and how it knows a TDI is bound. */
    record Vmm(boolean configTrap, VmmBoundState boundState) implements KnobSection {}

    /** {@code iommufd.*}: the teardown order. */
    record Iommufd(DestroyOrder destroyOrder) implements KnobSection {}

    /** {@code device.*}: the function's No_Soft_Reset bit (an assumption's reading). */
    record Device(boolean noSoftReset) implements KnobSection {}

    /** {@code kvm.*}: the readings of KVM's platform assumptions (CCA's dma-buf revoke, SNP's MMIO RMP at destroy). */
    record Kvm(boolean ccaRevokeUnmaps, boolean snpDestroyKeepsMmioRmp, boolean snpRmpUpdateUnchecked) implements KnobSection {}

    /** {@code sev.*}: AMD's hardware features (the secure vIOMMU). */
    record Sev(boolean secureViommu) implements KnobSection {}
}
