package tdisp.world;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import java.util.EnumMap;
import java.util.Map;

import tdisp.guest.GuestAbi;
import tdisp.guest.GuestOp;
import tdisp.guest.TdispGuest;
import tdisp.kernel.Iommufd;
import tdisp.kernel.TsmReqOp;
import tdisp.kernel.TsmRequest;
import tdisp.kernel.TvmArch;
import tdisp.kernel.Kvm;
import tdisp.kernel.PciTsm;
import tdisp.kernel.Vfio;
import tdisp.sim.Errno;
import tdisp.sim.Path;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.Entry;
import tdisp.strategy.GuestRequestUapi;
import tdisp.strategy.KnobSection;
import tdisp.vmm.Vmm;

/**
 * The strategies' mechanics: for each guest operation, the path from the guest through
 * KVM's exit handler to either KVM's own call into the TSM core (entry kvm) or an exit to
 * the VMM and its ioctl on iommufd or VFIO. Paths are built once per (VM, op) and reused.
 */
public final class Routing {
    private final Sim sim;
    private final KnobSection.Bind bind;
    private final KnobSection.GuestRequest guestRequest;
    private final PciTsm tsm;
    private final Kvm kvm;
    private final Iommufd iommufd;
    private final Vfio vfio;
    private final Vmm[] vmms;
    private final TdispGuest[] guests;
    private final Map<GuestOp, Path>[] cache;
    private final Path[] acceptCache;
    private final tdisp.kernel.KernelCopy kvmCopies;

    @SuppressWarnings("unchecked")
    /** Reads the {@code bind.*} and {@code guest-request.*} sections. */
    Routing(Sim sim, KnobSection.Bind bind, KnobSection.GuestRequest guestRequest, PciTsm tsm, Kvm kvm, Iommufd iommufd, Vfio vfio, Vmm[] vmms, TdispGuest[] guests, int devices) {
        this.sim = sim;
        this.bind = bind;
        this.guestRequest = guestRequest;
        this.tsm = tsm;
        this.kvm = kvm;
        this.iommufd = iommufd;
        this.vfio = vfio;
        this.vmms = vmms;
        this.guests = guests;
        this.cache = new Map[vmms.length];
        this.acceptCache = new Path[vmms.length];
        this.kvmCopies = new tdisp.kernel.KernelCopy(sim, devices, false);
        for (int i = 0; i < vmms.length; i++) cache[i] = new EnumMap<>(GuestOp.class);
    }

    public void save(tdisp.sim.StateWriter w) { kvmCopies.save(w); }

    public void load(tdisp.sim.StateReader r) { kvmCopies.load(r); }

    /**
     * The per-message entry knobs that cannot matter on a platform, with why: every op a
     * knob routes is one its guest sends straight to the firmware, or does not have. A
     * matrix reports these rather than letting an unchanged cell pass for a result.
     */
    public static java.util.List<String> inertKnobs(tdisp.platform.Platform p) {
        Sim sim = new Sim(0);
        var dev = new tdisp.device.PciFunction(0x4100, 0, java.util.List.of(new tdisp.device.MmioRange(0, 0, 0x1000, true)), sim.split());
        // Before any strategy reads it: which ops the guest sends straight to the firmware there.
        GuestAbi abi = p.assemble(sim, java.util.List.of(dev), new tdisp.iommu.Iommu(sim, new int[] {0x4100}, 1, tdisp.iommu.Iommu.Config.fencing(false)), 1,
                tdisp.platform.Stack.Config.DEFAULTS).guestAbi();
        java.util.List<String> out = new java.util.ArrayList<>();
        inert(out, abi, tdisp.strategy.Knob.SDTE_WRITE_ENTRY, GuestOp.SDTE_WRITE, GuestOp.SDTE_CLEAR);
        inert(out, abi, tdisp.strategy.Knob.MMIO_VALIDATE_ENTRY, GuestOp.MMIO_VALIDATE, GuestOp.MMIO_INVALIDATE);
        return out;
    }

    private static void inert(java.util.List<String> out, GuestAbi abi, tdisp.strategy.Knob k, GuestOp... ops) {
        for (GuestOp op : ops) {
            GuestAbi.Route r = abi.route(op);
            if (r == GuestAbi.Route.CARRIED || r == GuestAbi.Route.CONVERT) return;
        }
        StringBuilder why = new StringBuilder();
        for (GuestOp op : ops) why.append(why.length() == 0 ? "" : ", ").append(op).append(' ').append(abi.route(op).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        out.add(k.key() + " (" + why + ")");
    }

    /** SET_TDI_STATE(LOCKED / UNLOCKED): what the guest's lock and unlock become when the host's bind does not LOCK. */
    private static final TsmRequest LOCK = TsmRequest.lock();
    private static final TsmRequest UNLOCK = TsmRequest.unlock();

    /** v7: IOMMU_VDEVICE_ALLOC bound the TDI; the guest's bind and unbind exits are state requests. */
    private boolean bindAtAlloc() { return bind.atVdeviceAlloc(); }

    private boolean guestLocks() { return bind.guestLocks(); }

    /** Which entry carries an op, per the strategy's knobs. */
    public Entry entry(GuestOp op) {
        return switch (op) {
            case BIND, UNBIND -> bindAtAlloc() ? guestRequest.entry() : bind.entry();
            case SDTE_WRITE, SDTE_CLEAR -> guestRequest.sdteWriteEntry();
            case MMIO_VALIDATE, MMIO_INVALIDATE -> guestRequest.mmioValidateEntry();
            default -> guestRequest.entry();
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
        PathBuilder b = new PathBuilder(sim);
        return b.build(emit(b, vm, op, meddle));
    }

    /**
     * The guest's tsm/accept as one path (the explorer's action): pci_tsm_accept() under the
     * guest's own pci_tsm_rwsem and device lock (noted by their guest names, never the host's
     * locks), -EBUSY while a driver is bound, ->run (the platform's RUN op, inline) only the
     * first time: there is no unaccept. Built once per VM.
     */
    public Path guestAccept(int vm) {
        return acceptCache[vm] != null ? acceptCache[vm] : (acceptCache[vm] = buildAccept(vm));
    }

    private Path buildAccept(int vm) {
        TdispGuest g = guests[vm];
        PathBuilder b = new PathBuilder(sim);
        g.acceptPrologue(b);
        // On -EBUSY the ->run block is skipped whole, its cleanup steps too: it never began.
        b.whenEvenAfterFailure("!PCI_TSM_F_ACCEPT: ->run", t -> !t.failed() && t.ret == 1, in -> emit(in, vm, GuestOp.RUN, null));
        g.acceptEpilogue(b);
        return b.build("guest pci_tsm_accept");
    }

    /** Appends op's path to b; returns the path's name. */
    private String emit(PathBuilder b, int vm, GuestOp op, java.util.function.Consumer<PathBuilder> meddle) {
        TdispGuest g = guests[vm];
        Vmm vmm = vmms[vm];
        g.prepare(b, op);
        if (meddle != null) meddle.accept(b);
        GuestAbi abi = g.abi();
        GuestAbi.Route route = abi.route(op);
        if (route == GuestAbi.Route.FIRMWARE_ONLY) {
            tdisp.sim.Assumption faultIn = abi.faultInRestsOn(op);
            if (faultIn != null) {
                // TDX, guest-driven: the accept's EPT violation is KVM's; the VMM is not involved.
                b.step("VM exit", t -> {
                    sim.vmExit(kvm.arch().acceptFaultExit());
                    sim.assume(faultIn);
                });
                kvm.vcpuEnter(b);
                b.step("vfio dma-buf live at fault?", t -> {
                    if (!dmaBufLive(t)) { sim.ret("vfio_pci_dma_buf get", Errno.ENODEV); t.fail(Errno.ENODEV); }
                });
                kvm.arch().mapPrivateMmio(b);
                kvm.vcpuLeave(b);
            }
            g.firmwareCall(b, op, GuestAbi.Call.AFTER_HOST);
            g.complete(b, op);
            return "guest " + op;
        }
        if (route == GuestAbi.Route.ABSENT) {
            String note = abi.absentNote(op);
            b.step(abi.absentStep(), t -> sim.note(note));
            g.complete(b, op);
            return "guest " + op;
        }
        // A firmware call that opens the request before the host sees it (Arm: the RSI call exits).
        if (abi.callsFirmware(op, GuestAbi.Call.BEFORE_HOST)) g.firmwareCall(b, op, GuestAbi.Call.BEFORE_HOST);
        Entry e = entry(op);
        // CONVERT: the guest's exit only asks for its private MMIO to be (un)mapped; no TSM request.
        boolean convert = route == GuestAbi.Route.CONVERT;
        String exit = convert ? kvm.arch().conversionExit() : kvm.arch().guestExit(op.name(), abi.hostCarriesCiphertext(op));
        tdisp.sim.Assumption rests = convert ? null : abi.exitRestsOn(op);
        b.step("VM exit", t -> {
            sim.vmExit(exit);
            if (rests != null) sim.assume(rests);
        });
        kvm.vcpuEnter(b);
        if (abi.completionPolls(op) > 0 && g.faultTdcmTimeout()) {
            // The fault: whoever carries the TDCM request never completes it; the TD polls on.
            b.step("TDCM request left pending", t -> sim.note("host: TDVMCALL<TDCM> accepted, never completed"));
        } else if (e == Entry.KVM) {
            String handler = kvm.arch().exitHandler(op.name());
            b.step("kvm: handle_exit", t -> sim.call(handler));
            if (op != GuestOp.BIND || bindAtAlloc()) {
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
            kernelOp(b, op, convert, abi.hostMapsPrivateMmio(op));
            kvmCopies.copyOut(b);
        } else {
            String reason = convert ? kvm.arch().conversionUserExit()
                    : kvm.arch().userExitReason(op.name()) + " (guest " + op.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")";
            b.userExit("exit to VMM", t -> sim.userExit(reason));
            vmm.dispatch(b, kvm.arch().userExitReason(op.name()));
            if (op == GuestOp.MMIO_VALIDATE) {
                boolean maps = abi.hostMapsPrivateMmio(op);
                if (maps) vmm.ioctl(b, "vm", kvm.arch().privateMmioIoctl());
                // The private mapping takes the BAR from VFIO's dma-buf: gone once the VMM closed the device.
                b.step("vfio dma-buf live?", t -> {
                    if (!kvm.fdOpen(t.vm)) { sim.ret("KVM ioctl", Errno.EBADF); t.fail(Errno.EBADF); }
                    else if (!dmaBufLive(t)) { sim.ret("vfio_pci_dma_buf get", Errno.ENODEV); t.fail(Errno.ENODEV); }
                });
                if (maps && !kvm.arch().mapsPrivateMmioAtFault()) kvm.arch().mapPrivateMmio(b);
            } else if (convert && op == GuestOp.MMIO_INVALIDATE) {
                vmm.ioctl(b, "vm", kvm.arch().sharedMmioIoctl());
                kvm.arch().zapPrivateMmio(b);
            }
            if (!convert) userOp(b, vmm, op, e);
            vmm.resume(b);
            if (op == GuestOp.MMIO_VALIDATE && abi.hostMapsPrivateMmio(op) && kvm.arch().mapsPrivateMmioAtFault()) {
                // The guest's access after re-entry faults; the fault handler maps from the
                // dma-buf, which may have been revoked since the ioctl.
                b.step("vfio dma-buf live at fault?", t -> {
                    if (!dmaBufLive(t)) { sim.ret("vfio_pci_dma_buf get", Errno.ENODEV); t.fail(Errno.ENODEV); }
                });
                kvm.arch().mapPrivateMmio(b);
            }
        }
        kvm.vcpuLeave(b);
        if (abi.completionPolls(op) > 0) g.awaitCompletion(b, abi.completionPolls(op));
        if (abi.callsFirmware(op, GuestAbi.Call.AFTER_HOST)) g.firmwareCall(b, op, GuestAbi.Call.AFTER_HOST);
        g.complete(b, op);
        return "guest " + op + " via " + e.token();
    }

    /** KVM-direct: KVM calls the TSM core (or converts the mapping itself) from its exit handler. */
    private void kernelOp(PathBuilder b, GuestOp op, boolean convert, boolean hostMaps) {
        if ((op == GuestOp.BIND || op == GuestOp.UNBIND) && bindAtAlloc()) {
            stateRequestKvm(b, op);
            return;
        }
        switch (op) {
            case BIND -> {
                b.step("kvm_arch_tsm_bind", t -> t.arg = guests[t.vm].guestBdf());
                tsm.bind(b);
                if (guestLocks()) {
                    b.step("SET_TDI_STATE(LOCKED)", t -> t.set(REQUEST, LOCK));
                    tsm.guestReq(b);
                }
            }
            case UNBIND -> tsm.unbind(b);
            case MMIO_VALIDATE -> {
                if (hostMaps) {
                    // KVM maps the TEE BAR from the dma-buf VFIO exported: none once the VMM closed the device.
                    b.step("vfio dma-buf live?", t -> {
                        if (!dmaBufLive(t)) { sim.ret("vfio_pci_dma_buf get", Errno.ENODEV); t.fail(Errno.ENODEV); }
                    });
                    kvm.arch().mapPrivateMmio(b);
                }
                if (!convert) tsm.guestReq(b);
            }
            case MMIO_INVALIDATE -> {
                if (convert) kvm.arch().zapPrivateMmio(b);
                else tsm.guestReq(b);
            }
            default -> tsm.guestReq(b);
        }
    }

    /** KVM carries the guest's lock or unlock of a TDI bound at vDEVICE allocation. */
    private void stateRequestKvm(PathBuilder b, GuestOp op) {
        if (op == GuestOp.BIND && !guestLocks()) {
            b.step("kvm: bound at IOMMU_VDEVICE_ALLOC", t -> sim.note("kvm: TDI already bound and LOCKed at IOMMU_VDEVICE_ALLOC"));
            return;
        }
        boolean lock = op == GuestOp.BIND;
        b.step(lock ? "SET_TDI_STATE(LOCKED)" : "SET_TDI_STATE(UNLOCKED)", t -> t.set(REQUEST, lock ? LOCK : UNLOCK));
        tsm.guestReq(b);
    }

    /**
     * The VMM carries the guest's lock or unlock of a TDI its IOMMU_VDEVICE_ALLOC bound (v7):
     * SET_TDI_STATE on the guest-request ioctl, or, when that bind already LOCKed, nothing
     * but the answer (no second LOCK).
     */
    private void stateRequestVmm(PathBuilder b, Vmm vmm, GuestOp op, Entry e) {
        if (op == GuestOp.BIND && !guestLocks()) {
            b.step("vmm: bound at IOMMU_VDEVICE_ALLOC", t -> sim.note("qemu: TDI bound and LOCKed at IOMMU_VDEVICE_ALLOC: answer the guest"));
            vmm.learn(b, true);
            return;
        }
        boolean lock = op == GuestOp.BIND;
        b.step(lock ? "SET_TDI_STATE(LOCKED)" : "SET_TDI_STATE(UNLOCKED)", t -> t.set(REQUEST, lock ? LOCK : UNLOCK));
        guestRequest(b, vmm, op, e);
        vmm.learn(b, lock);
    }

    /**
     * v7's struct: SET_TDI_STATE, VALIDATE_MMIO, the SEV DMA pair, the object ops for the
     * CCA evidence refresh, and (assumption A-V7-SEALED-MSG) the sealed messages of SEV and TDX.
     */
    private void v7Request(PathBuilder b, Vmm vmm, GuestOp op) {
        TdispGuest g = guests[vmm.vm()];
        TsmRequest r = g.request(op);
        TsmReqOp v7 = r != null && r.op() == TsmRequest.Op.REFRESH_REPORT ? TsmReqOp.TSM_REQ_REGEN_OBJECT
                : r != null && r.op() == TsmRequest.Op.MESSAGE && typedOp(op) == null ? TsmReqOp.TSM_REQ_TVM_MESSAGE
                : typedOp(op);
        TvmArch arch = g.abi().tvmArch();
        vmm.ioctl(b, "iommufd", "IOMMU_VDEVICE_TSM_REQ(size=48, op=" + (v7 == null ? "none" : v7.name()) + ", tvm_arch=" + arch + ")");
        boolean sealed = v7 == TsmReqOp.TSM_REQ_TVM_MESSAGE;
        boolean unsourcedArch = arch != TvmArch.CCA;
        if (sealed || unsourcedArch) b.step("v7 request assumptions", t -> {
            if (sealed) sim.assume(tdisp.sim.Assumption.V7_SEALED_MSG);
            if (unsourcedArch) sim.assume(tdisp.sim.Assumption.V7_TVM_ARCH);
        });
        iommufd.tsmReqV7Ioctl(b, v7, arch);
    }

    /**
     * The post-review uAPI: evidence refreshes go to the pci-tsm netlink family; everything
     * else is IOMMU_VDEVICE_TSM_REQ with {@code tvm_arch} and the op the VMM labels it with.
     */
    private void typedRequest(PathBuilder b, Vmm vmm, GuestOp op) {
        TdispGuest g = guests[vmm.vm()];
        TsmRequest r = g.request(op);
        if (r != null && r.op() == TsmRequest.Op.REFRESH_REPORT) {
            vmm.netlinkEvidenceRead(b);
            tsm.evidenceRead(b);
            vmm.netlinkEvidenceReply(b);
            return;
        }
        TsmReqOp typed = typedOp(op);
        TvmArch arch = g.abi().tvmArch();
        vmm.ioctl(b, "iommufd", "IOMMU_VDEVICE_TSM_REQ(tvm_arch=" + arch + ", op=" + (typed == null ? "none" : typed.name()) + ")");
        iommufd.tsmReqTypedIoctl(b, typed, arch);
    }

    /**
     * The typed op a VMM gives a carried guest request, or null where the typed uAPI has
     * none: the guest's sealed state and report query (AMD TIO_MSG_TDI_INFO, the TD's
     * GET_STATE) is neither a state change nor an MMIO or DMA op, and the object ops that
     * could have carried it went to netlink, which cannot carry a guest's sealed message.
     */
    static TsmReqOp typedOp(GuestOp op) {
        return switch (op) {
            case RUN, STOP, BIND, UNBIND -> TsmReqOp.TSM_REQ_SET_TDI_STATE;
            case MMIO_VALIDATE, MMIO_INVALIDATE -> TsmReqOp.TSM_REQ_VALIDATE_MMIO;
            case SDTE_WRITE -> TsmReqOp.TSM_REQ_SEV_ENABLE_DMA;
            case SDTE_CLEAR -> TsmReqOp.TSM_REQ_SEV_DISABLE_DMA;
            default -> null;
        };
    }

    /** The VMM's ioctl for the op on the chosen entry. */
    private void userOp(PathBuilder b, Vmm vmm, GuestOp op, Entry e) {
        if ((op == GuestOp.BIND || op == GuestOp.UNBIND) && bindAtAlloc()) {
            stateRequestVmm(b, vmm, op, e);
            return;
        }
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
                if (bind && guestLocks()) {
                    // The bind made the TDI's context only: the guest's lock follows as a state
                    // request, on the strategy's guest-request entry (vfio-ioctl: iommufd's
                    // IOMMU_VDEVICE_TSM_REQ, not a VFIO guest-request ioctl no posting has).
                    Entry req = guestRequest.entry() == Entry.KVM ? e : guestRequest.entry();
                    b.step("SET_TDI_STATE(LOCKED)", t -> t.set(REQUEST, LOCK));
                    guestRequest(b, vmm, op, req);
                }
                vmm.learn(b, bind);
            }
            default -> {
                guestRequest(b, vmm, op, e);
                if (op == GuestOp.STOP) vmm.learn(b, false);
            }
        }
    }

    /** A carried guest request on the chosen entry, in the strategy's uAPI; the request in ThreadRegisters.REQUEST. */
    private void guestRequest(PathBuilder b, Vmm vmm, GuestOp op, Entry e) {
        if (e == Entry.VFIO) {
            vmm.ioctl(b, "vfio", "VFIO_DEVICE_TSM_GUEST_REQUEST");
            vfio.tsmGuestReqIoctl(b);
        } else if (guestRequest.uapi() == GuestRequestUapi.TYPED_OP) {
            typedRequest(b, vmm, op);
        } else if (guestRequest.uapi() == GuestRequestUapi.V7) {
            v7Request(b, vmm, op);
        } else {
            vmm.ioctl(b, "iommufd", "IOMMU_VDEVICE_TSM_REQ");
            iommufd.tsmReqIoctl(b);
        }
    }


    /** The VMM's dma-buf of the TEE BAR still reaches KVM: the device open by this VM, the dma-buf not cleaned up. */
    private boolean dmaBufLive(tdisp.sim.KThread t) {
        return vfio.isOpen(t.dev) && vfio.ownerVm(t.dev) == t.vm && vfio.dmabufLinked(t.dev);
    }
}
