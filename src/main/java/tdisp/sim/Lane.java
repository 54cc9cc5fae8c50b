package tdisp.sim;

import java.util.List;

/**
 * The actors of the stack a trace event belongs to, as the sequence diagrams draw them
 * (left to right): the guest, KVM, the VMM, iommufd, VFIO, pci_tsm (the TSM core and the
 * platform's TSM driver under it), the firmware (TSM, RMM or TDX module, and the tables it
 * owns) and the device (its DOE mailbox, TDISP state and config space).
 */
public enum Lane {
    GUEST("guest"), KVM("KVM"), VMM("VMM"), IOMMUFD("iommufd"), VFIO("VFIO"), PCI_TSM("pci_tsm"), FIRMWARE("firmware"),
    DEVICE("device");

    private final String label;

    Lane(String label) { this.label = label; }

    /** The lane's heading in a diagram. */
    public String label() { return label; }

    /** The headings, in diagram order. */
    public static List<String> labels() { return java.util.Arrays.stream(values()).map(Lane::label).toList(); }

    /**
     * An event whose name (a call's function, a lock's name, an ioctl's file, a state change's
     * object, a note's text) starts with {@code prefix} belongs to {@code lane}. Rules are tried
     * in order, first match wins; the common ones live with the renderer, each platform declares
     * those of its own names. Events of a kind that has a lane of its own (a firmware command,
     * a DOE exchange, an exit) are not matched by name.
     */
    public record Rule(String prefix, Lane lane) {
        public Rule {
            if (prefix.isEmpty()) throw new IllegalArgumentException("a lane rule needs a prefix");
        }
    }
}
