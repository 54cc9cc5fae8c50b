package tdisp.vmm;

import static tdisp.kernel.ThreadRegisters.setOrigin;

import tdisp.device.Origin;
import tdisp.kernel.Iommufd;
import tdisp.kernel.Kvm;
import tdisp.kernel.Vfio;
import tdisp.sim.Errno;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * The userspace VMM (QEMU) of one VM: the files it holds (VM fd, iommufd, one VFIO cdev
 * per assigned device), the exits it handles and the ioctls it issues. It knows a TDI is
 * locked from the bind it carried, or from the tsm/bound sysfs attribute (vmm.bound-state);
 * that knowledge drives its config-space trap of guest BME/MSE clears (Dan Williams,
 * 2026-02-25).
 */
public final class Vmm {
    private final Sim sim;
    private final int vm;
    private final boolean configTrap;
    private final Kvm kvm;
    private final Iommufd iommufd;
    private final Vfio vfio;
    private final boolean[] knownLocked;
    private final tdisp.strategy.VmmBoundState bound;
    private final tdisp.kernel.PciTsm tsm;
    private final int devices;

    /**
     * @param knobs the {@code vmm.*} section: the config trap and how the VMM knows a TDI is bound
     * @param tsm   read for the "tsm/bound" sysfs attribute when the bound state is SYSFS
     */
    public Vmm(Sim sim, int vm, tdisp.strategy.KnobSection.Vmm knobs, tdisp.kernel.PciTsm tsm, Kvm kvm,
               Iommufd iommufd, Vfio vfio, int devices) {
        this.bound = knobs.boundState();
        this.tsm = tsm;
        this.sim = sim;
        this.vm = vm;
        this.configTrap = knobs.configTrap();
        this.kvm = kvm;
        this.iommufd = iommufd;
        this.vfio = vfio;
        this.devices = devices;
        this.knownLocked = new boolean[devices];
    }

    public int vm() { return vm; }

    /**
     * Whether the VMM believes the TDI is locked: from the ops it carried, or (vmm.bound-state
     * = sysfs) from /sys/bus/pci/devices/.../tsm/bound, which pci_tsm shows for any binder.
     */
    public boolean knownLocked(int dev) {
        return bound == tdisp.strategy.VmmBoundState.SYSFS ? tsm.boundKvm(dev) >= 0 : knownLocked[dev];
    }

    /** True while the VMM still holds any of its files. */
    public boolean holdsFiles() {
        if (kvm.fdOpen(vm) || iommufd.fdOpen(vm)) return true;
        for (int d = 0; d < devices; d++) if (vfio.isOpen(d) && vfio.ownerVm(d) == vm) return true;
        return false;
    }

    /** kvm_cpu_exec(): KVM_RUN returned; decode the exit and call the handler. */
    public void dispatch(PathBuilder b, String reason) {
        String fn = "qemu: kvm_cpu_exec -> " + reason + " handler";
        b.step("vmm: handle " + reason, t -> sim.call(fn));
    }

    /** Re-enter the guest: the KVM_RUN that completes the exit. */
    public void resume(PathBuilder b) {
        b.cleanup("vmm: KVM_RUN", t -> sim.call("qemu: ioctl(vcpu, KVM_RUN) /* re-enter */"));
    }

    public void ioctl(PathBuilder b, String file, String cmd) {
        b.step("ioctl " + cmd, t -> sim.ioctl(file, cmd));
    }

    /**
     * The device's interface report through the pci-tsm netlink family (Dan Williams's v2
     * patch 08/19): one dump request with a refresh and its reply, instead of an iommufd
     * ioctl; the VMM then answers the guest's object read from what it got.
     */
    public void netlinkEvidenceRead(PathBuilder b) {
        b.step("sendmsg(pci-tsm)", t -> sim.syscall(sim.tracing()
                ? "sendmsg(genl pci-tsm: PCI_TSM_CMD_EVIDENCE_READ, NLM_F_DUMP, TYPE_MASK=REPORT, DEV_NAME=dev" + t.dev + ")" : "sendmsg"));
    }

    /** The reply half of the netlink dump, after the kernel filled it. */
    public void netlinkEvidenceReply(PathBuilder b) {
        b.step("recvmsg(pci-tsm)", t -> sim.syscall("recvmsg(genl pci-tsm: PCI_TSM_ATTR_EVIDENCE_VAL)"));
    }

    /** Records what the VMM learned from an op it carried (for its config trap). */
    public void learn(PathBuilder b, boolean locked) {
        // (only bind/unbind/STOP paths call this; not on the guest-request hot path)
        b.step("vmm: remember TDI " + (locked ? "locked" : "unlocked"), t -> knownLocked[t.dev] = locked);
    }

    /**
     * A guest write to the Command register (trapped config access). With the trap on, a
     * write clearing BME or MSE of a TDI the VMM knows is locked is dropped; otherwise it
     * goes to the device through the VFIO config region. New value in t.arg.
     */
    public void guestConfigWrite(PathBuilder b) {
        b.step("vmm: vfio_pci_write_config", t -> {
            if (sim.tracing()) sim.call("qemu: vfio_pci_write_config(PCI_COMMAND = " + String.format("%#06x", t.arg) + ")");
            setOrigin(t, Origin.VMM_FORWARDED_GUEST);
        });
        b.either("trap && locked && clears BME|MSE",
            t -> configTrap && knownLocked(t.dev) && (t.arg & (Vfio.PCI_COMMAND_MASTER | Vfio.PCI_COMMAND_MEMORY))
                    != (Vfio.PCI_COMMAND_MASTER | Vfio.PCI_COMMAND_MEMORY),
            in -> in.step("vmm: drop write", t -> sim.note("qemu: TDI locked: guest write clearing BME/MSE declined")),
            in -> {
                in.step("pwrite(vfio config)", t -> sim.call("pwrite(vfio device fd, config region)"));
                vfio.configWriteCommand(in);
            });
    }

    // ---- files ----

    public void closeVfio(PathBuilder b) {
        b.step("vmm: close(vfio)", t -> sim.call("qemu: close(vfio cdev of dev" + t.dev + ")"));
        vfio.close(b);
    }

    public void closeIommufd(PathBuilder b) {
        b.step("vmm: close(iommufd)", t -> sim.call("qemu: close(iommufd)"));
        iommufd.closeFd(b);
    }

    public void closeVm(PathBuilder b) {
        b.step("vmm: close(vm fd)", t -> {
            sim.call("qemu: close(vm fd)");
            if (!kvm.fdOpen(t.vm)) t.fail(Errno.EBADF);
        });
        kvm.closeVmFd(b);
    }

    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < devices; k++) w.putBool(knownLocked[w.order(k)]);
    }

    public void load(tdisp.sim.StateReader r) {
        for (int d = 0; d < devices; d++) knownLocked[d] = r.getBool();
    }

    public void destroyVdevice(PathBuilder b) {
        b.step("vmm: IOMMU_DESTROY", t -> sim.ioctl("iommufd", "IOMMU_DESTROY(vdevice)"));
        iommufd.destroyVdeviceIoctl(b);
    }
}
