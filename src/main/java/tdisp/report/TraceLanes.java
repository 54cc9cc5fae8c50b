package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.report.chart.SequenceDiagram;

/**
 * Which actor of the stack an event of a trace belongs to, for the sequence diagrams: the
 * guest, KVM, the VMM, iommufd, VFIO, pci_tsm (the TSM core and the platform's TSM driver
 * under it), the firmware (TSM, RMM or TDX module, and the tables it owns) and the device
 * (its DOE mailbox, TDISP state and config space). The rules read the event's first name
 * the way the trace prints it; an event they do not name (a copy, a note) stays in the
 * lane of the event before it, where its caller runs.
 */
public final class TraceLanes {
    public static final List<String> LANES = List.of("guest", "KVM", "VMM", "iommufd", "VFIO", "pci_tsm", "firmware", "device");
    static final int GUEST = 0, KVM = 1, VMM = 2, IOMMUFD = 3, VFIO = 4, PCI_TSM = 5, FIRMWARE = 6, DEVICE = 7;
    /** Keep the lane of the event before. */
    static final int SAME = -1;

    private static final Pattern LINE = Pattern.compile("^\\s*(-?[0-9.]+) us \\[([^\\]]*)\\] (.*)$");
    private static final Pattern LOCK = Pattern.compile("^(mutex_lock|mutex_unlock|down_read|up_read|down_write|up_write|spin_lock|spin_unlock)\\((.*)\\)$");

    /** Prefix rules, first match wins; each names where the code or state it prints lives. */
    private static final Object[][] RULES = {
        {"guest:", GUEST},
        {"fw ", FIRMWARE}, {"RMM:", FIRMWARE}, {"secure_entry[", FIRMWARE},
        {"VM exit:", KVM},
        {"exit to VMM:", VMM},
        {"pci_doe:", DEVICE}, {"TDI ", DEVICE}, {"device:", DEVICE}, {"PCI_COMMAND", DEVICE}, {"pci_clear_master", DEVICE},
        {"__pci_reset_function", DEVICE}, {"pci_try_reset_function", DEVICE}, {"pci_restore_state", DEVICE},
        {"pci_write_config", DEVICE},
        {"IOMMU:", IOMMUFD}, {"dte[", IOMMUFD}, {"iommufd", IOMMUFD}, {"igroup->", IOMMUFD},
        {"vfio", VFIO}, {"pwrite(vfio", VFIO}, {"ops->close_device", VFIO}, {"dev_set->", VFIO}, {"vdev->memory_lock", VFIO},
        {"pci_request_regions", VFIO},
        {"pci_tsm", PCI_TSM}, {"tsm_", PCI_TSM}, {"pci_tdi[", PCI_TSM}, {"tdx-host:", PCI_TSM}, {"sev_tio:", PCI_TSM},
        {"arm-cca-host:", PCI_TSM}, {"rmi_vdev", PCI_TSM}, {"dsm_", PCI_TSM}, {"tdx_spdm_lock", PCI_TSM}, {"tdx_tsm", PCI_TSM},
        {"sev_cmd_mutex", PCI_TSM},
        {"kvm", KVM}, {"KVM", KVM}, {"tdx_", KVM}, {"svm_", KVM}, {"handle_rec_exit", KVM}, {"rec_exit", KVM},
        {"realm_", KVM}, {"snp_", KVM}, {"rmp", KVM},
        {"qemu: ioctl(iommufd", IOMMUFD}, {"qemu: ioctl(vfio", VFIO}, {"qemu: ioctl(v", KVM}, {"qemu:", VMM},
        {"ioctl(iommufd", IOMMUFD}, {"ioctl(vfio", VFIO}, {"ioctl(v", KVM}, {"ioctl(kvm", KVM},
    };

    private TraceLanes() {}

    /** The lane of an event's text (without time and thread), or {@link #SAME}. */
    static int lane(String text) {
        String t = text.strip();
        Matcher lock = LOCK.matcher(t);
        if (lock.matches()) t = lock.group(2);
        for (Object[] r : RULES) if (t.startsWith((String) r[0])) return (Integer) r[1];
        return SAME;
    }

    /** A trace's event lines (as ScenarioRunner prints them) as diagram rows; other lines are skipped. */
    public static List<SequenceDiagram.Row> rows(List<String> trace) {
        List<SequenceDiagram.Row> rows = new ArrayList<>();
        java.util.Map<String, Integer> prev = new java.util.HashMap<>();
        for (String line : trace) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String text = m.group(3).strip(), thread = m.group(2).strip();
            boolean bad = text.startsWith("!! ");
            int l = bad ? SAME : lane(text);
            // an unnamed event runs where its own thread last was (a guest vCPU starts in the guest, the rest in the VMM)
            int lane = l == SAME ? prev.getOrDefault(thread, thread.startsWith("guest") ? GUEST : VMM) : l;
            rows.add(new SequenceDiagram.Row(m.group(1), thread, lane, text, bad));
            prev.put(thread, lane);
        }
        return rows;
    }

    /**
     * The part of a trace worth a picture: from the action that led to the first violation
     * (the last guest or VMM action before it) to {@code after} events past it, or a few
     * past the last violation when that is later (at most 90 rows); the whole
     * trace's last {@code after} events when nothing was violated.
     */
    public static List<SequenceDiagram.Row> window(List<SequenceDiagram.Row> rows, int before, int after) {
        int v = -1;
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).violation()) { v = i; break; }
        if (v < 0) return rows.subList(Math.max(0, rows.size() - after), rows.size());
        int start = Math.max(0, v - before);
        for (int i = v; i >= Math.max(0, v - before); i--) {
            String t = rows.get(i).text();
            if (t.startsWith("qemu:") || t.startsWith("guest:")) { start = i; break; }
        }
        int lastBad = v;
        for (int i = v; i < rows.size(); i++) if (rows.get(i).violation()) lastBad = i;
        int end = Math.min(rows.size(), Math.max(v + after + 1, lastBad + 4));
        return rows.subList(start, Math.min(end, start + 90));
    }
}
