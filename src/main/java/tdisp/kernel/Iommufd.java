package tdisp.kernel;

import tdisp.iommu.Iommu;
import tdisp.sim.Errno;
import tdisp.sim.KLock;
import tdisp.sim.KRef;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;
import tdisp.strategy.BoundState;
import tdisp.strategy.DestroyOrder;
import tdisp.strategy.KnobSection;

/**
 * iommufd (drivers/iommu/iommufd/): one ictx per VMM, idevices bound by VFIO, a vIOMMU
 * holding a KVM reference, and a vDEVICE per device carrying its guest-visible id.
 * Paths follow Aneesh's v5 (iommufd_vdevice_tsm_op_ioctl / _req_ioctl take no iommufd
 * lock; iommufd_vdevice_abort calls tsm_unbind under igroup->lock) or, when VFIO owns
 * the bound state, Yilun's RFC (igroup->lock then vdev->tsm_lock, vdev->tsm_bound).
 * Ictx index = VM index: each VM has its own VMM and iommufd.
 */
public final class Iommufd {
    public static final String IGROUP_LOCK = "igroup->lock";
    public static final String TSM_LOCK = "vdev->tsm_lock";

    private final Sim sim;
    private final KnobSection.Iommufd knobs;
    private final KnobSection.Bind bind;
    /** VFIO owns the bound state (the VFIO ioctl route): iommufd leaves the bind to it. */
    private final boolean vfioOwnsBound;
    private final PciTsm tsm;
    private final Kvm kvm;
    private final Iommu iommu;
    private final int[] rids;
    private final KRef[] ictx;
    private final boolean[] fdOpen;
    private final KRef[] viommu;
    /** False in host-only runs: no VM exists, so a vIOMMU takes and puts no KVM reference. */
    private boolean kvmAttached = true;
    private final KRef[] idevice;
    private final int[] idevOwner;
    private final KRef[] vdevice;
    private final int[] vdevOwner;
    private final int[] virtId;
    private final boolean[] tsmBound;
    /** iommufd_object::wait_cnt of each vDEVICE: 1 for the xarray, +1 per iommufd_get_object() holder. */
    private final int[] vdevWait;
    /** The vDEVICE's xarray slot: XA_NONE, XA_OBJ (the object) or XA_TOMBSTONE (XA_ZERO_ENTRY). */
    private final byte[] vdevXa;
    /**
     * Whose ctx->objects holds that slot (the VM that allocated the vDEVICE, or -1): a
     * tombstone outlives the owner, and only its own ctx's release erases it.
     */
    private final int[] vdevXaCtx;
    /** iommufd_object::wait_cnt of each idevice: 1 for the xarray, +1 while a vDEVICE points at it. */
    private final int[] idevWait;
    /** iommufd_device::destroying: set by iommufd_device_remove_vdev(); IOMMU_VDEVICE_ALLOC then fails. */
    private final boolean[] idevDestroying;
    /** ioctl(2)s in flight on each iommufd: each holds the struct file (fdget) until it returns. */
    private final int[] ioctlsInFlight;
    private final KLock[] igroupLock;
    private final KLock[] tsmLock;
    private final KernelCopy copies;

    /** Reads the {@code iommufd.*} and {@code bind.*} sections, and of {@code vfio.*} whether VFIO owns the bound state. */
    public Iommufd(Sim sim, KnobSection.Iommufd knobs, KnobSection.Bind bind, KnobSection.Vfio vfio, PciTsm tsm, Kvm kvm, Iommu iommu, int[] rids, int vms) {
        this.sim = sim;
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

    private boolean yilun() { return vfioOwnsBound; }

    // ---- setup (run by the VMM at start, before any scenario) ----

    public void open(int vm) {
        ictx[vm] = new KRef(sim, "iommufd_ctx[vm" + vm + "]");
        fdOpen[vm] = true;
    }

    /** iommufd_device_bind() from VFIO_DEVICE_BIND_IOMMUFD: the device holds an ictx ref. */
    public void deviceBind(int vm, int dev) {
        ictx[vm].get();
        idevice[dev] = new KRef(sim, "iommufd_device[dev" + dev + "]");
        idevOwner[dev] = vm;
        idevWait[dev] = 1;
        idevDestroying[dev] = false;
        iommu.attach(rids[dev], vm);
    }

    /** IOMMU_VIOMMU_ALLOC: the vIOMMU takes a reference on the VM (v5: a KVM file ref). */
    public void viommuAlloc(int vm) {
        viommu[vm] = new KRef(sim, "iommufd_viommu[vm" + vm + "]");
        if (!faultNoKvmRef) kvm.get(vm);
    }

    private boolean faultNoKvmRef;

    /** Fault injection for I7 non-vacuity: the vIOMMU keeps a bare kvm pointer. */
    public void setFaultNoKvmRef(boolean on) { faultNoKvmRef = on; }

    /** IOMMU_VDEVICE_ALLOC: -EEXIST if the idevice already has a vdevice. */
    public int vdeviceAlloc(int vm, int dev, int guestBdf) {
        if (idevOwner[dev] != vm) return Errno.ENOENT;
        // iommufd_vdevice_alloc_ioctl() under igroup->lock: a dying idevice takes no new vDEVICE.
        if (idevDestroying[dev]) return Errno.ENOENT;
        if (vdevOwner[dev] >= 0) return Errno.EEXIST;
        vdevice[dev] = new KRef(sim, "iommufd_vdevice[dev" + dev + "]");
        vdevOwner[dev] = vm;
        vdevXa[dev] = XA_OBJ;
        vdevXaCtx[dev] = vm;
        vdevWait[dev] = 1;
        virtId[dev] = guestBdf;
        if (knobs.destroyOrder() == DestroyOrder.VDEVICE_FIRST) {
            // "A wait_cnt reference is held on the idev so long as we have the pointer" (viommu.c).
            idevice[dev].get();
            idevWait[dev]++;
        }
        viommu[vm].get();
        return Errno.OK;
    }

    /**
     * v7's bind (knob bind.trigger=vdevice-alloc): iommufd_vdevice_alloc_ioctl() holds
     * igroup->lock while the vIOMMU's vdevice_init, which the PCI/TSM backend supplies,
     * calls tsm_bind(dev, kvm, virt_id) on a refcounted TSM context. Mainline 7.2 has the
     * hook under the lock (drivers/iommu/iommufd/viommu.c); that a TSM backend fills it and
     * binds there is v7 as the posting's summary and the CCA v7 branch have it.
     */
    public void vdeviceInitBind(PathBuilder b) {
        b.step("iommufd_vdevice_alloc_ioctl", t -> sim.call("iommufd_vdevice_alloc_ioctl(viommu of vm" + t.vm + ", dev" + t.dev + ", virt_id=" + PciTsm.hex(virtId[t.dev]) + ")"))
         .lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("viommu->ops->vdevice_init", t -> {
             t.arg = virtId[t.dev];
             sim.call("vdevice_init(vdev) -> tsm_bind(dev" + t.dev + ", viommu->kvm, vdev->virt_id)");
         });
        tsm.bind(b);
        b.unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
    }

    // ---- queries ----

    public boolean fdOpen(int vm) { return fdOpen[vm]; }

    public boolean tsmBound(int dev) { return tsmBound[dev]; }

    /**
     * iommufd_get_vdevice(ictx, id) = iommufd_get_object(): xa_load under xa_lock, then
     * iommufd_lock_obj() raises {@code users} and {@code wait_cnt}, each only if not zero. A
     * tombstone (XA_ZERO_ENTRY) or an object whose wait_cnt already reached zero is -ENOENT.
     */
    private void getVdevice(PathBuilder b) {
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

    private static final long HELD_VDEV = 1;

    /** fdget() at ioctl(2) entry: a closed iommufd is -EBADF; an open one stays alive for the call. */
    private void fdget(tdisp.sim.KThread t) {
        if (!fdOpen[t.vm]) { sim.ret("iommufd_fops_ioctl", Errno.EBADF); t.fail(Errno.EBADF); return; }
        ioctlsInFlight[t.vm]++;
        t.flags |= HELD_FILE;
    }

    private static final long HELD_FILE = 2;

    /** fdput() at ioctl(2) return. */
    private void fdput(PathBuilder b) {
        b.cleanup("fdput(iommufd)", t -> {
            if ((t.flags & HELD_FILE) != 0) { t.flags &= ~HELD_FILE; ioctlsInFlight[t.vm]--; }
        });
    }

    /** iommufd_put_object(): users first, then wait_cnt, waking a destroyer in REMOVE_WAIT. */
    private void putVdevice(PathBuilder b) {
        b.cleanup("iommufd_put_object(vdevice)", t -> {
            if ((t.flags & HELD_VDEV) != 0) {
                t.flags &= ~HELD_VDEV;
                vdevice[t.dev].put();
                vdevWait[t.dev]--;
            }
        });
    }

    // ---- v5: IOMMU_VDEVICE_TSM_OP / IOMMU_VDEVICE_TSM_REQ ----

    /** iommufd_vdevice_tsm_op_ioctl(BIND|UNBIND): tsm_bind(dev, viommu->kvm, vdev->virt_id). */
    public void tsmOpIoctl(PathBuilder b, boolean bind) {
        b.step("iommufd_vdevice_tsm_op_ioctl", t -> {
            sim.call("iommufd_vdevice_tsm_op_ioctl(" + (bind ? "BIND" : "UNBIND") + ")");
            fdget(t);
        });
        getVdevice(b);
        if (bind) {
            b.step("tsm_bind", t -> { t.arg = virtId[t.dev]; sim.call("tsm_bind(dev" + t.dev + ", viommu->kvm, vdev->virt_id)"); });
            tsm.bind(b);
        } else {
            b.step("tsm_unbind", t -> sim.call("tsm_unbind(dev" + t.dev + ")"));
            tsm.unbind(b);
        }
        putVdevice(b);
        fdput(b);
    }

    /** iommufd_vdevice_tsm_req_ioctl: copy_from_user, tsm_guest_req, copy_to_user. */
    public void tsmReqIoctl(PathBuilder b) {
        String fn = yilun() ? "iommufd_vdevice_tsm_guest_request_ioctl" : "iommufd_vdevice_tsm_req_ioctl";
        reqIoctl(b, fn, check -> { }, in -> {
            if (yilun()) {
                in.lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK)
                  .step("vdev->tsm_bound?", t -> { if (!tsmBound[t.dev]) { sim.ret("iommufd_vdevice_tsm_guest_request_ioctl", Errno.EINVAL); t.fail(Errno.EINVAL); } });
                tsm.guestReq(in);
                in.unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
            } else {
                in.step("tsm_guest_req", t -> sim.call("tsm_guest_req(pdev)"));
                tsm.guestReq(in);
            }
        });
    }

    /**
     * IOMMU_VDEVICE_TSM_REQ with a typed op (after the v5 review): iommufd checks
     * {@code tvm_arch} and the op before it looks the vDEVICE up (-EINVAL otherwise; a null
     * op is a request the typed uAPI has no op for). On SEV_ENABLE_DMA iommufd also tells
     * the host IOMMU driver the device goes secure (domain->ops->tsm_enable, in AMD's tree
     * drivers/iommu/iommufd/viommu.c, as Alexey Kardashevskiy points out in the v5 5/5
     * thread): the one op iommufd itself acts on.
     */
    public void tsmReqTypedIoctl(PathBuilder b, TsmReqOp op, TvmArch arch) {
        String fn = "iommufd_vdevice_tsm_req_ioctl";
        String req = "tsm_guest_req(pdev, op=" + op + ", tvm_arch=" + arch + ")";
        reqIoctl(b, fn, check -> check.step("iommufd_vdevice_tsm_req_op_valid", t -> {
            if (op == null || !op.validFor(arch)) {
                sim.ret(fn, Errno.EINVAL);
                t.fail(Errno.EINVAL);
            }
        }), in -> {
            in.step("tsm_guest_req", t -> sim.call(req));
            tsm.guestReq(in);
            if (op == TsmReqOp.TSM_REQ_SEV_ENABLE_DMA || op == TsmReqOp.TSM_REQ_SEV_DISABLE_DMA) {
                boolean on = op == TsmReqOp.TSM_REQ_SEV_ENABLE_DMA;
                in.step("domain->ops->tsm_enable", t -> {
                    if (sim.tracing()) sim.call("iommufd: " + op + " -> domain->ops->" + (on ? "tsm_enable" : "tsm_disable") + "(dev" + t.dev + ")");
                });
            }
        });
    }

    /**
     * IOMMU_VDEVICE_TSM_REQ with v7's 48-byte struct {size, vdevice_id, op, tvm_arch,
     * req_len, resp_len, req_uptr, resp_uptr, tsm_code}: tvm_arch and op checked first
     * (-EINVAL), then the vDEVICE, the request, and the copy back of the whole struct, which
     * always carries tsm_code (its failure turns any result into -EFAULT). The return value
     * is -errno, a positive residue of unused response bytes, or 0 (kamalca/linux
     * iommufd_vdevice_tsm_req_ioctl(); the v7 struct as the CCA v7 branch encodes it).
     */
    public void tsmReqV7Ioctl(PathBuilder b, TsmReqOp op, TvmArch arch) {
        String fn = "iommufd_vdevice_tsm_req_ioctl";
        reqIoctl(b, fn, check -> check.step("iommufd_vdevice_tsm_req_op_valid", t -> {
            if (op == null || !op.validForV7(arch)) {
                sim.ret(fn, Errno.EINVAL);
                t.fail(Errno.EINVAL);
            }
        }), in -> {
            in.step("tsm_guest_req", t -> { if (sim.tracing()) sim.call("tsm_guest_req(pdev, op=" + op + ", tvm_arch=" + arch + ", &tsm_code)"); });
            tsm.guestReq(in);
            in.step("iommufd_ucmd_respond", t -> {
                if (sim.tracing()) sim.call("iommufd_ucmd_respond(ucmd, 48): tsm_code always copied back");
            });
        });
    }

    /**
     * The frame both guest-request ioctls share: the ioctl holds its iommufd file, checks
     * its arguments, holds the vDEVICE and copies the pages in and out around the request.
     */
    private void reqIoctl(PathBuilder b, String fn, java.util.function.Consumer<PathBuilder> check,
                          java.util.function.Consumer<PathBuilder> request) {
        b.step(fn, t -> { sim.call(fn); fdget(t); });
        check.accept(b);
        getVdevice(b);
        copies.copyIn(b);
        request.accept(b);
        copies.copyOut(b);
        b.step("copy back", t -> {
            if (faultCopybackEfault && !t.failed()) {
                // The state change is done; only the answer to the VMM is lost.
                sim.ret(fn, Errno.EFAULT);
                t.fail(Errno.EFAULT);
            }
        });
        putVdevice(b);
        fdput(b);
    }

    // ---- Yilun: iommufd_device_tsm_bind/unbind called by VFIO ----

    public void deviceTsmBind(PathBuilder b, boolean bind) {
        String fn = bind ? "iommufd_device_tsm_bind" : "iommufd_device_tsm_unbind";
        b.step(fn, t -> sim.call(fn + "(dev" + t.dev + ")"))
         .lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("idev->vdev?", t -> {
             if (vdevOwner[t.dev] < 0) { sim.ret(fn, Errno.ENOENT); t.fail(Errno.ENOENT); }
         })
         .lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
        if (bind) {
            b.step("iommufd_vdevice_tsm_bind", t -> { t.arg = virtId[t.dev]; sim.call("iommufd_vdevice_tsm_bind -> viommu->ops->setup_trusted_vdev"); });
            tsm.bind(b);
            b.step("vdev->tsm_bound = true", t -> tsmBound[t.dev] = true);
        } else {
            b.step("iommufd_vdevice_tsm_unbind", t -> sim.call("iommufd_vdevice_tsm_unbind"));
            tsm.unbind(b);
            b.step("vdev->tsm_bound = false", t -> tsmBound[t.dev] = false);
        }
        b.unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK)
         .unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
    }

    // ---- destruction ----

    /**
     * iommufd_vdevice_abort() (6.17+), caller holds igroup->lock: unbind the TDI, drop the
     * viommu ref, clear idev->vdev. Before 6.17 the vDEVICE had no idev pointer: it held the
     * struct device itself (get_device()), so destroying it after the idevice is not a use
     * after free, only an unbind that runs after VFIO has released the device.
     */
    private void vdeviceAbort(PathBuilder b) {
        boolean modern = modern();
        b.step("iommufd_vdevice_abort", t -> sim.call((modern ? "iommufd_vdevice_abort(dev" : "iommufd_vdevice_destroy(dev") + t.dev + ")"));
        if (modern) b.step("vdev->idev->dev", t -> idevice[t.dev].use("iommufd_vdevice_abort"));
        else b.step("vdev->dev", t -> {
            if (idevice[t.dev].freed()) sim.note("vDEVICE outlives its idevice: VFIO already released the device");
        });
        if (yilun()) {
            b.when("vdev->tsm_bound", t -> tsmBound[t.dev], in -> {
                in.lock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
                tsm.unbind(in);
                in.step("vdev->tsm_bound = false", t -> tsmBound[t.dev] = false)
                  .unlock(t -> tsmLock[t.dev], LockMode.MUTEX, TSM_LOCK);
            });
        } else if (bind.entry() != tdisp.strategy.Entry.KVM) {
            // The vDEVICE carries the TSM binding only where iommufd routes bind (v5, RFC v2);
            // v7's vdev->destroy drops the TSM context vdevice_init took.
            b.step("tsm_unbind", t -> sim.call(bind.atVdeviceAlloc()
                    ? "vdev->destroy -> tsm_unbind(dev" + t.dev + ")" : "tsm_unbind(dev" + t.dev + ")"));
            tsm.unbind(b);
        }
        b.step(modern ? "idev->vdev = NULL" : "put_device, viommu", t -> {
            viommu[vdevOwner[t.dev]].put();
            vdevOwner[t.dev] = -1;
        });
    }

    /**
     * iommufd_vdevice_destroy(): abort under igroup->lock, then (6.17+) iommufd_put_object()
     * on the idev, which drops the wait_cnt the vDEVICE held and frees the vDEVICE's memory.
     */
    private void vdeviceDestroy(PathBuilder b) {
        boolean modern = modern();
        if (modern) b.step("iommufd_vdevice_destroy", t -> sim.call("iommufd_vdevice_destroy(dev" + t.dev + ")"));
        b.lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
        vdeviceAbort(b);
        b.unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("iommufd_put_object(idev)", t -> {
             if (modern && !idevice[t.dev].freed()) { idevice[t.dev].put(); idevWait[t.dev]--; }
             // The last users reference: the vDEVICE's memory goes (kfree in iommufd_object_remove).
             vdevice[t.dev].put();
         });
    }

    // ---- host-only ioctls (the referee's iommufd-selftest recordings) ----

    /** Host-only runs: no VM, so a vIOMMU allocated by the user holds no KVM reference. */
    public void detachKvm() { kvmAttached = false; }

    /**
     * IOMMU_VIOMMU_ALLOC from userspace with no VM: iommufd_viommu_alloc_ioctl(). The
     * IOMMUFD_TEST mock vIOMMU takes no KVM reference (a vIOMMU takes one only where a VM
     * exists here).
     */
    public void viommuAllocIoctl(PathBuilder b) {
        b.step("iommufd_viommu_alloc_ioctl", t -> {
            sim.call("iommufd_viommu_alloc_ioctl(vm" + t.vm + ")");
            viommu[t.vm] = new KRef(sim, "iommufd_viommu[vm" + t.vm + "]");
            if (!faultNoKvmRef && kvmAttached) kvm.get(t.vm);
        });
    }

    /** IOMMU_VDEVICE_ALLOC from userspace: iommufd_vdevice_alloc_ioctl() (errno in the trace). */
    public void vdeviceAllocIoctl(PathBuilder b, int virtId) {
        b.step("iommufd_vdevice_alloc_ioctl", t -> {
            sim.call("iommufd_vdevice_alloc_ioctl(viommu of vm" + t.vm + ", dev" + t.dev + ")");
            int rc = vdeviceAlloc(t.vm, t.dev, virtId);
            if (rc != Errno.OK) { sim.ret("iommufd_vdevice_alloc_ioctl", rc); t.fail(rc); }
        });
    }

    /**
     * IOMMU_DESTROY(viommu_id): iommufd_object_remove() without REMOVE_WAIT; each vDEVICE
     * holds a users reference on its vIOMMU, so a vIOMMU with a vDEVICE is -EBUSY
     * (drivers/iommu/iommufd/main.c, viommu.c, 7.2).
     */
    public void destroyViommuIoctl(PathBuilder b) {
        b.step("iommufd_destroy(viommu)", t -> {
            sim.call("iommufd_destroy(viommu of vm" + t.vm + ") -> iommufd_object_remove");
            if (viommu[t.vm] == null || viommu[t.vm].freed()) { sim.ret("iommufd_object_remove", Errno.ENOENT); t.fail(Errno.ENOENT); return; }
            if (viommu[t.vm].refs() != 1) { sim.ret("iommufd_object_remove", Errno.EBUSY); t.fail(Errno.EBUSY); return; }
            sim.call("iommufd_destroy(viommu of vm" + t.vm + ") -> iommufd_object_remove -> iommufd_viommu_destroy(vm" + t.vm + ")");
            viommu[t.vm].forceFree();
        });
    }

    /**
     * IOMMU_DESTROY of the IOMMUFD_TEST mock device's object: its destroy,
     * iommufd_selftest_destroy(), detaches and unbinds the idevice it bound
     * (iommufd_device_detach(), iommufd_device_unbind(); drivers/iommu/iommufd/selftest.c,
     * 7.2): the model's idevice unbind, vDEVICE and all, without the VFIO file around it.
     */
    public void selftestDestroyIoctl(PathBuilder b) {
        b.step("iommufd_destroy(mock device)", t -> sim.call("iommufd_destroy(mock device of dev" + t.dev + ") -> iommufd_object_remove"));
        mockDestroy(b);
    }

    private void mockDestroy(PathBuilder b) {
        b.step("iommufd_selftest_destroy", t -> {
            sim.call("iommufd_selftest_destroy(mock device of dev" + t.dev + ")");
            sim.call("iommufd_selftest_destroy(mock device of dev" + t.dev + ") -> iommufd_device_detach(dev" + t.dev + ")");
        });
        deviceUnbind(b);
    }

    /**
     * Host-only runs of the iommufd-selftest recordings: the ctx's idevices stand for
     * IOMMUFD_TEST mock devices, which iommufd_device_bind() binds without a reference on the
     * iommufd file (drivers/iommu/iommufd/device.c, 7.2), so the ctx's release destroys them.
     * Call before the scenario's paths are built.
     */
    public void selftestMock() {
        selftestMock = true;
        for (int d = 0; d < rids.length; d++) if (idevOwner[d] >= 0) ictx[idevOwner[d]].put();
    }

    private boolean selftestMock;

    private boolean modern() { return knobs.destroyOrder() == DestroyOrder.VDEVICE_FIRST; }

    /**
     * IOMMU_DESTROY(vdevice_id): iommufd_object_remove(ictx, NULL, id, 0). No REMOVE_WAIT:
     * an ioctl still holding the object (users > 1) makes it -EBUSY; a tombstone is -ENOENT.
     */
    public void destroyVdeviceIoctl(PathBuilder b) {
        b.step("iommufd_destroy", t -> {
            sim.call("iommufd_destroy(vdevice of dev" + t.dev + ") -> iommufd_object_remove");
            if (!fdOpen[t.vm]) { sim.ret("iommufd_destroy", Errno.EBADF); t.fail(Errno.EBADF); return; }
            if (vdevXa[t.dev] != XA_OBJ || vdevOwner[t.dev] != t.vm) { sim.ret("iommufd_object_remove", Errno.ENOENT); t.fail(Errno.ENOENT); return; }
            if (vdevice[t.dev].refs() != 1 || faultDestroyBusy) { sim.ret("iommufd_object_remove", Errno.EBUSY); t.fail(Errno.EBUSY); return; }
            vdevXa[t.dev] = XA_NONE;
            vdevXaCtx[t.dev] = -1;
            vdevWait[t.dev]--;
        });
        vdeviceDestroy(b);
    }

    /**
     * iommufd_object_dec_wait(): drop the xarray's wait_cnt and sleep on ictx->destroy_wait
     * until every iommufd_get_object() holder has put it (REMOVE_WAIT). The fault skips the
     * sleep, as the kernel did before the 6.17 vDEVICE lifecycle work.
     */
    private void decWaitVdevice(PathBuilder b) {
        b.step("iommufd_object_dec_wait(vdevice)", t -> { sim.call("iommufd_object_dec_wait(vdevice of dev" + t.dev + ")"); vdevWait[t.dev]--; });
        if (!faultNoRemoveWait) b.waitEvent("wait_event(ictx->destroy_wait, wait_cnt == 0)", t -> vdevWait[t.dev] <= 0);
    }

    private boolean faultNoRemoveWait;
    private boolean faultDestroyBusy;
    private boolean faultCopybackEfault;

    /** Fault: IOMMU_DESTROY(vdevice) finds the object busy (-EBUSY) however many hold it. */
    public void setFaultDestroyBusy(boolean on) { faultDestroyBusy = on; }

    /** Fault: copying the guest-request struct back to the VMM fails (-EFAULT) after the request ran. */
    public void setFaultCopybackEfault(boolean on) { faultCopybackEfault = on; }

    /** Fault injection for the explorer regression: tombstone without waiting for ioctls in flight. */
    public void setFaultNoRemoveWait(boolean on) { faultNoRemoveWait = on; }

    /**
     * iommufd_device_remove_vdev() (6.17+), the idevice's pre_destroy: under igroup->lock set
     * idev->destroying, take a users ref on a live vDEVICE, then iommufd_object_tombstone_user()
     * = iommufd_object_remove(REMOVE_WAIT | REMOVE_OBJ_TOMBSTONE): wait for the holders, leave
     * XA_ZERO_ENTRY in the id's slot and destroy. If userspace already removed the vDEVICE from
     * the xarray, its own IOMMU_DESTROY finishes the destroy; the idevice waits for that below.
     */
    private void removeVdev(PathBuilder b) {
        b.step("iommufd_device_pre_destroy", t -> sim.call("iommufd_device_pre_destroy -> iommufd_device_remove_vdev(dev" + t.dev + ")"))
         .lock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK)
         .step("idev->destroying = true", t -> {
             idevDestroying[t.dev] = true;
             t.ret = vdevOwner[t.dev] >= 0 && vdevXa[t.dev] == XA_OBJ && vdevWait[t.dev] > 0 ? 1 : 0;
             if (t.ret == 1) vdevice[t.dev].get(); // iommufd_get_vdevice + refcount_inc(users) + iommufd_put_object
         })
         .unlock(t -> igroupLock[t.dev], LockMode.MUTEX, IGROUP_LOCK);
        b.when("vdev alive", t -> t.ret == 1, in -> {
            in.step("iommufd_object_tombstone_user", t -> sim.call("iommufd_object_tombstone_user(vdevice of dev" + t.dev + ")"));
            decWaitVdevice(in);
            in.step("xas_store(XA_ZERO_ENTRY)", t -> {
                vdevice[t.dev].put(); // the caller's users ref, put under xa_lock
                vdevXa[t.dev] = XA_TOMBSTONE;
            });
            vdeviceDestroy(in);
        });
    }

    /**
     * iommufd_device_unbind() from VFIO's close: iommufd_object_destroy_user(idev) with
     * REMOVE_WAIT. Since 6.17 the idevice's wait_cnt holder is its vDEVICE, so
     * iommufd_object_dec_wait() runs pre_destroy and sleeps until the vDEVICE is gone. The
     * legacy order frees the idevice under a live vdevice.
     */
    public void deviceUnbind(PathBuilder b) {
        b.step("iommufd_device_unbind", t -> sim.call("iommufd_device_unbind(dev" + t.dev + ") -> iommufd_object_destroy_user"));
        if (modern()) {
            b.step("iommufd_object_dec_wait(idev)", t -> idevWait[t.dev]--);
            b.when("wait_cnt != 0", t -> idevWait[t.dev] > 0, in -> {
                removeVdev(in);
                in.waitEvent("wait_event(ictx->destroy_wait, idev wait_cnt == 0)", t -> idevWait[t.dev] <= 0);
            });
        }
        b.step("iommufd_device_destroy", t -> {
            int owner = idevOwner[t.dev];
            iommu.detach(rids[t.dev]);
            idevice[t.dev].forceFree();
            idevOwner[t.dev] = -1;
            idevDestroying[t.dev] = false;
            t.savedVm = t.vm;
            t.vm = owner;
        });
        if (!selftestMock) ictxPut(b);
        b.step("restore vm", t -> { t.vm = t.savedVm; t.savedVm = -1; });
    }

    /**
     * iommufd_ctx_put() = fput(ictx->file); the last put runs iommufd_fops_release()'s object
     * teardown (t.vm = ictx). An ioctl in flight holds the file too, so the release cannot run
     * before it returns: the last putter waits for it (the kernel defers __fput() instead; the
     * order of effects is the same).
     */
    public void ictxPut(PathBuilder b) {
        b.waitEvent("__fput after the ioctls holding the file", t -> ictx[t.vm].refs() > 1 || ioctlsInFlight[t.vm] == 0);
        b.when("iommufd_ctx_put: last ref", t -> ictx[t.vm].put(), this::release);
    }

    /** close(iommufd): the fd's reference; VFIO devices still bound keep the ctx alive. */
    public void closeFd(PathBuilder b) {
        // close(2) drops the fd's file reference; iommufd_fops_release() runs only at the last
        // fput, which a VFIO device still bound defers (iommufd_ctx_get() took the file).
        b.step("fput(iommufd file)", t -> {
            if (!fdOpen[t.vm]) { t.fail(Errno.EBADF); return; }
            fdOpen[t.vm] = false;
        });
        ictxPut(b);
    }

    /** Destroy what is left in the ctx: vdevices, then the vIOMMU (dropping its KVM ref). */
    private void release(PathBuilder b) {
        b.step("iommufd_object_destroy_all", t -> sim.call("iommufd_fops_release(vm" + t.vm + "): destroy the remaining objects, leaves first"));
        if (selftestMock) {
            // The mock device's object: destroyed with the ctx, its idevice unbinding (vDEVICE and all).
            for (int d = 0; d < rids.length; d++) {
                final int dev = d;
                b.when("mock device " + d + " in ctx", t -> idevOwner[dev] == t.vm && !idevice[dev].freed(), in -> {
                    in.step("select dev" + dev, t -> { t.savedDev = t.dev; t.dev = dev; });
                    mockDestroy(in);
                    in.step("restore dev", t -> { t.dev = t.savedDev; t.savedDev = -1; });
                });
            }
        }
        for (int d = 0; d < rids.length; d++) {
            final int dev = d;
            // xa_for_each: live objects are destroyed, tombstones (XA_ZERO_ENTRY) only erased.
            b.step("xa_erase tombstone " + d, t -> {
                if (vdevXa[dev] == XA_TOMBSTONE && vdevOwner[dev] < 0 && vdevXaCtx[dev] == t.vm) { vdevXa[dev] = XA_NONE; vdevXaCtx[dev] = -1; }
            });
            b.when("vdevice[" + d + "] in ctx", t -> vdevXa[dev] == XA_OBJ && vdevOwner[dev] == t.vm, in -> {
                in.step("select dev" + dev, t -> { t.savedDev = t.dev; t.dev = dev; vdevXa[dev] = XA_NONE; vdevXaCtx[dev] = -1; vdevWait[dev]--; });
                vdeviceDestroy(in);
                in.step("restore dev", t -> { t.dev = t.savedDev; t.savedDev = -1; });
            });
        }
        b.when("viommu", t -> viommu[t.vm] != null && !viommu[t.vm].freed(), in -> {
            in.step("iommufd_viommu_destroy", t -> { sim.call("iommufd_viommu_destroy(vm" + t.vm + ")"); viommu[t.vm].forceFree(); });
            if (!faultNoKvmRef && kvmAttached) kvm.put(in, "vIOMMU");
        });
    }

    // ---- explorer support ----

    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < ictx.length; k++) {
            int v = w.at(k);
            KRef.save(w, ictx[v]);
            w.putBool(fdOpen[v]);
            KRef.save(w, viommu[v]);
            w.put(ioctlsInFlight[v]);
        }
        for (int k = 0; k < idevice.length; k++) {
            int d = w.at(k);
            KRef.save(w, idevice[d]);
            w.putId(idevOwner[d]);
            KRef.save(w, vdevice[d]);
            w.putId(vdevOwner[d]);
            w.put(virtId[d]);
            w.putBool(tsmBound[d]);
            w.put(vdevWait[d]);
            w.put(vdevXa[d]);
            w.putId(vdevXaCtx[d]);
            w.put(idevWait[d]);
            w.putBool(idevDestroying[d]);
        }
        copies.save(w);
    }

    public void load(tdisp.sim.StateReader r) {
        for (int v = 0; v < ictx.length; v++) {
            ictx[v] = KRef.load(r, ictx[v], sim, "iommufd_ctx[vm", v);
            fdOpen[v] = r.getBool();
            viommu[v] = KRef.load(r, viommu[v], sim, "iommufd_viommu[vm", v);
            ioctlsInFlight[v] = r.get();
        }
        for (int d = 0; d < idevice.length; d++) {
            idevice[d] = KRef.load(r, idevice[d], sim, "iommufd_device[dev", d);
            idevOwner[d] = r.get();
            vdevice[d] = KRef.load(r, vdevice[d], sim, "iommufd_vdevice[dev", d);
            vdevOwner[d] = r.get();
            virtId[d] = r.get();
            tsmBound[d] = r.getBool();
            vdevWait[d] = r.get();
            vdevXa[d] = (byte) r.get();
            vdevXaCtx[d] = r.get();
            idevWait[d] = r.get();
            idevDestroying[d] = r.getBool();
        }
        copies.load(r);
    }
}
