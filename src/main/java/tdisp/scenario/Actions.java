package tdisp.scenario;

import static tdisp.kernel.ThreadRegisters.setOrigin;

import tdisp.device.Origin;
import tdisp.device.TlpResult;
import tdisp.firmware.MsgBuf;
import tdisp.guest.GuestOp;
import tdisp.guest.GuestStep;
import tdisp.kernel.Vfio;
import tdisp.sim.KThread;
import tdisp.sim.Path;
import tdisp.world.World;

/**
 * The actors' moves that scenarios compose: guest driver flows, VMM file operations,
 * host admin actions and device events. Each is one or more kernel paths run on the world.
 */
public final class Actions {
    private Actions() {}

    public static KThread guest(World w, int vm, GuestOp op) {
        return w.run("guest" + vm, w.routing().guestOp(vm, op), vm, vm);
    }

    /**
     * The guest writes its device's tsm/accept: pci_tsm_accept() under the guest's own
     * pci_tsm_rwsem and device lock, -EBUSY while a driver is bound, then ->run (the
     * platform's RUN op) once. Returns the errno.
     */
    public static int guestAccept(World w, int vm) {
        var g = w.guest(vm);
        KThread pro = w.run("guest" + vm, w.path("pci_tsm_accept", g::acceptPrologue), vm, vm);
        if (pro.failed() || pro.ret == 0) return pro.errno();
        KThread run = guest(w, vm, GuestOp.RUN);
        w.run("guest" + vm, w.path("pci_tsm_accept done", b -> {
            b.step("->run result", t -> { if (run.failed()) t.fail(run.errno()); });
            g.acceptEpilogue(b);
        }), vm, vm);
        return run.errno();
    }

    /** The guest's TDISP accept flow up to secure DMA, in the platform's order (domain §7). */
    public static void bringUp(World w, int vm) {
        for (GuestOp op : w.guest(vm).abi().bringUp()) guest(w, vm, op);
    }

    /** The guest's orderly teardown, in the platform's order (AMD: sev_guest_unlock; TDX: host unbind, then BME). */
    public static void guestUnbind(World w, int vm) {
        for (GuestStep s : w.guest(vm).abi().teardown()) {
            if (s instanceof GuestStep.Op o) guest(w, vm, o.op());
            else if (s instanceof GuestStep.CommandWrite c) guestCommandWrite(w, vm, c.value());
        }
    }

    /** The device DMAs (T=1) into guest-private memory; records whether it landed. */
    public static TlpResult deviceSecureDma(World w, int dev) {
        w.run("device" + dev, deviceSecureDmaPath(w), -1, dev);
        return w.lastSecureDmaResult();
    }

    /** The device's T=1 write to guest-private memory; the world records the outcome. */
    public static Path deviceSecureDmaPath(World w) {
        return w.path("device DMA", b -> b.step("device: MemWr T=1", t -> {
            TlpResult r = w.device(t.dev).dmaWrite(w.iommu(), World.PRIVATE_GPA, true);
            if (w.sim().tracing()) w.sim().note("device: MemWr(T=1) to private GPA " + Long.toHexString(World.PRIVATE_GPA) + " -> " + r);
            w.recordSecureDma(t.dev, r);
        }));
    }

    /** A guest write of the Command register (config space is trapped by the VMM). */
    public static void guestCommandWrite(World w, int vm, int value) {
        w.run("guest" + vm, guestCommandWritePath(w, vm, value), vm, vm);
    }

    public static Path guestCommandWritePath(World w, int vm, int value) {
        return w.path("guest config write", b -> {
            b.step("guest: pci_write_config_word(PCI_COMMAND)", t -> {
                t.arg = value;
                if (w.sim().tracing()) w.sim().call("guest: pci_write_config_word(PCI_COMMAND, " + String.format("%#06x", value) + ")");
            });
            String exit = w.kvm().arch().configSpaceExit();
            b.step("VM exit", t -> w.sim().vmExit(exit));
            b.userExit("exit to VMM", t -> w.sim().userExit("KVM_EXIT_MMIO (config space)"));
            w.vmm(vm).guestConfigWrite(b);
            w.vmm(vm).resume(b);
        });
    }

    /** The guest initiates FLR in Device Control; the VMM forwards it to VFIO. */
    public static void guestFlr(World w, int vm) {
        w.run("guest" + vm, guestFlrPath(w, vm), vm, vm);
    }

    public static Path guestFlrPath(World w, int vm) {
        return w.path("guest FLR", b -> {
            b.step("guest: pcie_flr", t -> { setOrigin(t, Origin.VMM_FORWARDED_GUEST); w.sim().call("guest: pcie_flr -> PCI_EXP_DEVCTL_BCR_FLR"); });
            String exit = w.kvm().arch().configSpaceExit();
            b.step("VM exit", t -> w.sim().vmExit(exit));
            b.userExit("exit to VMM", t -> w.sim().userExit("KVM_EXIT_MMIO (config space)"));
            b.step("pwrite(vfio config)", t -> w.sim().call("pwrite(vfio device fd, config region: DevCtl)"));
            w.vfio().flrConfigWrite(b);
            w.vmm(vm).resume(b);
        });
    }

    public static void vmmResetIoctl(World w, int vm) {
        w.run("vmm" + vm, vmmResetIoctlPath(w), vm, vm);
    }

    public static Path vmmResetIoctlPath(World w) {
        return w.path("VFIO_DEVICE_RESET", b -> {
            b.step("ioctl", t -> w.sim().ioctl("vfio", "VFIO_DEVICE_RESET"));
            w.vfio().resetIoctl(b);
        });
    }

    public static void vmmHotReset(World w, int vm) {
        w.run("vmm" + vm, vmmHotResetPath(w), vm, vm);
    }

    /** VFIO_DEVICE_PCI_HOT_RESET: a secondary bus reset of the device's bus. */
    public static Path vmmHotResetPath(World w) {
        return w.path("VFIO_DEVICE_PCI_HOT_RESET", b -> {
            b.step("ioctl", t -> w.sim().ioctl("vfio", "VFIO_DEVICE_PCI_HOT_RESET"));
            w.vfio().hotResetIoctl(b);
        });
    }

    public static void linkDown(World w, int dev) {
        w.run("device" + dev, linkDownPath(w), -1, dev);
    }

    /** Surprise removal, the device's half: the link is lost; pciehp's removal is hot-unplug. */
    public static Path linkDownPath(World w) {
        return w.path("link down", b -> b.step("device: surprise removal (link down)", t -> {
            w.sim().note("device: link down, presence lost (surprise removal)");
            w.device(t.dev).linkDown();
        }));
    }

    public static void dpcRecovery(World w, int dev) {
        w.run("device" + dev, dpcRecoveryPath(w), -1, dev);
    }

    /**
     * DPC containment and recovery (drivers/pci/pcie/dpc.c, err.c, 7.2): dpc_handler() ->
     * pcie_do_recovery(frozen): the channel is frozen, vfio-pci's error_detected only
     * signals the VMM's err_trigger eventfd and answers CAN_RECOVER, dpc_reset_link()
     * retrains the link (DL_Down at the device: a conventional reset, every TDI to
     * CONFIG_UNLOCKED, §11.4.8), then report_resume. Nothing unbinds the TDI or tells the
     * TSM.
     */
    public static Path dpcRecoveryPath(World w) {
        return w.path("DPC recovery", b -> {
            b.step("dpc_handler", t -> {
                w.sim().call("dpc_handler -> pcie_do_recovery(dev" + t.dev + ", pci_channel_io_frozen, dpc_reset_link)");
                w.sim().call("pci_dev_set_io_state(dev" + t.dev + ", pci_channel_io_frozen)");
            });
            b.step("report_error_detected", t -> w.sim().call("report_error_detected -> vfio_pci_core_aer_err_detected -> eventfd_signal(err_trigger)"));
            b.step("dpc_reset_link", t -> {
                w.sim().call("dpc_reset_link(dev" + t.dev + ") /* link disabled and retrained */");
                w.device(t.dev).conventionalReset(Origin.LINK);
            });
            b.step("report_resume", t -> w.sim().call("report_resume -> pci_dev_set_io_state(dev" + t.dev + ", pci_channel_io_normal)"));
        });
    }

    public static void aerRecovery(World w, int dev) {
        w.run("aerdrv", aerRecoveryPath(w), -1, dev);
    }

    /**
     * An uncorrectable non-fatal error the Root Port reports by AER (drivers/pci/pcie/aer.c,
     * err.c, pci.c, 7.2): the aer_isr() thread runs pcie_do_recovery(frozen, aer_root_reset):
     * report_frozen_detected() -> report_error_detected() -> vfio-pci's error_detected, which
     * only signals the VMM's err_trigger eventfd; then aer_root_reset() ->
     * pci_bus_error_reset(): a secondary bus reset of the Root Port's bus (a conventional
     * reset at the device), no save and restore around it; then report_resume.
     */
    public static Path aerRecoveryPath(World w) {
        return w.path("AER recovery", b -> {
            b.step("aer_isr", t -> w.sim().call(aerRecovery(t)));
            b.step("report_error_detected", t -> w.sim().call(aerRecovery(t)
                    + " -> report_frozen_detected -> report_error_detected -> vfio_pci_core_aer_err_detected -> eventfd_signal(err_trigger)"));
            b.step("aer_root_reset", t -> {
                w.sim().call(aerRecovery(t) + " -> aer_root_reset -> pci_bus_error_reset -> pci_bridge_secondary_bus_reset /* secondary bus reset */");
                w.device(t.dev).conventionalReset(Origin.HOST);
            });
            b.step("report_resume", t -> w.sim().call(aerRecovery(t) + " -> report_resume -> pci_dev_set_io_state(dev" + t.dev + ", pci_channel_io_normal)"));
        });
    }

    private static String aerRecovery(tdisp.sim.KThread t) {
        return "aer_isr -> pcie_do_recovery(dev" + t.dev + ", pci_channel_io_frozen, aer_root_reset)";
    }

    /** The VMM (host side) clears MSE through VFIO's config region: BAR zap. */
    public static void vmmClearMse(World w, int vm) {
        w.run("vmm" + vm, vmmClearMsePath(w), vm, vm);
    }

    public static Path vmmClearMsePath(World w) {
        return w.path("MSE clear", b -> {
            b.step("qemu: clear MSE", t -> {
                setOrigin(t, Origin.HOST);
                t.arg = w.device(t.dev).command() & ~Vfio.PCI_COMMAND_MEMORY;
                w.sim().call("pwrite(vfio device fd, config region: PCI_COMMAND)");
            });
            w.vfio().configWriteCommand(b);
        });
    }

    public static void vmmRuntimePm(World w, int vm) {
        w.run("vmm" + vm, vmmRuntimePmPath(w), vm, vm);
    }

    public static Path vmmRuntimePmPath(World w) {
        return w.path("runtime PM", b -> {
            b.step("ioctl", t -> w.sim().ioctl("vfio", "VFIO_DEVICE_FEATURE(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY)"));
            w.vfio().runtimePmCycle(b);
        });
    }

    public static void closeVfio(World w, int vm) {
        w.run("vmm" + vm, closeVfioPath(w, vm), vm, vm);
    }

    public static Path closeVfioPath(World w, int vm) { return w.path("close vfio", b -> w.vmm(vm).closeVfio(b)); }

    public static void closeIommufd(World w, int vm) {
        w.run("vmm" + vm, closeIommufdPath(w, vm), vm, vm);
    }

    public static Path closeIommufdPath(World w, int vm) { return w.path("close iommufd", b -> w.vmm(vm).closeIommufd(b)); }

    public static void closeVm(World w, int vm) {
        w.run("vmm" + vm, closeVmPath(w, vm), vm, vm);
    }

    public static Path closeVmPath(World w, int vm) { return w.path("close vm", b -> w.vmm(vm).closeVm(b)); }

    public static void destroyVdevice(World w, int vm) {
        w.run("vmm" + vm, destroyVdevicePath(w, vm), vm, vm);
    }

    public static Path destroyVdevicePath(World w, int vm) { return w.path("destroy vdevice", b -> w.vmm(vm).destroyVdevice(b)); }

    /** Process exit: the kernel closes the remaining files in fd order (VM fd, iommufd, VFIO). */
    public static void vmmExit(World w, int vm) {
        if (w.kvm().fdOpen(vm)) closeVm(w, vm);
        if (w.iommufd().fdOpen(vm)) closeIommufd(w, vm);
        if (w.vfio().isOpen(vm) && w.vfio().ownerVm(vm) == vm) closeVfio(w, vm);
    }

    public static void tsmDisconnect(World w, int dev) {
        w.run("admin", tsmDisconnectPath(w), -1, dev);
    }

    public static Path tsmDisconnectPath(World w) { return w.path("tsm disconnect", b -> w.pciTsm().disconnect(b)); }

    /**
     * Hot-unplug as one admin thread: vfio_pci_remove asks the user to release the device,
     * vfio_unregister_group_dev sleeps until the VMM has closed it (another actor's move),
     * then pci_destroy_dev runs pci_tsm_destroy().
     */
    public static Path hotUnplugPath(World w) {
        return w.path("hot-unplug", b -> {
            w.vfio().requestRelease(b);
            b.waitUntil("vfio_unregister_group_dev: wait for release", t -> !w.vfio().isOpen(t.dev));
            w.pciTsm().destroy(b);
        });
    }

    /** Hot-unplug: VFIO asks the VMM to release, the VMM closes, then pci_destroy_dev runs pci_tsm_destroy. */
    public static void hotUnplug(World w, int dev) {
        w.run("admin", w.path("remove", b -> w.vfio().requestRelease(b)), -1, dev);
        closeVfio(w, dev);
        w.run("admin", w.path("pci_destroy_dev", b -> w.pciTsm().destroy(b)), -1, dev);
    }

    /** pciehp's surprise removal: pciehp_unconfigure_device(presence=false) marks the device gone, then removes it as hot-unplug does. */
    public static void surpriseRemoval(World w, int dev) {
        linkDown(w, dev);
        w.run("admin", w.path("pciehp", b -> b.step("pci_dev_set_disconnected",
            t -> w.sim().call("pciehp_unconfigure_device -> pci_dev_set_disconnected(dev" + t.dev + ")"))), -1, dev);
        hotUnplug(w, dev);
    }

    public static void hostMmioRead(World w, int dev) {
        w.run("host", hostMmioReadPath(w), -1, dev);
    }

    public static Path hostMmioReadPath(World w) {
        return w.path("host MMIO", b -> b.step("vfio_pci_bar_rw(BAR0)", t -> {
            TlpResult r = w.device(t.dev).mmioAccess(0, 0x100, false, false, Origin.HOST);
            if (w.sim().tracing()) w.sim().note("host: MemRd(T=0) of TEE BAR0 -> " + r);
        }));
    }

    public static void hostDma(World w, int dev) {
        w.run("host", hostDmaPath(w), -1, dev);
    }

    public static Path hostDmaPath(World w) {
        return w.path("host DMA", b -> b.step("device: MemWr T=0 (host-programmed)", t -> {
            TlpResult r = w.device(t.dev).dmaWrite(w.iommu(), World.PRIVATE_GPA, false);
            if (w.sim().tracing()) w.sim().note("device: host-programmed MemWr(T=0) to private GPA -> " + r);
        }));
    }

    /** The device's error injection (an allowed cause of ERROR for I1). */
    public static Path injectErrorPath(World w) {
        return w.path("inject ERROR", b -> b.step("device: internal error -> TDISP ERROR", t -> w.device(t.dev).injectError()));
    }

    /** The VMM flips one ciphertext byte in the shared request page after the guest filled it. */
    public static void tamperedRequest(World w, int vm, GuestOp op) {
        w.run("guest" + vm, w.routing().guestOpWithHostMeddling(vm, op, b -> b.step("vmm: tamper request page", t -> tamper(w, vm))), vm, vm);
    }

    /** Flips a ciphertext byte of the guest's shared request page (the ghost tag follows). */
    public static void tamper(World w, int vm) {
        MsgBuf page = w.guest(vm).requestPage();
        page.data[0] ^= 0x5a;
        page.ghostTag ^= 0x5a5a5a5a;
        if (w.sim().tracing()) w.sim().note("vmm: flipped a ciphertext byte of seq " + page.seqno + " in the shared request page");
    }

    /** A copy of the guest's shared request page as the VMM can take it at any time. */
    public static MsgBuf captureRequestPage(World w, int vm) {
        MsgBuf copy = new MsgBuf();
        copy.copyFrom(w.guest(vm).requestPage());
        return copy;
    }

    /** The VMM overwrites the guest's fresh request with an earlier captured one. */
    public static void replayedRequest(World w, int vm, GuestOp op, MsgBuf old) {
        w.run("guest" + vm, w.routing().guestOpWithHostMeddling(vm, op, b -> b.step("vmm: replay old request", t -> {
            w.guest(vm).requestPage().copyFrom(old);
            w.sim().note("vmm: wrote captured request seq " + old.seqno + " over the shared request page");
        })), vm, vm);
    }
}
