package tdisp.iommu;

import java.util.ArrayList;
import java.util.List;

import tdisp.device.TlpResult;
import tdisp.device.Upstream;
import tdisp.sim.Sim;

/**
 * The host IOMMU as the devices see it. Per requester ID it holds the host-managed
 * translation (the DTE or context entry pointing at the VM's IOAS: shared memory only)
 * and the secure entry only firmware may write. A T=1 write reaches guest-private memory
 * only through a valid secure entry; a T=0 write never does (RMP / S-EPT checks).
 */
public final class Iommu implements Upstream {
    /** GPAs below this are guest-private in the model (everything the guest did not share). */
    public static final long PRIVATE_LIMIT = 1L << 32;

    private final Sim sim;
    private final int[] domainVm;
    private final SecureEntry[] secure;
    private final boolean[] asidFenced;
    private final List<DmaRecord> deliveries = new ArrayList<>();
    private boolean secureTableClaimed;
    private final boolean faultIgnoreSecureEntry;
    private final boolean fenceOnFault;

    /**
     * How this IOMMU is built, fixed for its life.
     *
     * @param fenceOnFault           a fault on a secure entry fences the guest's ASID (AMD's IOMMU does)
     * @param faultIgnoreSecureEntry deliberate defect for I3 non-vacuity: T=1 DMA goes through without a valid
     *                               secure entry
     */
    public record Config(boolean fenceOnFault, boolean faultIgnoreSecureEntry) {
        /** Without the defect, fencing as the platform does. */
        public static Config fencing(boolean fenceOnFault) { return new Config(fenceOnFault, false); }
    }

    /** One DMA write that reached memory. */
    public record DmaRecord(int requesterId, int vm, long address, boolean privateMemory, SecureEntry entry) {}

    private final int[] rids;

    /** @param rids the requester IDs of the devices behind this IOMMU */
    public Iommu(Sim sim, int[] rids, int vms, Config config) {
        this.sim = sim;
        this.rids = rids.clone();
        this.domainVm = new int[rids.length];
        this.secure = new SecureEntry[rids.length];
        this.asidFenced = new boolean[vms];
        this.fenceOnFault = config.fenceOnFault();
        this.faultIgnoreSecureEntry = config.faultIgnoreSecureEntry();
        java.util.Arrays.fill(domainVm, -1);
        java.util.Arrays.fill(secure, SecureEntry.NONE);
    }

    private int slot(int rid) {
        for (int i = 0; i < rids.length; i++) if (rids[i] == rid) return i;
        throw new IllegalArgumentException("no device " + hex(rid) + " behind this IOMMU");
    }

    /** iommufd attach of the device to a VM's IOAS (host page table, shared memory). */
    public void attach(int rid, int vm) {
        domainVm[slot(rid)] = vm;
        if (sim.tracing()) sim.state("dte[" + hex(rid) + "]", "blocked", "ioas(vm" + vm + ")");
    }

    /** Device detached from its IOAS (idevice destroyed): DMA is blocked. */
    public void detach(int rid) {
        if (domainVm[slot(rid)] >= 0 && sim.tracing()) sim.state("dte[" + hex(rid) + "]", "ioas(vm" + domainVm[slot(rid)] + ")", "blocked");
        domainVm[slot(rid)] = -1;
    }

    public int domainVm(int rid) { return domainVm[slot(rid)]; }

    public SecureEntry secureEntry(int rid) { return secure[slot(rid)]; }

    public boolean asidFenced(int vm) { return asidFenced[vm]; }

    /**
     * The write side of the secure table. Handed out once, to the platform firmware: no
     * kernel component can write an SDTE or trusted DMA entry itself.
     */
    public SecureTable claimSecureTable() {
        if (secureTableClaimed) throw new IllegalStateException("secure table already owned by firmware");
        secureTableClaimed = true;
        return new SecureTable();
    }

    public final class SecureTable {
        private SecureTable() {}

        public void write(int rid, SecureEntry e) {
            SecureEntry old = secure[slot(rid)];
            secure[slot(rid)] = e;
            if (sim.tracing()) sim.state("secure_entry[" + hex(rid) + "]", describe(old), describe(e));
        }

        public void setFence(int vm, boolean fenced) {
            if (asidFenced[vm] != fenced) sim.state("asid_fence[vm" + vm + "]", String.valueOf(asidFenced[vm]), String.valueOf(fenced));
            asidFenced[vm] = fenced;
        }
    }

    @Override
    public TlpResult memoryWrite(int rid, long address, boolean teeBit) {
        int vm = domainVm[slot(rid)];
        boolean toPrivate = address < PRIVATE_LIMIT;
        if (teeBit) {
            SecureEntry e = secure[slot(rid)];
            if (!e.valid() && !faultIgnoreSecureEntry) {
                if (sim.tracing()) sim.note("IOMMU: T=1 write from " + hex(rid) + " with secure entry " + describe(e) + ": blocked");
                return TlpResult.BLOCKED_BY_IOMMU;
            }
            int target = faultIgnoreSecureEntry && !e.valid() ? vm : e.vm();
            if (target < 0 || asidFenced[target]) {
                if (sim.tracing()) sim.note("IOMMU: T=1 write from " + hex(rid) + ": ASID fenced or no target, blocked");
                return TlpResult.BLOCKED_BY_IOMMU;
            }
            if (vm < 0 && fenceOnFault) {
                // Secure entry valid but the host tore the DTE down under a running TDI:
                // a host-caused fault, which SEV-TIO answers by fencing the ASID (§2.11).
                if (sim.tracing()) sim.note("IOMMU: host DTE gone under a valid SDTE: fault, fence ASID of vm" + target);
                setFenceInternal(target);
                return TlpResult.BLOCKED_BY_IOMMU;
            }
            deliveries.add(new DmaRecord(rid, target, address, toPrivate, e));
            if (sim.tracing()) sim.note("IOMMU: T=1 write from " + hex(rid) + " to vm" + target + (toPrivate ? " private" : " shared") + " memory");
            return TlpResult.COMPLETED;
        }
        if (vm < 0) {
            if (sim.tracing()) sim.note("IOMMU: write from " + hex(rid) + " with no domain: blocked");
            return TlpResult.BLOCKED_BY_IOMMU;
        }
        if (toPrivate) {
            if (sim.tracing()) sim.note("IOMMU: T=0 write from " + hex(rid) + " to vm" + vm + " private memory: RMP/S-EPT check blocks it");
            return TlpResult.BLOCKED_BY_IOMMU;
        }
        deliveries.add(new DmaRecord(rid, vm, address, false, secure[slot(rid)]));
        if (sim.tracing()) sim.note("IOMMU: T=0 write from " + hex(rid) + " to vm" + vm + " shared memory");
        return TlpResult.COMPLETED;
    }

    private void setFenceInternal(int vm) {
        if (!asidFenced[vm]) sim.state("asid_fence[vm" + vm + "]", "false", "true");
        asidFenced[vm] = true;
    }

    /** Domain and secure entry per device, fence per VM (the delivery log is history). */
    public void save(tdisp.sim.StateWriter w) {
        for (int k = 0; k < rids.length; k++) {
            int s = w.at(k);
            w.putId(domainVm[s]);
            SecureEntry e = secure[s];
            if (w.isCanonical()) {
                w.put(e.state().ordinal());
                w.putId(e.vm());
                w.put(e.guestDeviceId());
            } else {
                w.putRef(e);
            }
        }
        for (int k = 0; k < asidFenced.length; k++) w.putBool(asidFenced[w.at(k)]);
    }

    public void load(tdisp.sim.StateReader r) {
        for (int s = 0; s < rids.length; s++) {
            domainVm[s] = r.get();
            secure[s] = r.getRef(SecureEntry.class);
        }
        for (int v = 0; v < asidFenced.length; v++) asidFenced[v] = r.getBool();
        deliveries.clear();
    }

    public void clearHistory() { deliveries.clear(); }

    /** DMA writes that reached memory, in order. */
    public List<DmaRecord> deliveries() { return deliveries; }

    static String describe(SecureEntry e) {
        return e.state() == SecureEntry.State.NONE ? "none" : e.state().name().toLowerCase() + "(vm" + e.vm() + ")";
    }

    public static String hex(int rid) {
        return String.format("%02x:%02x.%x", (rid >> 8) & 0xff, (rid >> 3) & 0x1f, rid & 7);
    }
}
