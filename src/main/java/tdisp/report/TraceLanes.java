package tdisp.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tdisp.platform.Platforms;
import tdisp.report.chart.SequenceDiagram;
import tdisp.sim.Event;
import tdisp.sim.Lane;
import tdisp.sim.Trace;

/**
 * Which actor of the stack an event of a trace belongs to, for the sequence diagrams: the
 * guest, KVM, the VMM, iommufd, VFIO, pci_tsm (the TSM core and the platform's TSM driver
 * under it), the firmware (TSM, RMM or TDX module, and the tables it owns) and the device
 * (its DOE mailbox, TDISP state and config space): {@link Lane}. A run's trace comes as typed
 * records ({@link Trace.Entry}), never as printed lines read back, and the lane is read from
 * the record: a firmware command is the firmware's, a DOE exchange the device's, a VM exit
 * KVM's, an exit to userspace the VMM's and a copy to or from guest memory KVM's, whatever
 * their text; other events by their own name (a call's function, a lock's name, an ioctl's
 * file, a state change's object), matched against the rules. An event no rule names (a copy
 * from user memory, a note, an assumption, a violation) stays in the lane its thread was in.
 */
public final class TraceLanes {
    public static final List<String> LANES = Lane.labels();
    /** Keep the lane of the event before. */
    static final int SAME = -1;

    /**
     * Prefix rules of the stack every platform shares, matched against an event's name, first
     * match wins; each names where the code or state it prints lives. The names of a
     * platform's own TSM driver, KVM part and firmware are its own rules
     * (Platform.traceLanes()), tried after these: no prefix of one is a prefix of another's,
     * so the order between the two lists does not matter.
     */
    private static final List<Lane.Rule> COMMON = List.of(
        rule("guest:", Lane.GUEST),
        rule("secure_entry[", Lane.FIRMWARE),
        rule("TDI ", Lane.DEVICE), rule("device:", Lane.DEVICE), rule("PCI_COMMAND", Lane.DEVICE),
        rule("pci_clear_master", Lane.DEVICE), rule("__pci_reset_function", Lane.DEVICE), rule("pci_try_reset_function", Lane.DEVICE),
        rule("pci_restore_state", Lane.DEVICE), rule("pci_write_config", Lane.DEVICE),
        rule("IOMMU:", Lane.IOMMUFD), rule("dte[", Lane.IOMMUFD), rule("iommufd", Lane.IOMMUFD), rule("igroup->", Lane.IOMMUFD),
        rule("vfio", Lane.VFIO), rule("pwrite(vfio", Lane.VFIO), rule("ops->close_device", Lane.VFIO), rule("dev_set->", Lane.VFIO),
        rule("vdev->memory_lock", Lane.VFIO), rule("pci_request_regions", Lane.VFIO),
        rule("pci_tsm", Lane.PCI_TSM), rule("tsm_", Lane.PCI_TSM), rule("pci_tdi[", Lane.PCI_TSM), rule("dsm_", Lane.PCI_TSM),
        rule("kvm", Lane.KVM), rule("KVM", Lane.KVM),
        // the VMM's own steps name the ioctl they make: the lane of the file's driver
        rule("qemu: ioctl(iommufd", Lane.IOMMUFD), rule("qemu: ioctl(vfio", Lane.VFIO), rule("qemu: ioctl(v", Lane.KVM), rule("qemu:", Lane.VMM));

    /** An ioctl is handled by the driver of the file it is made on: iommufd, a VFIO cdev, or KVM's VM and vCPU fds. */
    private static final List<Lane.Rule> IOCTL_FILES = List.of(
        rule("iommufd", Lane.IOMMUFD), rule("vfio", Lane.VFIO), rule("vm", Lane.KVM), rule("vcpu", Lane.KVM), rule("kvm", Lane.KVM));

    private static Lane.Rule rule(String prefix, Lane lane) { return new Lane.Rule(prefix, lane); }

    private TraceLanes() {}

    /** The common rules, then every registered platform's. */
    static List<Lane.Rule> rules() {
        List<Lane.Rule> all = new ArrayList<>(COMMON);
        all.addAll(Platforms.traceLanes());
        return all;
    }

    /** The lane of an event, or {@link #SAME}. */
    static int lane(Event e) { return lane(e, rules()); }

    static int lane(Event e, List<Lane.Rule> rules) {
        if (e instanceof Event.Firmware) return Lane.FIRMWARE.ordinal();
        if (e instanceof Event.Doe) return Lane.DEVICE.ordinal();
        if (e instanceof Event.Exit x) return (x.kind() == Event.ExitKind.VM ? Lane.KVM : Lane.VMM).ordinal();
        // kvm_read_guest()/kvm_write_guest() are KVM's; copy_{from,to}_user runs in its caller
        if (e instanceof Event.Copy c) return c.kind().user() ? SAME : Lane.KVM.ordinal();
        if (e instanceof Event.Ioctl i) {
            int l = match(i.file(), IOCTL_FILES);
            return l != SAME ? l : match(i.file(), rules);
        }
        String name = name(e);
        return name == null ? SAME : match(name, rules);
    }

    /** The field that names what an event is about, or null when nothing does. */
    private static String name(Event e) {
        if (e instanceof Event.Call c) return c.fn();
        if (e instanceof Event.Lock l) return l.lock();
        if (e instanceof Event.Syscall s) return s.call();
        if (e instanceof Event.Lookup l) return l.what();
        if (e instanceof Event.Work w) return w.what();
        if (e instanceof Event.StateChange s) return s.object();
        if (e instanceof Event.Ret r) return r.fn();
        if (e instanceof Event.Note n) return n.text();
        return null;
    }

    private static int match(String name, List<Lane.Rule> rules) {
        String t = name.strip();
        for (Lane.Rule r : rules) if (t.startsWith(r.prefix())) return r.lane().ordinal();
        return SAME;
    }

    /** A run's recorded events as diagram rows, each with the text the trace prints for it. */
    public static List<SequenceDiagram.Row> rows(List<Trace.Entry> trace) {
        List<SequenceDiagram.Row> rows = new ArrayList<>();
        List<Lane.Rule> rules = rules();
        Map<String, Integer> prev = new HashMap<>();
        for (Trace.Entry e : trace) {
            String thread = e.thread().strip();
            int l = lane(e.event(), rules);
            // an unnamed event runs where its own thread last was (a guest vCPU starts in the guest, the rest in the VMM)
            int lane = l == SAME ? prev.getOrDefault(thread, (thread.startsWith("guest") ? Lane.GUEST : Lane.VMM).ordinal()) : l;
            rows.add(new SequenceDiagram.Row(e.micros(), thread, lane, e.text().strip(), e.event() instanceof Event.Violation));
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
