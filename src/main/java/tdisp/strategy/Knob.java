package tdisp.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every knob a strategy sets, in canonical order (the order of {@link Knobs}, of
 * {@link Knobs#describe()} and of {@code tdisp list}). See {@code strategies/README.md}.
 */
public enum Knob {
    BIND_ENTRY("bind.entry", Entry.tokens(),
            "where TDI bind/unbind enters the host: KVM in-kernel, iommufd vDEVICE ioctl or VFIO device ioctl"),
    GUEST_REQUEST_ENTRY("guest-request.entry", Entry.tokens(),
            "where encrypted guest requests enter: KVM in-kernel, or exit to the VMM and an iommufd / VFIO ioctl"),
    SDTE_WRITE_ENTRY("guest-request.sdte-write.entry", Entry.tokens(),
            "entry for SDTE write/clear (secure DMA) guest requests; defaults to guest-request.entry"),
    MMIO_VALIDATE_ENTRY("guest-request.mmio-validate.entry", Entry.tokens(),
            "entry for MMIO validate/invalidate (private MMIO) guest requests; defaults to guest-request.entry"),
    VFIO_BOUND_STATE("vfio.bound-state", BoundState.tokens(),
            "what VFIO knows of the TDI's bound state: nothing, told by callback, or owns it"),
    VFIO_ON_HOST_EVENT("vfio.on-host-event", HostEventPolicy.tokens(),
            "VFIO's policy on close/reset/FLR/hot reset/D3/runtime PM/MSE clear while bound"),
    VMM_CONFIG_TRAP("vmm.config-trap", List.of("on", "off"),
            "the VMM traps guest config writes clearing BME/MSE while the TDI is LOCKED/RUN"),
    VMM_BOUND_STATE("vmm.bound-state", VmmBoundState.tokens(),
            "how the VMM knows a TDI is bound: from the bind it carried, or from the tsm/bound sysfs attribute"),
    IOMMUFD_DESTROY_ORDER("iommufd.destroy-order", DestroyOrder.tokens(),
            "iommufd teardown: vDEVICE destroyed before its idevice (6.17+) or the pre-6.17 order"),
    VFIO_LAST_CLOSE("vfio.last-close", LastClose.tokens(),
            "VFIO last close: close_device (disable+reset) before iommufd unbind (merged), or unbind first"),
    VFIO_DMABUF_CLEANUP("vfio.dma-buf-cleanup", DmaBufCleanup.tokens(),
            "close_device revokes the BAR dma-bufs before vfio_pci_core_disable (Matt Evans, merged by 7.2) or after it (6.19)"),
    GUEST_REQUEST_UAPI("guest-request.uapi", GuestRequestUapi.tokens(),
            "IOMMU_VDEVICE_TSM_REQ: v5 scope, typed op (evidence by netlink), or v7's 48-byte struct; default scope"),
    BIND_TRIGGER("bind.trigger", BindTrigger.tokens(),
            "what binds: an explicit bind op (v5 TSM_OP, VFIO, KVM) or IOMMU_VDEVICE_ALLOC (v7); default explicit-op"),
    BIND_LOCK("bind.lock", BindLock.tokens(),
            "who LOCKs the TDI: the host's bind (v5) or the guest's SET_TDI_STATE(LOCKED) (v7); default host-bind"),
    // The readings of named assumptions (tdisp.sim.Assumption) that have two: not a design's
    // choice but a fact no source settles, so a diff can show what the other reading moves.
    DEVICE_NO_SOFT_RESET("device.no-soft-reset", List.of("0", "1"),
            "the function's No_Soft_Reset bit (A-D3HOT-LOSES-STATE): 0, D3hot to D0 resets it (default); 1, it keeps its state"),
    KVM_CCA_DMA_BUF_REVOKE("kvm.cca-dma-buf-revoke", List.of("unmaps", "misses"),
            "on cca, whether VFIO's BAR dma-buf revoke unmaps the realm's device memory (A-CCA-REVOKE-UNMAPS); default unmaps"),
    KVM_SNP_DESTROY_MMIO_RMP("kvm.snp-destroy-mmio-rmp", List.of("kept", "reverted"),
            "on sev-tio, whether SNP VM destroy leaves the TEE BAR's RMP entries assigned (A-SNP-MMIO-RMP-KEPT); default kept"),
    KVM_SNP_RMP_UPDATE("kvm.snp-rmp-update", List.of("unchecked", "bound-only"),
            "on sev-tio, whether the RMP update of a TEE BAR goes through for a TDI not bound to the VM (A-SNP-RMP-UPDATE-UNBOUND); "
                    + "default unchecked, bound-only refuses it (-EINVAL)"),
    // A platform's hardware feature: not a design's choice either, so no descriptor sets it.
    SEV_SECURE_VIOMMU("sev.secure-viommu", List.of("off", "on"),
            "on sev-tio, AMD's secure vIOMMU: on, the guest writes its sDTE itself (amd_iommu_update_sdte); default off");

    private final String key;
    private final List<String> allowed;
    private final String description;

    Knob(String key, List<String> allowed, String description) {
        this.key = key;
        this.allowed = List.copyOf(allowed);
        this.description = description;
    }

    /** The key used in descriptor files and {@code --set}, e.g. {@code bind.entry}. */
    public String key() { return key; }

    /** The allowed value tokens, in declaration order. */
    public List<String> allowed() { return allowed; }

    /** The allowed tokens joined by {@code |}, e.g. {@code kvm|iommufd|vfio}. */
    public String allowedText() { return String.join("|", allowed); }

    /** A one-line description. */
    public String description() { return description; }

    /** Whether a descriptor must set this knob (false for the per-message entries and the knobs with a default). */
    public boolean required() { return defaultsTo().isEmpty() && defaultToken().isEmpty(); }

    /**
     * The value a descriptor that leaves this knob out gets: knobs added after the first
     * descriptors default to what those model (the merged kernel, the v5 uAPI).
     */
    public Optional<String> defaultToken() {
        return switch (this) {
            case GUEST_REQUEST_UAPI -> Optional.of(GuestRequestUapi.SCOPE.token());
            case VMM_BOUND_STATE -> Optional.of(VmmBoundState.CARRIED.token());
            case VFIO_DMABUF_CLEANUP -> Optional.of(DmaBufCleanup.BEFORE_DISABLE.token());
            case BIND_TRIGGER -> Optional.of(BindTrigger.EXPLICIT_OP.token());
            case BIND_LOCK -> Optional.of(BindLock.HOST_BIND.token());
            case DEVICE_NO_SOFT_RESET -> Optional.of("0");
            case KVM_CCA_DMA_BUF_REVOKE -> Optional.of("unmaps");
            case KVM_SNP_DESTROY_MMIO_RMP -> Optional.of("kept");
            case KVM_SNP_RMP_UPDATE -> Optional.of("unchecked");
            case SEV_SECURE_VIOMMU -> Optional.of("off");
            default -> Optional.empty();
        };
    }

    /** The knob whose value this one takes when a descriptor leaves it out. */
    public Optional<Knob> defaultsTo() {
        return switch (this) {
            case SDTE_WRITE_ENTRY, MMIO_VALIDATE_ENTRY -> Optional.of(GUEST_REQUEST_ENTRY);
            default -> Optional.empty();
        };
    }

    /**
     * Whether the knob selects the reading of a named assumption (tdisp.sim.Assumption)
     * rather than a design's choice: no descriptor sets it, and descriptions name it only
     * when it is not the default reading.
     */
    public boolean assumptionReading() {
        return this == DEVICE_NO_SOFT_RESET || this == KVM_CCA_DMA_BUF_REVOKE || this == KVM_SNP_DESTROY_MMIO_RMP
                || this == KVM_SNP_RMP_UPDATE;
    }

    /** A platform's hardware feature (not a design's choice): no descriptor sets it. */
    public boolean platformFeature() { return this == SEV_SECURE_VIOMMU; }

    /** Whether {@link Knobs#describe()} leaves the knob out at its default value. */
    public boolean omittedAtDefault() { return assumptionReading() || platformFeature(); }

    /** The knob with this key, if any. */
    public static Optional<Knob> find(String key) {
        for (Knob k : values()) {
            if (k.key.equals(key)) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The knob with this key; throws {@code unknown key 'foo' (known: bind.entry, ...)}. */
    public static Knob byKey(String key) {
        return find(key).orElseThrow(() -> new StrategyException("unknown key '" + key + "' (known: " + knownKeys() + ")"));
    }

    /** All keys, comma-separated, in canonical order. */
    public static String knownKeys() {
        return Arrays.stream(values()).map(Knob::key).collect(Collectors.joining(", "));
    }
}
