package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tdisp.platform.Platforms;
import tdisp.report.chart.SequenceDiagram;
import tdisp.sim.Lane;

/**
 * Which actor of the stack an event of a trace belongs to, for the sequence diagrams: the
 * guest, KVM, the VMM, iommufd, VFIO, pci_tsm (the TSM core and the platform's TSM driver
 * under it), the firmware (TSM, RMM or TDX module, and the tables it owns) and the device
 * (its DOE mailbox, TDISP state and config space): {@link Lane}. The rules read the event's first name
 * the way the trace prints it; an event they do not name (a copy, a note) stays in the
 * lane of the event before it, where its caller runs.
 */
public final class TraceLanes {
    public static final List<String> LANES = Lane.labels();
    /** Keep the lane of the event before. */
    static final int SAME = -1;

    private static final Pattern LINE = Pattern.compile("^\\s*(-?[0-9.]+) us \\[([^\\]]*)\\] (.*)$");
    private static final Pattern LOCK = Pattern.compile("^(mutex_lock|mutex_unlock|down_read|up_read|down_write|up_write|spin_lock|spin_unlock)\\((.*)\\)$");

    /**
     * Prefix rules of the stack every platform shares, first match wins; each names where the
     * code or state it prints lives. The names of a platform's own TSM driver, KVM part and
     * firmware are its own rules (Platform.traceLanes()), tried after these: no prefix of one
     * is a prefix of another's, so the order between the two lists does not matter.
     */
    private static final List<Lane.Rule> COMMON = List.of(
        rule("guest:", Lane.GUEST),
        rule("fw ", Lane.FIRMWARE), rule("secure_entry[", Lane.FIRMWARE),
        rule("VM exit:", Lane.KVM),
        rule("exit to VMM:", Lane.VMM),
        rule("pci_doe:", Lane.DEVICE), rule("TDI ", Lane.DEVICE), rule("device:", Lane.DEVICE), rule("PCI_COMMAND", Lane.DEVICE),
        rule("pci_clear_master", Lane.DEVICE), rule("__pci_reset_function", Lane.DEVICE), rule("pci_try_reset_function", Lane.DEVICE),
        rule("pci_restore_state", Lane.DEVICE), rule("pci_write_config", Lane.DEVICE),
        rule("IOMMU:", Lane.IOMMUFD), rule("dte[", Lane.IOMMUFD), rule("iommufd", Lane.IOMMUFD), rule("igroup->", Lane.IOMMUFD),
        rule("vfio", Lane.VFIO), rule("pwrite(vfio", Lane.VFIO), rule("ops->close_device", Lane.VFIO), rule("dev_set->", Lane.VFIO),
        rule("vdev->memory_lock", Lane.VFIO), rule("pci_request_regions", Lane.VFIO),
        rule("pci_tsm", Lane.PCI_TSM), rule("tsm_", Lane.PCI_TSM), rule("pci_tdi[", Lane.PCI_TSM), rule("dsm_", Lane.PCI_TSM),
        rule("kvm", Lane.KVM), rule("KVM", Lane.KVM),
        rule("qemu: ioctl(iommufd", Lane.IOMMUFD), rule("qemu: ioctl(vfio", Lane.VFIO), rule("qemu: ioctl(v", Lane.KVM), rule("qemu:", Lane.VMM),
        rule("ioctl(iommufd", Lane.IOMMUFD), rule("ioctl(vfio", Lane.VFIO), rule("ioctl(v", Lane.KVM), rule("ioctl(kvm", Lane.KVM));

    private static Lane.Rule rule(String prefix, Lane lane) { return new Lane.Rule(prefix, lane); }

    private TraceLanes() {}

    /** The common rules, then every registered platform's. */
    static List<Lane.Rule> rules() {
        List<Lane.Rule> all = new ArrayList<>(COMMON);
        all.addAll(Platforms.traceLanes());
        return all;
    }

    /** The lane of an event's text (without time and thread), or {@link #SAME}. */
    static int lane(String text) { return lane(text, rules()); }

    static int lane(String text, List<Lane.Rule> rules) {
        String t = text.strip();
        Matcher lock = LOCK.matcher(t);
        if (lock.matches()) t = lock.group(2);
        for (Lane.Rule r : rules) if (t.startsWith(r.prefix())) return r.lane().ordinal();
        return SAME;
    }

    /** A trace's event lines (as ScenarioRunner prints them) as diagram rows; other lines are skipped. */
    public static List<SequenceDiagram.Row> rows(List<String> trace) {
        List<SequenceDiagram.Row> rows = new ArrayList<>();
        List<Lane.Rule> rules = rules();
        java.util.Map<String, Integer> prev = new java.util.HashMap<>();
        for (String line : trace) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String text = m.group(3).strip(), thread = m.group(2).strip();
            boolean bad = text.startsWith("!! ");
            int l = bad ? SAME : lane(text, rules);
            // an unnamed event runs where its own thread last was (a guest vCPU starts in the guest, the rest in the VMM)
            int lane = l == SAME ? prev.getOrDefault(thread, (thread.startsWith("guest") ? Lane.GUEST : Lane.VMM).ordinal()) : l;
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
