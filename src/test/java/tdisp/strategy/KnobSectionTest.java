package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Issue 23.4: each component reads its own section of the knobs. The sections cover every
 * knob exactly once, grouped by key prefix, and each shows the value its knob holds.
 */
class KnobSectionTest {
    /** Every knob of a strategy that sets them all away from their defaults where it can. */
    private static final Knobs K = KnobsTest.V5.with("bind.trigger", "vdevice-alloc").with("bind.lock", "guest-request")
            .with("guest-request.sdte-write.entry", "kvm").with("guest-request.uapi", "v7").with("vmm.config-trap", "on")
            .with("device.no-soft-reset", "1").with("kvm.cca-dma-buf-revoke", "misses").with("sev.secure-viommu", "on");

    @Test
    void theSectionsCoverEveryKnobOnceByKeyPrefix() {
        Map<String, Integer> perPrefix = new TreeMap<>();
        for (Knob k : Knob.values()) perPrefix.merge(k.key().substring(0, k.key().indexOf('.')), 1, Integer::sum);
        Map<String, Integer> perSection = new TreeMap<>();
        for (Class<?> c : KnobSection.class.getPermittedSubclasses()) {
            String prefix = c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
            perSection.put(prefix, c.getRecordComponents().length);
        }
        assertEquals(perPrefix, perSection);
    }

    @Test
    void eachSectionShowsItsKnobsValues() {
        assertEquals(new KnobSection.Bind(Entry.IOMMUFD, BindTrigger.VDEVICE_ALLOC, BindLock.GUEST_REQUEST), K.bind());
        assertEquals(new KnobSection.GuestRequest(Entry.IOMMUFD, Entry.KVM, Entry.IOMMUFD, GuestRequestUapi.V7), K.guestRequest());
        assertEquals(new KnobSection.Vfio(K.vfioBoundState(), K.vfioOnHostEvent(), K.vfioLastClose(), K.vfioDmaBufCleanup()), K.vfio());
        assertEquals(new KnobSection.Vmm(true, K.vmmBoundState()), K.vmm());
        assertEquals(new KnobSection.Iommufd(K.iommufdDestroyOrder()), K.iommufd());
        assertEquals(new KnobSection.Device(true), K.device());
        assertEquals(new KnobSection.Kvm(false, true, true), K.kvm());
        assertEquals(new KnobSection.Sev(true), K.sev());
        List<Boolean> derived = new ArrayList<>(List.of(K.bind().atVdeviceAlloc(), K.bind().guestLocks()));
        assertEquals(List.of(true, true), derived);
    }
}
