package tdisp.kernel;

import tdisp.iommu.Iommu;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.KRef;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.BoundState;
import tdisp.strategy.DestroyOrder;
import tdisp.strategy.KnobSection;

/**
 * The objects of iommufd ({@link Iommufd}) and the lookups every ioctl shares: the ictx,
 * vIOMMU, idevice and vDEVICE of each slot, their xarray slots and wait counts, the locks,
 * and iommufd_get_object() / fdget() with their puts. The paths live in the subclasses, one
 * job each: {@link IommufdTeardown} (destroy, unbind, release), {@link IommufdTsmOps} (the
 * vDEVICE TSM ioctls), {@link Iommufd} (setup, host-only ioctls, snapshots).
 */
public abstract sealed class IommufdObjects permits IommufdTeardown {
    public static final String IGROUP_LOCK = "igroup->lock";
    public static final String TSM_LOCK = "vdev->tsm_lock";

    final Sim sim;
    final KnobSection.Iommufd knobs;
    final KnobSection.Bind bind;
    /** VFIO owns the bound state (the VFIO ioctl route): iommufd leaves the bind to it. */
    final boolean vfioOwnsBound;
    final PciTsm tsm;
    final Kvm kvm;
    final Iommu iommu;
    final int[] rids;
    final KRef[] ictx;
    final boolean[] fdOpen;
    final KRef[] viommu;
    /** False in host-only runs: no VM exists, so a vIOMMU takes and puts no KVM reference. */
    boolean kvmAttached = true;
    final KRef[] idevice;
    final int[] idevOwner;
    final KRef[] vdevice;
    final int[] vdevOwner;
    final int[] virtId;
    final boolean[] tsmBound;
    /** iommufd_object::wait_cnt of each vDEVICE: 1 for the xarray, +1 per iommufd_get_object() holder. */
    final int[] vdevWait;
    /** The vDEVICE's xarray slot: XA_NONE, XA_OBJ (the object) or XA_TOMBSTONE (XA_ZERO_ENTRY). */
    final byte[] vdevXa;
    /**
     * Whose ctx->objects holds that slot (the VM that allocated the vDEVICE, or -1): a
     * tombstone outlives the owner, and only its own ctx's release erases it.
     */
    final int[] vdevXaCtx;
    /** iommufd_object::wait_cnt of each idevice: 1 for the xarray, +1 while a vDEVICE points at it. */
    final int[] idevWait;
    /** iommufd_device::destroying: set by iommufd_device_remove_vdev(); IOMMU_VDEVICE_ALLOC then fails. */
    final boolean[] idevDestroying;
    /** ioctl(2)s in flight on each iommufd: each holds the struct file (fdget) until it returns. */
    final int[] ioctlsInFlight;
    final KLock[] igroupLock;
    final KLock[] tsmLock;
    final KernelCopy copies;

    boolean selftestMock;
    final boolean faultNoKvmRef;
    final boolean faultNoRemoveWait;
    final boolean faultDestroyBusy;
    final boolean faultCopybackEfault;

    /** Reads the {@code iommufd.*} and {@code bind.*} sections, and of {@code vfio.*} whether VFIO owns the bound state. */
    IommufdObjects(Sim sim, KnobSection.Iommufd knobs, KnobSection.Bind bind, KnobSection.Vfio vfio, PciTsm tsm, Kvm kvm, Iommu iommu, int[] rids, int vms,
            IommufdFaults faults) {
        this.sim = sim;
        this.faultNoKvmRef = faults.noKvmRef();
        this.faultNoRemoveWait = faults.noRemoveWait();
        this.faultDestroyBusy = faults.destroyBusy();
        this.faultCopybackEfault = faults.copybackEfault();
        this.knobs = knobs;
        this.bind = bind;
        this.vfioOwnsBound = vfio.boundState() == BoundState.OWNED;
        this.tsm = tsm;
        this.kvm = kvm;
        this.iommu = iommu;
        this.rids = rids;
        int n = rids.length;
        ictx = new KRef[vms];
        fdOpen = new boolean[vms];
        viommu = new KRef[vms];
        idevice = new KRef[n];
        idevOwner = new int[n];
        vdevice = new KRef[n];
        vdevOwner = new int[n];
        virtId = new int[n];
        tsmBound = new boolean[n];
        vdevWait = new int[n];
        vdevXa = new byte[n];
        vdevXaCtx = new int[n];
        java.util.Arrays.fill(vdevXaCtx, -1);
        idevWait = new int[n];
        idevDestroying = new boolean[n];
        ioctlsInFlight = new int[vms];
        igroupLock = new KLock[n];
        tsmLock = new KLock[n];
        copies = new KernelCopy(sim, n, true);
        for (int i = 0; i < n; i++) {
            igroupLock[i] = KLock.mutex(IGROUP_LOCK, "dev" + i);
            tsmLock[i] = KLock.mutex(TSM_LOCK, "dev" + i);
            idevOwner[i] = -1;
            vdevOwner[i] = -1;
        }
        sim.register(igroupLock);
        sim.register(tsmLock);
    }

    static final byte XA_NONE = 0, XA_OBJ = 1, XA_TOMBSTONE = 2;

    boolean yilun() { return vfioOwnsBound; }

    boolean modern() { return knobs.destroyOrder() == DestroyOrder.VDEVICE_FIRST; }

    /**
     * iommufd_get_vdevice(ictx, id) = iommufd_get_object(): xa_load under xa_lock, then
     * iommufd_lock_obj() raises {@code users} and {@code wait_cnt}, each only if not zero. A
     * tombstone (XA_ZERO_ENTRY) or an object whose wait_cnt already reached zero is -ENOENT.
     */
    void getVdevice(PathBuilder b) {
        b.step("iommufd_get_vdevice", t -> {
            sim.lookup("iommufd_get_vdevice(ictx, vdevice_id)");
            if (vdevXa[t.dev] != XA_OBJ || vdevOwner[t.dev] != t.vm || vdevice[t.dev].refs() == 0 || vdevWait[t.dev] == 0) {
                sim.ret("iommufd_get_vdevice", Errno.ENOENT);
                t.fail(Errno.ENOENT);
                return;
            }
            vdevice[t.dev].get();
            vdevWait[t.dev]++;
            t.flags |= HELD_VDEV;
        });
    }

    static final long HELD_VDEV = 1;

    /** fdget() at ioctl(2) entry: a closed iommufd is -EBADF; an open one stays alive for the call. */
    void fdget(tdisp.sim.KThread t) {
        if (!fdOpen[t.vm]) { sim.ret("iommufd_fops_ioctl", Errno.EBADF); t.fail(Errno.EBADF); return; }
        ioctlsInFlight[t.vm]++;
        t.flags |= HELD_FILE;
    }

    static final long HELD_FILE = 2;

    /** fdput() at ioctl(2) return. */
    void fdput(PathBuilder b) {
        b.cleanup("fdput(iommufd)", t -> {
            if ((t.flags & HELD_FILE) != 0) { t.flags &= ~HELD_FILE; ioctlsInFlight[t.vm]--; }
        });
    }

    /** iommufd_put_object(): users first, then wait_cnt, waking a destroyer in REMOVE_WAIT. */
    void putVdevice(PathBuilder b) {
        b.cleanup("iommufd_put_object(vdevice)", t -> {
            if ((t.flags & HELD_VDEV) != 0) {
                t.flags &= ~HELD_VDEV;
                vdevice[t.dev].put();
                vdevWait[t.dev]--;
            }
        });
    }

}
