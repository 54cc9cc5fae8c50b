package tdisp.platform;

import tdisp.firmware.TsmFirmware;
import tdisp.guest.GuestAbi;
import tdisp.kernel.Kvm;
import tdisp.kernel.KvmArch;
import tdisp.kernel.PciTsmOps;
import tdisp.kernel.Vfio;
import tdisp.strategy.BindLock;
import tdisp.strategy.BindTrigger;
import tdisp.strategy.Entry;
import tdisp.strategy.KnobSection;

/**
 * A platform's components inside one world. Built before the generic host stack (the TSM
 * core needs the ops, KVM needs its arch), then attached to the parts that exist only
 * afterwards.
 */
public interface Stack {
    /**
     * What a platform's components are built with: the firmware's deliberate defects and the
     * knob sections its parts read ({@code bind.*} and {@code sev.*} for the guest ABI,
     * {@code kvm.*} for KVM's architecture part), fixed for the world's life.
     */
    record Config(TsmFirmware.Faults faults, KnobSection.Bind bind, KnobSection.Kvm kvm, KnobSection.Sev sev) {
        public Config {
            java.util.Objects.requireNonNull(faults, "faults");
            java.util.Objects.requireNonNull(bind, "bind");
            java.util.Objects.requireNonNull(kvm, "kvm");
            java.util.Objects.requireNonNull(sev, "sev");
        }

        /**
         * No defect, the host's bind LOCKs, every named assumption at its default reading and
         * no optional platform feature: a platform as it is before any strategy reads it.
         */
        public static final Config DEFAULTS = new Config(TsmFirmware.Faults.NONE,
                new KnobSection.Bind(Entry.VFIO, BindTrigger.EXPLICIT_OP, BindLock.HOST_BIND),
                new KnobSection.Kvm(true, true, true), new KnobSection.Sev(false));
    }

    TsmFirmware firmware();

    /** The host TSM driver (struct pci_tsm_ops) registered with the PCI/TSM core. */
    PciTsmOps ops();

    KvmArch kvmArch();

    /** The guest side: how each TDISP operation travels, and its names. */
    GuestAbi guestAbi();

    /** Late wiring, once KVM and VFIO exist (e.g. TDX's S-EPT zap asks KVM to bug the VM). */
    void attach(Kvm kvm, Vfio vfio);
}
