package tdisp.platform;

import tdisp.firmware.TsmFirmware;
import tdisp.guest.GuestAbi;
import tdisp.kernel.Kvm;
import tdisp.kernel.KvmArch;
import tdisp.kernel.PciTsmOps;
import tdisp.kernel.Vfio;

/**
 * A platform's components inside one world. Built before the generic host stack (the TSM
 * core needs the ops, KVM needs its arch), then attached to the parts that exist only
 * afterwards.
 */
public interface Stack {
    TsmFirmware firmware();

    /** The host TSM driver (struct pci_tsm_ops) registered with the PCI/TSM core. */
    PciTsmOps ops();

    KvmArch kvmArch();

    /** The guest side: how each TDISP operation travels, and its names. */
    GuestAbi guestAbi();

    /** Late wiring, once KVM and VFIO exist (e.g. TDX's S-EPT zap asks KVM to bug the VM). */
    void attach(Kvm kvm, Vfio vfio);
}
