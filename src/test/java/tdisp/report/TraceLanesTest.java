package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.report.chart.SequenceDiagram;
import tdisp.sim.Event;
import tdisp.sim.LockMode;
import tdisp.sim.Trace;

/** The lane of a trace record comes from its type, and for named events from its own name field, not from its printed text. */
class TraceLanesTest {
    private static String lane(Event e) {
        List<SequenceDiagram.Row> rows = TraceLanes.rows(List.of(new Trace.Entry(1_500, "qemu", e)));
        return TraceLanes.LANES.get(rows.get(0).lane());
    }

    @Test
    void kindsWithALaneOfTheirOwnIgnoreTheirText() {
        // texts that would name another lane if the printed line were read by prefix
        assertEquals("firmware", lane(new Event.Firmware(0, "guest: iommufd_vdevice_alloc", "vfio")));
        assertEquals("device", lane(new Event.Doe(0, "qemu: KVM", "pci_tsm")));
        assertEquals("KVM", lane(new Event.Exit(0, Event.ExitKind.VM, "guest: pci_tsm_accept")));
        assertEquals("VMM", lane(new Event.Exit(0, Event.ExitKind.USER, "iommufd")));
        assertEquals("KVM", lane(new Event.Copy(0, Event.CopyKind.READ_GUEST, "pci_tsm request", 48)));
    }

    @Test
    void namedEventsAreReadByTheirOwnName() {
        assertEquals("pci_tsm", lane(new Event.Call(0, "pci_tsm_bind(dev0)")));
        assertEquals("VFIO", lane(new Event.Lock(0, "vdev->memory_lock", LockMode.WRITE, true)));
        assertEquals("iommufd", lane(new Event.Ioctl(0, "iommufd", "IOMMU_VDEVICE_TSM_OP(BIND)")));
        assertEquals("VFIO", lane(new Event.Ioctl(0, "vfio", "VFIO_DEVICE_TSM_BIND")));
        assertEquals("KVM", lane(new Event.Ioctl(0, "vm", "KVM_SET_USER_MEMORY_REGION2")), "an ioctl on the VM fd is KVM's");
        assertEquals("device", lane(new Event.StateChange(0, "TDI 0", "LOCKED", "RUN")));
        assertEquals("iommufd", lane(new Event.Ret(0, "iommufd_vdevice_tsm_op", -22)));
        assertEquals(TraceLanes.SAME, TraceLanes.lane(new Event.Call(0, "no_rule_names_this()")));
    }

    @Test
    void anEventNoRuleNamesStaysWhereItsThreadWas() {
        List<SequenceDiagram.Row> rows = TraceLanes.rows(List.of(
                new Trace.Entry(1_000, "admin0", new Event.Call(0, "pci_tsm_bind(dev0)")),
                new Trace.Entry(2_000, "admin0", new Event.Copy(0, Event.CopyKind.FROM_USER, "fw request", 16)),
                new Trace.Entry(3_000, "admin0", new Event.Violation(0, "I1", "TDI 0 in RUN after the unbind")),
                new Trace.Entry(4_000, "guest0", new Event.Note(0, "[assumption] not a lane")),
                new Trace.Entry(4_500, "qemu", new Event.Assumed(0, tdisp.sim.Assumption.values()[0]))));
        assertEquals(List.of("pci_tsm", "pci_tsm", "pci_tsm", "guest", "VMM"), rows.stream().map(r -> TraceLanes.LANES.get(r.lane())).toList());
        assertEquals(List.of(false, false, true, false, false), rows.stream().map(SequenceDiagram.Row::violation).toList());
        assertTrue(rows.get(1).text().startsWith("copy_from_user: fw request"), "the row shows the trace's text, trimmed: " + rows.get(1).text());
        assertEquals("2.000", rows.get(1).time());
        assertEquals("admin0", rows.get(1).thread());
    }

    @Test
    void aNoteIsReadByItsTextAsBefore() {
        // a note is free text: its text is its name (a note naming the device's config space is the device's)
        assertEquals("device", lane(new Event.Note(0, "PCI_COMMAND: memory decode off")));
    }
}
