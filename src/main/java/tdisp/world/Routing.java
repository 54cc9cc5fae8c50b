package tdisp.world;

import java.util.EnumMap;
import java.util.Map;

import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.guest.TdispGuest;
import tdisp.kernel.Iommufd;
import tdisp.kernel.Kvm;
import tdisp.kernel.PciTsm;
import tdisp.kernel.Vfio;
import tdisp.sim.Errno;
import tdisp.sim.Path;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.Entry;
import tdisp.strategy.Knobs;
import tdisp.vmm.Vmm;

/**
 * The strategies' mechanics: for each guest operation, the path from the guest through
 * KVM's exit handler to either KVM's own call into the TSM core (entry kvm) or an exit to
 * the VMM and its ioctl on iommufd or VFIO. Paths are built once per (VM, op) and reused.
 */
public final class Routing {
    private final Sim sim;
    private final Knobs knobs;
    private final PciTsm tsm;
    private final Kvm kvm;
    private final Iommufd iommufd;
    private final Vfio vfio;
    private final Vmm[] vmms;
    private final TdispGuest[] guests;
    private final Map<GuestOp, Path>[] cache;
    private final tdisp.kernel.KernelCopy kvmCopies;

    @SuppressWarnings("unchecked")
    Routing(Sim sim, Knobs knobs, PciTsm tsm, Kvm kvm, Iommufd iommufd, Vfio vfio, Vmm[] vmms, TdispGuest[] guests, int devices) {
        this.sim = sim;
        this.knobs = knobs;
        this.tsm = tsm;
        this.kvm = kvm;
        this.iommufd = iommufd;
        this.vfio = vfio;
        this.vmms = vmms;
        this.guests = guests;
        this.cache = new Map[vmms.length];
        this.kvmCopies = new tdisp.kernel.KernelCopy(sim, devices, false);
        for (int i = 0; i < vmms.length; i++) cache[i] = new EnumMap<>(GuestOp.class);
    }

    public void save(tdisp.sim.StateWriter w) { kvmCopies.save(w); }

    public void load(tdisp.sim.StateReader r) { kvmCopies.load(r); }

    /** Which entry carries an op, per the strategy's knobs. */
    public Entry entry(GuestOp op) {
        return switch (op) {
            case BIND, UNBIND -> knobs.bindEntry();
            case SDTE_WRITE, SDTE_CLEAR -> knobs.sdteWriteEntry();
            case MMIO_VALIDATE, MMIO_INVALIDATE -> knobs.mmioValidateEntry();
            default -> knobs.guestRequestEntry();
        };
    }

    public Path guestOp(int vm, GuestOp op) {
        return cache[vm].computeIfAbsent(op, o -> build(vm, o, null));
    }

    /**
     * The same path with the host meddling with the request page right after the guest
     * filled it (the page is shared, so any host component can): tampering and replay.
     */
    public Path guestOpWithHostMeddling(int vm, GuestOp op, java.util.function.Consumer<PathBuilder> meddle) {
        return build(vm, op, meddle);
    }

    private Path build(int vm, GuestOp op, java.util.function.Consumer<PathBuilder> meddle) {
        TdispGuest g = guests[vm];
        Vmm vmm = vmms[vm];
        PathBuilder b = new PathBuilder(sim);
        g.prepare(b, op);
        if (meddle != null) meddle.accept(b);
        GuestAbi.Route route = g.abi().route(op);
        if (route == GuestAbi.Route.FIRMWARE_ONLY) {
            g.firmwareCall(b, op);
            g.complete(b, op);
            return b.build("guest " + op);
        }
        if (route == GuestAbi.Route.ABSENT) {
            String note = g.abi().absentNote(op);
            b.step(g.abi().absentStep(), t -> sim.note(note));
            g.complete(b, op);
            return b.build("guest " + op);
        }
        Entry e = entry(op);
        // MAP_THEN_ACCEPT: the guest's exit only asks for the private mapping; no TSM request.
        boolean mapOnly = route == GuestAbi.Route.MAP_THEN_ACCEPT;
        String exit = mapOnly ? kvm.arch().mapGpaExit() : kvm.arch().guestExit(g.abi().hostCarriesCiphertext(op));
        b.step("VM exit", t -> sim.vmExit(exit));
        kvm.vcpuEnter(b);
        if (e == Entry.KVM) {
            String handler = kvm.arch().exitHandler(op.name());
            b.step("kvm: handle_exit", t -> sim.call(handler));
            if (op != GuestOp.BIND) {
                b.step("kvm: tdi lookup", t -> {
                    sim.lookup("tsm_tdi_find(guest_rid, gctx)");
                    int d = tsm.lookup(vm, g.guestBdf());
                    if (d < 0) {
                        sim.ret("tsm_tdi_find", Errno.ENODEV);
                        t.fail(Errno.ENODEV);
                    } else {
                        t.dev = d;
                    }
                });
            }
            kvmCopies.copyIn(b);
            kernelOp(b, op, mapOnly);
            kvmCopies.copyOut(b);
        } else {
            String reason = mapOnly ? kvm.arch().mapGpaUserExit() : kvm.arch().userExitReason() + " (guest " + op.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")";
            b.userExit("exit to VMM", t -> sim.userExit(reason));
            vmm.dispatch(b, kvm.arch().userExitReason());
            if (op == GuestOp.MMIO_VALIDATE) {
                vmm.ioctl(b, "vm", kvm.arch().privateMmioIoctl());
                // The private mapping takes the BAR from VFIO's dma-buf: gone once the VMM closed the device.
                b.step("vfio dma-buf live?", t -> {
                    if (!kvm.fdOpen(t.vm)) { sim.ret("KVM ioctl", Errno.EBADF); t.fail(Errno.EBADF); }
                    else if (!vfio.isOpen(t.dev) || vfio.ownerVm(t.dev) != t.vm) { sim.ret("vfio_pci_dma_buf get", Errno.ENODEV); t.fail(Errno.ENODEV); }
                });
                kvm.arch().mapPrivateMmio(b);
            }
            if (!mapOnly) userOp(b, vmm, op, e);
            vmm.resume(b);
        }
        kvm.vcpuLeave(b);
        if (mapOnly) g.firmwareCall(b, op);
        g.complete(b, op);
        return b.build("guest " + op + " via " + e.token());
    }

    /** KVM-direct: KVM calls the TSM core from its exit handler. */
    private void kernelOp(PathBuilder b, GuestOp op, boolean mapOnly) {
        switch (op) {
            case BIND -> {
                b.step("kvm_arch_tsm_bind", t -> t.arg = guests[t.vm].guestBdf());
                tsm.bind(b);
            }
            case UNBIND -> tsm.unbind(b);
            case MMIO_VALIDATE -> {
                kvm.arch().mapPrivateMmio(b);
                if (!mapOnly) tsm.guestReq(b);
            }
            default -> tsm.guestReq(b);
        }
    }

    /** The VMM's ioctl for the op on the chosen entry. */
    private void userOp(PathBuilder b, Vmm vmm, GuestOp op, Entry e) {
        switch (op) {
            case BIND, UNBIND -> {
                boolean bind = op == GuestOp.BIND;
                if (e == Entry.VFIO) {
                    vmm.ioctl(b, "vfio", bind ? "VFIO_DEVICE_TSM_BIND" : "VFIO_DEVICE_TSM_UNBIND");
                    vfio.tsmBindIoctl(b, bind);
                } else {
                    vmm.ioctl(b, "iommufd", "IOMMU_VDEVICE_TSM_OP(" + (bind ? "BIND" : "UNBIND") + ")");
                    iommufd.tsmOpIoctl(b, bind);
                }
                vmm.learn(b, bind);
            }
            default -> {
                if (e == Entry.VFIO) {
                    vmm.ioctl(b, "vfio", "VFIO_DEVICE_TSM_GUEST_REQUEST");
                    vfio.tsmGuestReqIoctl(b);
                } else {
                    vmm.ioctl(b, "iommufd", "IOMMU_VDEVICE_TSM_REQ");
                    iommufd.tsmReqIoctl(b);
                }
                if (op == GuestOp.STOP) vmm.learn(b, false);
            }
        }
    }

}
