package tdisp.kernel;

import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * KVM's VMs (virt/kvm/kvm_main.c): the users_count reference every holder takes
 * (VM fd, VFIO device, vIOMMU), and kvm_destroy_vm() when the last one drops. In the
 * KVM-direct design KVM owns the TDI bindings and must unbind them on destroy.
 */
public final class Kvm {
    private final Sim sim;
    private final KvmArch arch;
    private final PciTsm tsm;
    private final boolean ownsBindings;
    /** kvm->users_count; the struct kvm is freed only at the end of kvm_destroy_vm(). */
    private final int[] users;
    private final boolean[] destroyed;
    private final boolean[] fdOpen;
    private final boolean[] bugged;
    /** vCPUs of each VM inside KVM_RUN or handling its exit: each holds its vCPU file, which holds the VM. */
    private final int[] vcpusRunning;
    private final int devices;

    public Kvm(Sim sim, KvmArch arch, PciTsm tsm, int vms, int devices, boolean ownsBindings) {
        this.sim = sim;
        this.arch = arch;
        this.tsm = tsm;
        this.ownsBindings = ownsBindings;
        this.devices = devices;
        this.users = new int[vms];
        this.destroyed = new boolean[vms];
        this.fdOpen = new boolean[vms];
        this.bugged = new boolean[vms];
        this.vcpusRunning = new int[vms];
    }

    public KvmArch arch() { return arch; }

    /** KVM_CREATE_VM: the VM fd holds the first reference. */
    public void createVm(int vm) {
        users[vm] = 1;
        fdOpen[vm] = true;
    }

    public boolean alive(int vm) { return !destroyed[vm]; }

    public boolean fdOpen(int vm) { return fdOpen[vm]; }

    /** kvm_get_kvm() by a holder (VFIO device open, vIOMMU alloc). */
    public void get(int vm) {
        if (destroyed[vm]) sim.violation("I7", "kvm_get_kvm on destroyed vm" + vm);
        users[vm]++;
    }

    /** kvm_put_kvm(): the last put runs kvm_destroy_vm(). Uses t.vm. */
    public void put(PathBuilder b, String holder) {
        b.step("kvm_put_kvm", t -> sim.call("kvm_put_kvm(vm" + t.vm + ") by " + holder));
        b.when("refcount_dec_and_test(&kvm->users_count)", t -> --users[t.vm] == 0, this::destroy);
    }

    /** kvm_vm_release(): closing the VM fd. */
    public void closeVmFd(PathBuilder b) {
        b.step("kvm_vm_release", t -> {
            sim.call("kvm_vm_release(vm" + t.vm + ")");
            fdOpen[t.vm] = false;
        });
        put(b, "VM fd");
    }

    /**
     * A vCPU leaves guest mode for a TDISP op: it runs in KVM_RUN (or in the VMM's handling of
     * the exit) on its vCPU file, and kvm_vm_ioctl_create_vcpu() gave that file a VM reference.
     * No vCPU of a VM whose last reference is gone can run.
     */
    public void vcpuEnter(PathBuilder b) {
        b.step("vcpu: KVM_RUN", t -> {
            if (destroyed[t.vm] || users[t.vm] == 0) { sim.ret("KVM_RUN", tdisp.sim.Errno.EBADF); t.fail(tdisp.sim.Errno.EBADF); return; }
            vcpusRunning[t.vm]++;
            t.flags |= VCPU_RUNNING;
        });
    }

    /** The vCPU is back in guest mode (or its op failed). */
    public void vcpuLeave(PathBuilder b) {
        b.cleanup("vcpu: back in guest mode", t -> {
            if ((t.flags & VCPU_RUNNING) != 0) { t.flags &= ~VCPU_RUNNING; vcpusRunning[t.vm]--; }
        });
    }

    private static final long VCPU_RUNNING = 1L << 8;

    private void destroy(PathBuilder b) {
        // The vCPU files' references: kvm_destroy_vm() runs at the last kvm_vcpu_release().
        b.waitEvent("kvm_vcpu_release of the running vCPUs", t -> vcpusRunning[t.vm] == 0);
        b.step("kvm_destroy_vm", t -> sim.call("kvm_destroy_vm(vm" + t.vm + ")"));
        if (ownsBindings) {
            // KVM-direct: KVM is the only one that knows which TDIs the VM bound.
            for (int d = 0; d < devices; d++) {
                final int dev = d;
                b.when("kvm->arch.tdi[" + d + "]", t -> tsm.boundKvm(dev) == t.vm, in -> {
                    // AMD RFC v1 (20240823132137.336874-12-aik@amd.com): the KVM-VFIO device's release unbinds its tdi_list.
                    in.step("kvm_dev_tsm_unbind", t -> { t.savedDev = t.dev; t.dev = dev; sim.call("kvm_destroy_devices -> kvm_vfio_release -> kvm_dev_tsm_unbind(dev" + dev + ")"); });
                    tsm.unbind(in);
                    in.step("restore dev", t -> { t.dev = t.savedDev; t.savedDev = -1; });
                });
            }
        }
        arch.destroyVm(b);
        b.step("kvm_arch_free_vm", t -> {
            destroyed[t.vm] = true;
            sim.state("kvm[vm" + t.vm + "]", "live", "freed");
        });
    }

    /** KVM_BUG_ON(): a refused S-EPT operation marks the VM dead (arch/x86/kvm/vmx/tdx.c). */
    public void bug(int vm, String why) {
        if (!bugged[vm]) sim.state("kvm[vm" + vm + "]", "running", "bugged (" + why + ")");
        bugged[vm] = true;
    }

    public boolean bugged(int vm) { return bugged[vm]; }

    public boolean ownsBindings() { return ownsBindings; }

    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < users.length; k++) {
            int v = w.at(k);
            w.put(users[v]);
            w.putBool(destroyed[v]);
            w.putBool(fdOpen[v]);
            w.putBool(bugged[v]);
            w.put(vcpusRunning[v]);
        }
    }

    public void load(tdisp.sim.StateReader r) {
        for (int v = 0; v < users.length; v++) {
            users[v] = r.get();
            destroyed[v] = r.getBool();
            fdOpen[v] = r.getBool();
            bugged[v] = r.getBool();
            vcpusRunning[v] = r.get();
        }
    }
}
