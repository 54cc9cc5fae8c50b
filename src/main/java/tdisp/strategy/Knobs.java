package tdisp.strategy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The knob values of one strategy: immutable. The model reads the typed components;
 * {@link #get(Knob)} and {@link #describe()} give the token form.
 *
 * <p>Construction does not check the cross-knob rules (so that overrides can pass through
 * intermediate states); call {@link #validate()} on the result. {@link StrategyParser}
 * and {@link Strategy#withOverrides} do.
 */
public record Knobs(
        Entry bindEntry,
        Entry guestRequestEntry,
        Entry sdteWriteEntry,
        Entry mmioValidateEntry,
        BoundState vfioBoundState,
        HostEventPolicy vfioOnHostEvent,
        boolean vmmConfigTrap,
        VmmBoundState vmmBoundState,
        DestroyOrder iommufdDestroyOrder,
        LastClose vfioLastClose,
        DmaBufCleanup vfioDmaBufCleanup,
        GuestRequestUapi guestRequestUapi,
        BindTrigger bindTrigger,
        BindLock bindLock,
        boolean deviceNoSoftReset,
        boolean ccaRevokeUnmaps,
        boolean snpDestroyKeepsMmioRmp,
        boolean snpRmpUpdateUnchecked,
        boolean sevSecureViommu) {

    public Knobs {
        Objects.requireNonNull(bindEntry, "bindEntry");
        Objects.requireNonNull(guestRequestEntry, "guestRequestEntry");
        Objects.requireNonNull(sdteWriteEntry, "sdteWriteEntry");
        Objects.requireNonNull(mmioValidateEntry, "mmioValidateEntry");
        Objects.requireNonNull(vfioBoundState, "vfioBoundState");
        Objects.requireNonNull(vfioOnHostEvent, "vfioOnHostEvent");
        Objects.requireNonNull(iommufdDestroyOrder, "iommufdDestroyOrder");
        Objects.requireNonNull(vfioLastClose, "vfioLastClose");
        Objects.requireNonNull(vmmBoundState, "vmmBoundState");
        Objects.requireNonNull(vfioDmaBufCleanup, "vfioDmaBufCleanup");
        Objects.requireNonNull(guestRequestUapi, "guestRequestUapi");
        Objects.requireNonNull(bindTrigger, "bindTrigger");
        Objects.requireNonNull(bindLock, "bindLock");
    }

    /** The knobs before v7's (an explicit bind that LOCKs), with every named assumption's default reading. */
    public Knobs(Entry bindEntry, Entry guestRequestEntry, Entry sdteWriteEntry, Entry mmioValidateEntry,
            BoundState vfioBoundState, HostEventPolicy vfioOnHostEvent, boolean vmmConfigTrap, VmmBoundState vmmBoundState,
            DestroyOrder iommufdDestroyOrder, LastClose vfioLastClose, DmaBufCleanup vfioDmaBufCleanup,
            GuestRequestUapi guestRequestUapi) {
        this(bindEntry, guestRequestEntry, sdteWriteEntry, mmioValidateEntry, vfioBoundState, vfioOnHostEvent, vmmConfigTrap,
                vmmBoundState, iommufdDestroyOrder, vfioLastClose, vfioDmaBufCleanup, guestRequestUapi,
                BindTrigger.EXPLICIT_OP, BindLock.HOST_BIND, false, true, true, true, false);
    }

    /** The knobs of a strategy on v5's scope uAPI with the defaults of the later knobs (the merged dma-buf order of 7.2). */
    public Knobs(Entry bindEntry, Entry guestRequestEntry, Entry sdteWriteEntry, Entry mmioValidateEntry,
            BoundState vfioBoundState, HostEventPolicy vfioOnHostEvent, boolean vmmConfigTrap,
            DestroyOrder iommufdDestroyOrder, LastClose vfioLastClose) {
        this(bindEntry, guestRequestEntry, sdteWriteEntry, mmioValidateEntry, vfioBoundState, vfioOnHostEvent,
                vmmConfigTrap, VmmBoundState.CARRIED, iommufdDestroyOrder, vfioLastClose, DmaBufCleanup.BEFORE_DISABLE,
                GuestRequestUapi.SCOPE);
    }

    /**
     * Builds knobs from tokens. The two per-message entries may be absent and then take
     * {@code guest-request.entry}; any other absent knob throws {@code missing knob 'k'}
     * (several: {@code missing knobs 'a', 'b'}). Bad values throw
     * {@code key: 'v' is not one of a|b}. Does not {@link #validate()}.
     */
    public static Knobs of(Map<Knob, String> tokens) {
        Map<Knob, String> t = new EnumMap<>(Knob.class);
        t.putAll(tokens);
        StringJoiner missing = new StringJoiner(", ");
        int nMissing = 0;
        for (Knob k : Knob.values()) {
            if (t.containsKey(k)) continue;
            if (!k.required()) continue;
            missing.add("'" + k.key() + "'");
            nMissing++;
        }
        if (nMissing > 0) throw new StrategyException((nMissing == 1 ? "missing knob " : "missing knobs ") + missing);
        for (Knob k : Knob.values()) {
            k.defaultsTo().ifPresent(d -> t.putIfAbsent(k, t.get(d)));
            k.defaultToken().ifPresent(v -> t.putIfAbsent(k, v));
        }
        return new Knobs(
                value(Knob.BIND_ENTRY, t, Entry::parse),
                value(Knob.GUEST_REQUEST_ENTRY, t, Entry::parse),
                value(Knob.SDTE_WRITE_ENTRY, t, Entry::parse),
                value(Knob.MMIO_VALIDATE_ENTRY, t, Entry::parse),
                value(Knob.VFIO_BOUND_STATE, t, BoundState::parse),
                value(Knob.VFIO_ON_HOST_EVENT, t, HostEventPolicy::parse),
                value(Knob.VMM_CONFIG_TRAP, t, Tokens::parseOnOff),
                value(Knob.VMM_BOUND_STATE, t, VmmBoundState::parse),
                value(Knob.IOMMUFD_DESTROY_ORDER, t, DestroyOrder::parse),
                value(Knob.VFIO_LAST_CLOSE, t, LastClose::parse),
                value(Knob.VFIO_DMABUF_CLEANUP, t, DmaBufCleanup::parse),
                value(Knob.GUEST_REQUEST_UAPI, t, GuestRequestUapi::parse),
                value(Knob.BIND_TRIGGER, t, BindTrigger::parse),
                value(Knob.BIND_LOCK, t, BindLock::parse),
                value(Knob.DEVICE_NO_SOFT_RESET, t, v -> reading(Knob.DEVICE_NO_SOFT_RESET, v, "1")),
                value(Knob.KVM_CCA_DMA_BUF_REVOKE, t, v -> reading(Knob.KVM_CCA_DMA_BUF_REVOKE, v, "unmaps")),
                value(Knob.KVM_SNP_DESTROY_MMIO_RMP, t, v -> reading(Knob.KVM_SNP_DESTROY_MMIO_RMP, v, "kept")),
                value(Knob.KVM_SNP_RMP_UPDATE, t, v -> reading(Knob.KVM_SNP_RMP_UPDATE, v, "unchecked")),
                value(Knob.SEV_SECURE_VIOMMU, t, v -> reading(Knob.SEV_SECURE_VIOMMU, v, "on")));
    }

    /** A two-reading knob's token as a boolean: true for {@code yes}, false for the other allowed token. */
    private static boolean reading(Knob k, String v, String yes) {
        if (!k.allowed().contains(v)) throw new StrategyException("'" + v + "' is not one of " + k.allowedText());
        return yes.equals(v);
    }

    private static <T> T value(Knob k, Map<Knob, String> t, java.util.function.Function<String, T> parse) {
        return parseValue(k, t.get(k), parse);
    }

    private static <T> T parseValue(Knob k, String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (StrategyException e) {
            throw new StrategyException(k.key() + ": " + e.getMessage());
        }
    }

    /**
     * A copy with one knob set from its token. Unknown key: {@code unknown key 'foo' (known:
     * bind.entry, ...)}; bad value: {@code bind.entry: 'kvmm' is not one of kvm|iommufd|vfio}.
     *
     * <p>Setting {@code guest-request.entry} also moves each per-message entry
     * ({@code guest-request.sdte-write.entry}, {@code guest-request.mmio-validate.entry})
     * that currently equals the old {@code guest-request.entry}: such a knob follows the
     * general entry, as it does when a descriptor leaves it out. A per-message entry that
     * differs (a split) stays. Set the per-message knob after to override it.
     */
    public Knobs with(String key, String value) {
        Knob k = Knob.byKey(key);
        Map<Knob, String> t = tokens();
        if (k == Knob.GUEST_REQUEST_ENTRY) {
            Entry e = parseValue(k, value, Entry::parse);
            if (sdteWriteEntry == guestRequestEntry) t.put(Knob.SDTE_WRITE_ENTRY, e.token());
            if (mmioValidateEntry == guestRequestEntry) t.put(Knob.MMIO_VALIDATE_ENTRY, e.token());
        }
        t.put(k, value);
        return of(t);
    }

    /** The token form of one knob's value. */
    public String get(Knob k) {
        return switch (k) {
            case BIND_ENTRY -> bindEntry.token();
            case GUEST_REQUEST_ENTRY -> guestRequestEntry.token();
            case SDTE_WRITE_ENTRY -> sdteWriteEntry.token();
            case MMIO_VALIDATE_ENTRY -> mmioValidateEntry.token();
            case VFIO_BOUND_STATE -> vfioBoundState.token();
            case VFIO_ON_HOST_EVENT -> vfioOnHostEvent.token();
            case VMM_CONFIG_TRAP -> Tokens.onOff(vmmConfigTrap);
            case VMM_BOUND_STATE -> vmmBoundState.token();
            case VFIO_DMABUF_CLEANUP -> vfioDmaBufCleanup.token();
            case IOMMUFD_DESTROY_ORDER -> iommufdDestroyOrder.token();
            case VFIO_LAST_CLOSE -> vfioLastClose.token();
            case GUEST_REQUEST_UAPI -> guestRequestUapi.token();
            case BIND_TRIGGER -> bindTrigger.token();
            case BIND_LOCK -> bindLock.token();
            case DEVICE_NO_SOFT_RESET -> deviceNoSoftReset ? "1" : "0";
            case KVM_CCA_DMA_BUF_REVOKE -> ccaRevokeUnmaps ? "unmaps" : "misses";
            case KVM_SNP_DESTROY_MMIO_RMP -> snpDestroyKeepsMmioRmp ? "kept" : "reverted";
            case KVM_SNP_RMP_UPDATE -> snpRmpUpdateUnchecked ? "unchecked" : "bound-only";
            case SEV_SECURE_VIOMMU -> Tokens.onOff(sevSecureViommu);
        };
    }

    /**
     * Enforces the cross-knob rules; throws {@link StrategyException} with a message
     * naming the knobs (no file: callers add their context).
     * <ul>
     * <li>{@code vfio.on-host-event} other than {@code none} requires {@code vfio.bound-state}
     * other than {@code none}: VFIO cannot act on a state it does not know.</li>
     * <li>{@code bind.entry=vfio} requires {@code vfio.bound-state=owned}: the VFIO ioctl
     * route keeps the bound state in VFIO.</li>
     * <li>{@code bind.trigger=vdevice-alloc} requires {@code bind.entry=iommufd}: only
     * iommufd allocates vDEVICEs.</li>
     * </ul>
     */
    public void validate() {
        if (vfioOnHostEvent != HostEventPolicy.NONE && vfioBoundState == BoundState.NONE) {
            throw new StrategyException("vfio.on-host-event=" + vfioOnHostEvent.token()
                    + " requires vfio.bound-state other than none (VFIO cannot act on a state it does not know)");
        }
        if (bindEntry == Entry.VFIO && vfioBoundState != BoundState.OWNED) {
            throw new StrategyException("bind.entry=vfio requires vfio.bound-state=owned, not "
                    + vfioBoundState.token() + " (the VFIO bind ioctl keeps the bound state in VFIO)");
        }
        if (bindTrigger == BindTrigger.VDEVICE_ALLOC && bindEntry != Entry.IOMMUFD) {
            throw new StrategyException("bind.trigger=vdevice-alloc requires bind.entry=iommufd, not "
                    + bindEntry.token() + " (only iommufd's IOMMU_VDEVICE_ALLOC can bind)");
        }
    }

    /**
     * Canonical {@code key=value;key=value} in {@link Knob} order: every design knob, and an
     * assumption's reading or a platform feature only when it is not the default one (so a run on the default
     * readings describes as it did before those knobs existed).
     */
    public String describe() {
        StringJoiner j = new StringJoiner(";");
        for (Knob k : Knob.values()) {
            if (k.omittedAtDefault() && k.defaultToken().orElseThrow().equals(get(k))) continue;
            j.add(k.key() + "=" + get(k));
        }
        return j.toString();
    }

    // ---- the sections each component reads (KnobSection) ----

    /** {@code bind.*}. */
    public KnobSection.Bind bind() { return new KnobSection.Bind(bindEntry, bindTrigger, bindLock); }

    /** {@code guest-request.*}. */
    public KnobSection.GuestRequest guestRequest() {
        return new KnobSection.GuestRequest(guestRequestEntry, sdteWriteEntry, mmioValidateEntry, guestRequestUapi);
    }

    /** {@code vfio.*}. */
    public KnobSection.Vfio vfio() { return new KnobSection.Vfio(vfioBoundState, vfioOnHostEvent, vfioLastClose, vfioDmaBufCleanup); }

    /** {@code vmm.*}. */
    public KnobSection.Vmm vmm() { return new KnobSection.Vmm(vmmConfigTrap, vmmBoundState); }

    /** {@code iommufd.*}. */
    public KnobSection.Iommufd iommufd() { return new KnobSection.Iommufd(iommufdDestroyOrder); }

    /** {@code device.*}. */
    public KnobSection.Device device() { return new KnobSection.Device(deviceNoSoftReset); }

    /** {@code kvm.*}. */
    public KnobSection.Kvm kvm() { return new KnobSection.Kvm(ccaRevokeUnmaps, snpDestroyKeepsMmioRmp, snpRmpUpdateUnchecked); }

    /** {@code sev.*}. */
    public KnobSection.Sev sev() { return new KnobSection.Sev(sevSecureViommu); }

    /** The token form of every knob, in {@link Knob} order. */
    public Map<Knob, String> tokens() {
        Map<Knob, String> m = new EnumMap<>(Knob.class);
        for (Knob k : Knob.values()) m.put(k, get(k));
        return m;
    }
}
