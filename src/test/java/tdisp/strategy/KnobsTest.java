package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KnobsTest {
    static final Knobs V5 = new Knobs(Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, BoundState.NONE,
            HostEventPolicy.NONE, true, DestroyOrder.VDEVICE_FIRST, LastClose.CLOSE_DEVICE_FIRST);

    @Test
    void tokensRoundTrip() {
        for (Entry e : Entry.values()) assertEquals(e, Entry.parse(e.token()));
        for (BoundState e : BoundState.values()) assertEquals(e, BoundState.parse(e.token()));
        for (HostEventPolicy e : HostEventPolicy.values()) assertEquals(e, HostEventPolicy.parse(e.token()));
        for (DestroyOrder e : DestroyOrder.values()) assertEquals(e, DestroyOrder.parse(e.token()));
        for (LastClose e : LastClose.values()) assertEquals(e, LastClose.parse(e.token()));
        assertEquals("unbind-first", HostEventPolicy.UNBIND_FIRST.token());
        assertEquals("close-device-first", LastClose.CLOSE_DEVICE_FIRST.token());
        assertEquals("vdevice-first", DestroyOrder.VDEVICE_FIRST.token());
    }

    @Test
    void enumParseRejectsNamesAndCase() {
        assertEquals("'UNBIND_FIRST' is not one of none|unbind-first|refuse",
                assertThrows(StrategyException.class, () -> HostEventPolicy.parse("UNBIND_FIRST")).getMessage());
        assertEquals("'Kvm' is not one of kvm|iommufd|vfio",
                assertThrows(StrategyException.class, () -> Entry.parse("Kvm")).getMessage());
        assertThrows(StrategyException.class, () -> LastClose.parse(null));
    }

    @Test
    void knobTable() {
        assertEquals(List.of("bind.entry", "guest-request.entry", "guest-request.sdte-write.entry",
                "guest-request.mmio-validate.entry", "vfio.bound-state", "vfio.on-host-event", "vmm.config-trap",
                "vmm.bound-state", "iommufd.destroy-order", "vfio.last-close", "vfio.dma-buf-cleanup", "guest-request.uapi", "bind.trigger", "bind.lock",
                "device.no-soft-reset", "kvm.cca-dma-buf-revoke", "kvm.snp-destroy-mmio-rmp", "kvm.snp-rmp-update", "sev.secure-viommu"), List.of(Knob.values()).stream().map(Knob::key).toList());
        assertEquals(List.of("on", "off"), Knob.VMM_CONFIG_TRAP.allowed());
        assertEquals("none|notified|owned", Knob.VFIO_BOUND_STATE.allowedText());
        assertEquals("vdevice-first|legacy", Knob.IOMMUFD_DESTROY_ORDER.allowedText());
        for (Knob k : Knob.values()) assertFalse(k.description().isBlank(), k.key());
        assertFalse(Knob.SDTE_WRITE_ENTRY.required());
        assertFalse(Knob.MMIO_VALIDATE_ENTRY.required());
        assertTrue(Knob.GUEST_REQUEST_ENTRY.required());
        assertEquals(Knob.GUEST_REQUEST_ENTRY, Knob.MMIO_VALIDATE_ENTRY.defaultsTo().orElseThrow());
        assertEquals(Knob.VFIO_LAST_CLOSE, Knob.byKey("vfio.last-close"));
    }

    @Test
    void getGivesTokens() {
        Knobs k = V5.with("vmm.config-trap", "off").with("vfio.bound-state", "notified");
        assertEquals("off", k.get(Knob.VMM_CONFIG_TRAP));
        assertEquals("notified", k.get(Knob.VFIO_BOUND_STATE));
        assertEquals("iommufd", k.get(Knob.BIND_ENTRY));
        assertEquals("close-device-first", k.get(Knob.VFIO_LAST_CLOSE));
        for (Knob kn : Knob.values()) assertTrue(kn.allowed().contains(k.get(kn)), kn.key());
    }

    @Test
    void withReturnsANewValueAndLeavesTheOriginal() {
        Knobs k = V5.with("vfio.last-close", "unbind-first");
        assertNotSame(V5, k);
        assertEquals(LastClose.UNBIND_FIRST, k.vfioLastClose());
        assertEquals(LastClose.CLOSE_DEVICE_FIRST, V5.vfioLastClose());
        assertEquals(V5, k.with("vfio.last-close", "close-device-first"));
    }

    @Test
    void withEveryKnob() {
        Knobs k = V5;
        k = k.with("bind.entry", "vfio");
        k = k.with("guest-request.entry", "kvm");
        k = k.with("guest-request.sdte-write.entry", "iommufd");
        k = k.with("guest-request.mmio-validate.entry", "vfio");
        k = k.with("vfio.bound-state", "owned");
        k = k.with("vfio.on-host-event", "refuse");
        k = k.with("vmm.config-trap", "off");
        k = k.with("iommufd.destroy-order", "legacy");
        k = k.with("vfio.last-close", "unbind-first");
        assertEquals(new Knobs(Entry.VFIO, Entry.KVM, Entry.IOMMUFD, Entry.VFIO, BoundState.OWNED,
                HostEventPolicy.REFUSE, false, DestroyOrder.LEGACY, LastClose.UNBIND_FIRST), k);
    }

    @Test
    void settingGuestRequestEntryMovesOnlyPerMessageEntriesThatFollowedIt() {
        Knobs split = V5.with("guest-request.mmio-validate.entry", "vfio");
        Knobs k = split.with("guest-request.entry", "kvm");
        assertEquals(Entry.KVM, k.guestRequestEntry());
        assertEquals(Entry.KVM, k.sdteWriteEntry());      // followed (was equal)
        assertEquals(Entry.VFIO, k.mmioValidateEntry());  // split: stays
    }

    @Test
    void withUnknownKeyOrBadValue() {
        assertEquals("unknown key 'foo' (known: bind.entry, guest-request.entry, guest-request.sdte-write.entry, "
                + "guest-request.mmio-validate.entry, vfio.bound-state, vfio.on-host-event, vmm.config-trap, "
                + "vmm.bound-state, iommufd.destroy-order, vfio.last-close, vfio.dma-buf-cleanup, guest-request.uapi, bind.trigger, bind.lock, device.no-soft-reset, kvm.cca-dma-buf-revoke, kvm.snp-destroy-mmio-rmp, kvm.snp-rmp-update, sev.secure-viommu)",
                assertThrows(StrategyException.class, () -> V5.with("foo", "1")).getMessage());
        assertEquals("bind.entry: 'kvmm' is not one of kvm|iommufd|vfio",
                assertThrows(StrategyException.class, () -> V5.with("bind.entry", "kvmm")).getMessage());
        assertEquals("vmm.config-trap: 'true' is not one of on|off",
                assertThrows(StrategyException.class, () -> V5.with("vmm.config-trap", "true")).getMessage());
        assertThrows(StrategyException.class, () -> V5.with("id", "x")); // header keys are not knobs
    }

    @Test
    void describeIsCanonical() {
        assertEquals("bind.entry=kvm;guest-request.entry=iommufd;guest-request.sdte-write.entry=iommufd;"
                + "guest-request.mmio-validate.entry=vfio;vfio.bound-state=notified;vfio.on-host-event=unbind-first;"
                + "vmm.config-trap=off;vmm.bound-state=carried;iommufd.destroy-order=legacy;vfio.last-close=unbind-first;"
                + "vfio.dma-buf-cleanup=before-disable;guest-request.uapi=scope;bind.trigger=explicit-op;bind.lock=host-bind",
                new Knobs(Entry.KVM, Entry.IOMMUFD, Entry.IOMMUFD, Entry.VFIO, BoundState.NOTIFIED,
                        HostEventPolicy.UNBIND_FIRST, false, DestroyOrder.LEGACY, LastClose.UNBIND_FIRST).describe());
    }

    @Test
    void ofAppliesDefaultsAndRoundTripsTokens() {
        Map<Knob, String> t = new EnumMap<>(V5.tokens());
        t.remove(Knob.SDTE_WRITE_ENTRY);
        t.remove(Knob.MMIO_VALIDATE_ENTRY);
        t.put(Knob.GUEST_REQUEST_ENTRY, "vfio");
        Knobs k = Knobs.of(t);
        assertEquals(Entry.VFIO, k.sdteWriteEntry());
        assertEquals(Entry.VFIO, k.mmioValidateEntry());
        assertEquals(V5, Knobs.of(V5.tokens()));
    }

    // ---- cross-knob rules

    @Test
    void hostEventPolicyNeedsBoundState() {
        for (String policy : List.of("unbind-first", "refuse")) {
            Knobs k = V5.with("vfio.on-host-event", policy);
            assertEquals("vfio.on-host-event=" + policy + " requires vfio.bound-state other than none"
                    + " (VFIO cannot act on a state it does not know)",
                    assertThrows(StrategyException.class, k::validate).getMessage());
            assertDoesNotThrow(() -> k.with("vfio.bound-state", "notified").validate());
            assertDoesNotThrow(() -> k.with("vfio.bound-state", "owned").validate());
        }
        assertDoesNotThrow(V5::validate);
    }

    @Test
    void vfioBindNeedsOwnedBoundState() {
        Knobs k = V5.with("bind.entry", "vfio");
        assertEquals("bind.entry=vfio requires vfio.bound-state=owned, not none"
                + " (the VFIO bind ioctl keeps the bound state in VFIO)",
                assertThrows(StrategyException.class, k::validate).getMessage());
        assertThrows(StrategyException.class, k.with("vfio.bound-state", "notified")::validate);
        assertDoesNotThrow(() -> k.with("vfio.bound-state", "owned").validate());
    }

    @Test
    void deliberatelyBadButLegalCombinationsValidate() {
        // the harness needs broken configurations for non-vacuity checks
        assertDoesNotThrow(() -> V5.with("iommufd.destroy-order", "legacy").with("vmm.config-trap", "off").validate());
        assertDoesNotThrow(() -> V5.with("guest-request.mmio-validate.entry", "vfio").validate());
    }
}
