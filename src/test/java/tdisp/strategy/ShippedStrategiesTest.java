package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The real {@code strategies/} directory of the project. */
class ShippedStrategiesTest {
    private static final Path DIR = Path.of("strategies");

    private static StrategyCatalog catalog() {
        return StrategyCatalog.load(DIR);
    }

    @Test
    void shipsTheSixAlternativesSortedById() {
        assertEquals(List.of("iommufd-rfc-v2", "iommufd-typed-op", "iommufd-v5", "kvm-direct", "split-sdte-mmio", "vfio-ioctl"),
                catalog().all().stream().map(Strategy::id).toList());
    }

    @Test
    void kvmDirect() {
        Strategy s = catalog().get("kvm-direct");
        assertEquals(new Knobs(Entry.KVM, Entry.KVM, Entry.KVM, Entry.KVM, BoundState.NONE, HostEventPolicy.NONE,
                true, DestroyOrder.VDEVICE_FIRST, LastClose.CLOSE_DEVICE_FIRST), s.knobs());
        assertEquals(DIR.resolve("kvm-direct.desc"), s.file());
        assertTrue(s.sources().contains("20250218111017.491719-1-aik@amd.com"), s.sources().toString());
    }

    @Test
    void iommufdRfcV2() {
        Strategy s = catalog().get("iommufd-rfc-v2");
        assertEquals(new Knobs(Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, BoundState.NONE,
                HostEventPolicy.NONE, true, DestroyOrder.LEGACY, LastClose.CLOSE_DEVICE_FIRST), s.knobs());
        assertEquals(List.of("20250218111017.491719-1-aik@amd.com",
                "drivers/iommu/iommufd/viommu.c (vDEVICE objects; pre-6.17 destroy order)"), s.sources());
    }

    @Test
    void splitSdteMmio() {
        Strategy s = catalog().get("split-sdte-mmio");
        assertEquals(new Knobs(Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, Entry.VFIO, BoundState.NOTIFIED,
                HostEventPolicy.NONE, true, DestroyOrder.VDEVICE_FIRST, LastClose.CLOSE_DEVICE_FIRST), s.knobs());
        assertTrue(s.sources().contains("20250715130949.GM2067380@nvidia.com"));
    }

    @Test
    void vfioIoctl() {
        Strategy s = catalog().get("vfio-ioctl");
        assertEquals(new Knobs(Entry.VFIO, Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, BoundState.OWNED,
                HostEventPolicy.UNBIND_FIRST, true, DestroyOrder.VDEVICE_FIRST, LastClose.CLOSE_DEVICE_FIRST), s.knobs());
        assertTrue(s.sources().contains("20250529053513.1592088-1-yilun.xu@linux.intel.com"));
    }

    @Test
    void iommufdV5() {
        Strategy s = catalog().get("iommufd-v5");
        assertEquals("bind.entry=iommufd;guest-request.entry=iommufd;guest-request.sdte-write.entry=iommufd;"
                + "guest-request.mmio-validate.entry=iommufd;vfio.bound-state=none;vfio.on-host-event=none;"
                + "vmm.config-trap=on;vmm.bound-state=carried;iommufd.destroy-order=vdevice-first;vfio.last-close=close-device-first;"
                + "vfio.dma-buf-cleanup=before-disable;guest-request.uapi=scope",
                s.knobs().describe());
        assertEquals("20260525154816.1029642-1-aneesh.kumar@kernel.org", s.sources().get(0));
        // the proposed fix is one override away
        assertEquals(LastClose.UNBIND_FIRST,
                s.withOverrides(List.of("vfio.last-close=unbind-first")).knobs().vfioLastClose());
    }

    @Test
    void everyShippedStrategyHasDistinctKnobs() {
        List<String> described = catalog().all().stream().map(s -> s.knobs().describe()).toList();
        assertEquals(described.size(), described.stream().distinct().count(), described.toString());
    }

    /** The brief for the files: each knob choice explained in a comment line right above it. */
    @Test
    void everyKnobLineIsExplainedByTheCommentAboveIt() throws IOException {
        for (Strategy s : catalog().all()) {
            List<String> lines = Files.readAllLines(s.file(), StandardCharsets.UTF_8);
            int knobLines = 0;
            for (int i = 0; i < lines.size(); i++) {
                String key = lines.get(i).split("=", 2)[0].strip();
                if (Knob.find(key).isEmpty()) continue;
                knobLines++;
                assertTrue(i > 0 && lines.get(i - 1).strip().startsWith("#"),
                        s.file() + ":" + (i + 1) + ": knob without an explaining comment above it");
            }
            assertTrue(knobLines >= 7, s.file() + " sets only " + knobLines + " knobs");
        }
    }

    @Test
    void readmeDocumentsEveryKnobAndValue() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"), StandardCharsets.UTF_8);
        for (Knob k : Knob.values()) {
            assertTrue(readme.contains("`" + k.key() + "`"), "README misses knob " + k.key());
            for (String v : k.allowed()) assertTrue(readme.contains("`" + v + "`"), "README misses value " + v);
        }
        assertTrue(readme.contains("--set"));
        assertFalse(readme.isBlank());
    }
}
