package tdisp.kernel;

import java.util.List;

import tdisp.device.PciFunction;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.BoundState;
import tdisp.strategy.HostEventPolicy;
import tdisp.strategy.KnobSection;

/**
 * The vfio_pci_core_device of each function ({@link Vfio}) and what every VFIO path shares:
 * the locks, fdget()/fdput() on the cdev's file, the {@code vfio.on-host-event} hook and
 * the zap under memory_lock. The paths live in the subclasses, one job each: {@link VfioReset}
 * (function, bus and runtime-PM resets, vfio_pci_core_disable()), {@link Vfio} (open and
 * close, dma-buf, config writes, TSM ioctls, snapshots).
 */
public abstract sealed class VfioDevices permits VfioReset {
    public static final String DEV_SET_LOCK = "dev_set->lock";
    public static final String MEMORY_LOCK = "vdev->memory_lock";
    public static final int PCI_COMMAND_MEMORY = 0x2;
    public static final int PCI_COMMAND_MASTER = 0x4;
    public static final int PCI_COMMAND_INTX_DISABLE = 0x400;

    final Sim sim;
    final KnobSection.Vfio knobs;
    final PciTsm tsm;
    final Iommufd iommufd;
    final Kvm kvm;
    final List<PciFunction> devices;
    final KLock[] devSetLock;
    final KLock[] memoryLock;
    final boolean[] open;
    final int[] ownerVm;
    /** vfio_pci_core_request() ran: the VMM was asked to release, and tells its guest of the removal. */
    final boolean[] removalRequested;
    /** The Command register pci_pm_runtime_suspend() saved, for pci_restore_state() at resume. */
    final int[] pmSavedCommand;
    /** vdev->needs_reset between the function reset and vfio_pci_dev_set_try_reset(). */
    final boolean[] needsReset;
    /**
     * The BAR dma-buf KVM imported is on vdev->dmabufs with priv->vdev set. Cleared by
     * vfio_pci_dma_buf_cleanup() (list_del_init, priv->vdev = NULL): a later
     * vfio_pci_dma_buf_move() walks an empty list and notifies nobody.
     */
    final boolean[] dmabufLinked;
    /** The VMM's fd of the cdev is in its file table; close(2) removes it before any release. */
    final boolean[] fdOpen;
    /** Calls in flight on the cdev's file (fdget): each holds the struct file until fdput. */
    final int[] callsInFlight;
    final KernelCopy copies;
    /**
     * vdev->pci_saved_state: Command as vfio_pci_core_enable() saved it at open (after
     * pci_enable_device()); vfio_pci_core_disable() restores it. Set only at open, which the
     * explorer never replays, so it is not part of the saved state.
     */
    final int[] openCommand;
    /** KVM_DEV_VFIO_FILE_ADD was done: the device holds a KVM reference (false in host-only runs). */
    boolean kvmAttached = true;

    /** Reads the {@code vfio.*} section. */
    VfioDevices(Sim sim, KnobSection.Vfio knobs, PciTsm tsm, Iommufd iommufd, Kvm kvm, List<PciFunction> devices) {
        this.sim = sim;
        this.knobs = knobs;
        this.tsm = tsm;
        this.iommufd = iommufd;
        this.kvm = kvm;
        this.devices = devices;
        int n = devices.size();
        devSetLock = new KLock[n];
        memoryLock = new KLock[n];
        open = new boolean[n];
        ownerVm = new int[n];
        removalRequested = new boolean[n];
        needsReset = new boolean[n];
        pmSavedCommand = new int[n];
        openCommand = new int[n];
        dmabufLinked = new boolean[n];
        fdOpen = new boolean[n];
        callsInFlight = new int[n];
        copies = new KernelCopy(sim, n, true);
        for (int i = 0; i < n; i++) {
            devSetLock[i] = KLock.mutex(DEV_SET_LOCK, "dev" + i);
            memoryLock[i] = KLock.rwsem(MEMORY_LOCK, "dev" + i);
            ownerVm[i] = -1;
        }
        sim.register(devSetLock);
        sim.register(memoryLock);
    }

    /**
     * fdget() at the entry of a call on the cdev (ioctl, pwrite of the config region): a fd
     * closed (or never this VM's) is -EBADF; an open one holds the struct file until fdput(),
     * so vfio_device_fops_release() cannot begin under it.
     */
    void fdget(PathBuilder b, String fn) {
        b.step("fdget(vfio cdev)", t -> {
            if (!fdOpen[t.dev] || ownerVm[t.dev] != t.vm) { sim.ret(fn, Errno.EBADF); t.fail(Errno.EBADF); return; }
            callsInFlight[t.dev]++;
            t.flags |= HELD_FILE;
        });
    }

    static final long HELD_FILE = 1L << 9;

    /** fdput() at the call's return. */
    void fdput(PathBuilder b) {
        b.cleanup("fdput(vfio cdev)", t -> {
            if ((t.flags & HELD_FILE) != 0) { t.flags &= ~HELD_FILE; callsInFlight[t.dev]--; }
        });
    }

    /** What VFIO knows of the TDI's bound state, per vfio.bound-state. */
    public boolean knowsBound(int dev) {
        return switch (knobs.boundState()) {
            case NONE -> false;
            case NOTIFIED -> tsm.boundKvm(dev) >= 0;
            case OWNED -> iommufd.tsmBound(dev);
        };
    }

    /**
     * The policy hook before an operation that would break a locked TDI: nothing,
     * vfio_pci_tsm_unbind() first, or refuse with -EBUSY. release() cannot fail, so on
     * close "refuse" degrades to doing nothing.
     */
    void hostEvent(PathBuilder b, String event, boolean canFail) {
        HostEventPolicy p = knobs.onHostEvent();
        if (p == HostEventPolicy.NONE || knobs.boundState() == BoundState.NONE) return;
        if (p == HostEventPolicy.REFUSE && canFail) {
            b.when("vfio_pci_tsm_bound()", t -> knowsBound(t.dev), in -> in.step("refuse " + event, t -> {
                sim.note("VFIO refuses " + event + ": TDI is bound");
                sim.ret(event, Errno.EBUSY);
                t.fail(Errno.EBUSY);
            }));
            return;
        }
        if (p == HostEventPolicy.REFUSE) return;
        b.when("vfio_pci_tsm_bound()", t -> knowsBound(t.dev), in -> {
            in.step("vfio_pci_tsm_unbind", t -> sim.call("vfio_pci_tsm_unbind(dev" + t.dev + ") before " + event));
            if (knobs.boundState() == BoundState.OWNED) {
                in.step("vfio_iommufd_tsm_unbind", t -> sim.call("vfio_iommufd_tsm_unbind"));
                iommufd.deviceTsmBind(in, false);
            } else {
                tsm.unbind(in);
            }
        });
    }

    /** vfio_pci_zap_and_down_write_memory_lock() + vfio_pci_dma_buf_move(revoke): KVM zaps private MMIO. */
    void zapAndDownWrite(PathBuilder b) {
        b.lock(t -> memoryLock[t.dev], LockMode.WRITE, MEMORY_LOCK)
         .step("vfio_pci_zap_bars", t -> sim.call("vfio_pci_zap_bars(dev" + t.dev + ") + vfio_pci_dma_buf_move(revoke)"));
        if (kvmAttached) b.when("!list_empty(&vdev->dmabufs)", t -> dmabufLinked[t.dev], in -> kvm.arch().dmaBufRevoke(in));
    }

    static String hex(int v) { return String.format("%#06x", v); }

}
