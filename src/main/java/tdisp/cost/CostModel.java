package tdisp.cost;

import java.util.List;
import java.util.function.ToLongFunction;

import tdisp.firmware.Platform;
import tdisp.sim.Charger;
import tdisp.sim.Event;
import tdisp.sim.LockMode;

/**
 * Charges virtual time for each event of a run from the cost table, so modeled time is
 * the sum over exactly the events the trace shows. Which row each event costs:
 *
 * <ul>
 * <li>VM exit: snp.vmgexit.roundtrip (SEV) / tdx.tdvmcall.roundtrip (TDX), times
 *     nested.exit.multiplier on a nested host;</li>
 * <li>exit to the VMM: kvm.exit_to_user.extra + vmm.dispatch (+ vmscape.ibpb_on_user_exit
 *     on affected CPUs), nested multiplier on the exit part;</li>
 * <li>ioctl: ioctl.roundtrip; lock taken: lock.mutex.uncontended / lock.rwsem.read.uncontended;</li>
 * <li>copy_{from,to}_user: uaccess.fixed + uaccess.copy per KiB; kvm_{read,write}_guest: memcpy.copy per KiB;</li>
 * <li>object lookup (Event.Lookup: iommufd_get_vdevice, KVM's TDI lookup): xarray.load.hot;</li>
 * <li>PSP: psp.cmd.tio_guest_request for TIO_GUEST_REQUEST, psp.cmd.simple otherwise;
 *     TDX: tdx.td_module.roundtrip for TDCALLs, seamcall.tdi_op for DEVIF calls,
 *     seamcall.tdh_mem_page_aug for TDH.MMIO.MAP, iommu.vtd.ctx_pasid_inv_wait for
 *     TDH.IQINV, seamcall.short for the rest;</li>
 * <li>one DOE exchange: doe.poll_interval + workqueue.dispatch + spdm.device.noncrypto_resp,
 *     plus psp.cmd.tio_spdm_step on AMD (sev_tio_continue re-issues the command).</li>
 * </ul>
 *
 * <p>A row measured on a nested host (grade {@value CostTable#MEASURED_NESTED}) already
 * contains the outer hypervisor's share, so {@code --nested} leaves it as it is.
 */
public final class CostModel implements Charger, ToLongFunction<Event> {
    static final List<String> REQUIRED = List.of(
            "ioctl.roundtrip", "uaccess.fixed", "uaccess.copy", "memcpy.copy", "lock.mutex.uncontended",
            "lock.rwsem.read.uncontended", "xarray.load.hot", "kvm.exit_to_user.extra", "vmm.dispatch",
            "vmscape.ibpb_on_user_exit", "nested.exit.multiplier", "snp.vmgexit.roundtrip", "tdx.tdvmcall.roundtrip",
            "tdx.td_module.roundtrip", "psp.cmd.simple", "psp.cmd.tio_guest_request", "psp.cmd.tio_spdm_step",
            "seamcall.short", "seamcall.tdh_mem_page_aug", "seamcall.tdi_op", "iommu.vtd.ctx_pasid_inv_wait",
            "doe.poll_interval", "workqueue.dispatch", "spdm.device.noncrypto_resp");

    private final CostTable table;
    private final Platform platform;
    private final long vmExit;
    private final long userExit;
    private final long ioctl;
    private final long mutex;
    private final long rwsem;
    private final long uaccessFixed;
    private final double uaccessPerKiB;
    private final double memcpyPerKiB;
    private final long lookup;
    private final long doe;
    private final long pspSimple;
    private final long pspGuestRequest;
    private final long tdCall;
    private final long seamShort;
    private final long seamTdi;
    private final long seamMap;
    private final long iqinv;

    public CostModel(CostTable t, Platform platform, boolean nested, boolean ibpb) {
        this.table = t;
        this.platform = platform;
        String exitRow = platform == Platform.SEV_TIO ? "snp.vmgexit.roundtrip" : "tdx.tdvmcall.roundtrip";
        vmExit = Math.round(nestedScale(t, exitRow, nested) * t.value(exitRow));
        userExit = Math.round(nestedScale(t, "kvm.exit_to_user.extra", nested) * t.value("kvm.exit_to_user.extra") + t.value("vmm.dispatch")
                + (ibpb ? t.value("vmscape.ibpb_on_user_exit") : 0));
        ioctl = Math.round(t.value("ioctl.roundtrip"));
        mutex = Math.round(t.value("lock.mutex.uncontended"));
        rwsem = Math.round(t.value("lock.rwsem.read.uncontended"));
        uaccessFixed = Math.round(t.value("uaccess.fixed"));
        uaccessPerKiB = t.value("uaccess.copy");
        memcpyPerKiB = t.value("memcpy.copy");
        lookup = Math.round(t.value("xarray.load.hot"));
        doe = Math.round(t.value("doe.poll_interval") + t.value("workqueue.dispatch") + t.value("spdm.device.noncrypto_resp")
                + (platform == Platform.SEV_TIO ? t.value("psp.cmd.tio_spdm_step") : 0));
        pspSimple = Math.round(t.value("psp.cmd.simple"));
        pspGuestRequest = Math.round(t.value("psp.cmd.tio_guest_request"));
        tdCall = Math.round(t.value("tdx.td_module.roundtrip"));
        seamShort = Math.round(t.value("seamcall.short"));
        seamTdi = Math.round(t.value("seamcall.tdi_op"));
        seamMap = Math.round(t.value("seamcall.tdh_mem_page_aug"));
        iqinv = Math.round(t.value("iommu.vtd.ctx_pasid_inv_wait"));
    }

    /** nested.exit.multiplier on a nested host, unless the row was measured on one. */
    static double nestedScale(CostTable t, String row, boolean nested) {
        return nested && !t.rows().get(row).measuredNested() ? t.value("nested.exit.multiplier") : 1.0;
    }

    public static CostModel defaults(Platform p) { return new CostModel(CostTable.defaults(), p, false, false); }

    public CostTable table() { return table; }

    @Override
    public long applyAsLong(Event e) { return charge(e); }

    @Override
    public long exit(Event.ExitKind kind) { return kind == Event.ExitKind.VM ? vmExit : userExit; }

    @Override
    public long ioctl() { return ioctl; }

    @Override
    public long lock(LockMode mode) { return mode == LockMode.MUTEX ? mutex : rwsem; }

    @Override
    public long copy(Event.CopyKind kind, int bytes) {
        double kib = bytes / 1024.0;
        return kind.user() ? uaccessFixed + Math.round(uaccessPerKiB * kib) : Math.round(memcpyPerKiB * kib);
    }

    @Override
    public long doe() { return doe; }

    @Override
    public long lookup() { return lookup; }

    @Override
    public long firmware(String cmd) {
        if (platform == Platform.SEV_TIO) return cmd.startsWith("TIO_GUEST_REQUEST") ? pspGuestRequest : pspSimple;
        if (cmd.startsWith("TDG.")) return tdCall;
        if (cmd.startsWith("TDH.DEVIF.")) return seamTdi;
        if (cmd.startsWith("TDH.MMIO.MAP")) return seamMap;
        if (cmd.startsWith("TDH.IQINV")) return iqinv;
        return seamShort;
    }
}
