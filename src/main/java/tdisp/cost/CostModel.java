package tdisp.cost;

import java.util.List;
import java.util.function.ToLongFunction;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.sim.Charger;
import tdisp.sim.Event;
import tdisp.sim.LockMode;

/**
 * Charges virtual time for each event of a run from the cost table, so modeled time is
 * the sum over exactly the events the trace shows. Which row each event costs:
 *
 * <ul>
 * <li>VM exit: the platform's exit row (Platform.vmExitRow(): snp.vmgexit.roundtrip,
 *     tdx.tdvmcall.roundtrip), times nested.exit.multiplier on a nested host;</li>
 * <li>exit to the VMM: kvm.exit_to_user.extra + vmm.dispatch (+ vmscape.ibpb_on_user_exit
 *     on affected CPUs), nested multiplier on the exit part;</li>
 * <li>ioctl: ioctl.roundtrip; another system call (netlink): syscall.roundtrip; lock taken: lock.mutex.uncontended / lock.rwsem.read.uncontended;</li>
 * <li>copy_{from,to}_user: uaccess.fixed + uaccess.copy per KiB; kvm_{read,write}_guest: memcpy.copy per KiB;</li>
 * <li>object lookup (Event.Lookup: iommufd_get_vdevice, KVM's TDI lookup): xarray.load.hot;</li>
 * <li>firmware command: the platform's mapping from command to row
 *     (Platform.firmwareCosts: PSP commands on SEV-TIO, TDCALLs and SEAMCALLs on TDX);</li>
 * <li>one DOE exchange: doe.poll_interval + workqueue.dispatch + spdm.device.noncrypto_resp,
 *     plus the platform's extra rows (AMD: psp.cmd.tio_spdm_step, as sev_tio_continue
 *     re-issues the command).</li>
 * </ul>
 *
 * <p>A row measured on a nested host (grade {@value CostTable#MEASURED_NESTED}) already
 * contains the outer hypervisor's share, so {@code --nested} leaves it as it is.
 */
public final class CostModel implements Charger, ToLongFunction<Event> {
    /** Rows every platform is charged from; each platform adds its own (Platform.costRows()). */
    static final List<String> COMMON = List.of(
            "ioctl.roundtrip", "syscall.roundtrip", "uaccess.fixed", "uaccess.copy", "memcpy.copy", "lock.mutex.uncontended",
            "lock.rwsem.read.uncontended", "xarray.load.hot", "kvm.exit_to_user.extra", "vmm.dispatch",
            "vmscape.ibpb_on_user_exit", "nested.exit.multiplier",
            "doe.poll_interval", "workqueue.dispatch", "spdm.device.noncrypto_resp");

    /** Every row a cost table must have: the common ones, then each registered platform's. */
    static List<String> required() {
        List<String> all = new java.util.ArrayList<>(COMMON);
        for (Platform p : Platforms.all()) for (String r : p.costRows()) if (!all.contains(r)) all.add(r);
        return all;
    }

    private final CostTable table;
    private final Platform platform;
    private final long vmExit;
    private final long userExit;
    private final long ioctl;
    private final long syscall;
    private final long mutex;
    private final long rwsem;
    private final long uaccessFixed;
    private final double uaccessPerKiB;
    private final double memcpyPerKiB;
    private final long lookup;
    private final long doe;
    private final ToLongFunction<String> firmware;

    public CostModel(CostTable t, Platform platform, boolean nested, boolean ibpb) {
        this.table = t;
        this.platform = platform;
        vmExit = Math.round(nestedScale(t, platform.vmExitRow(), nested) * t.value(platform.vmExitRow()));
        userExit = Math.round(nestedScale(t, "kvm.exit_to_user.extra", nested) * t.value("kvm.exit_to_user.extra") + t.value("vmm.dispatch")
                + (ibpb ? t.value("vmscape.ibpb_on_user_exit") : 0));
        ioctl = Math.round(t.value("ioctl.roundtrip"));
        syscall = Math.round(t.value("syscall.roundtrip"));
        mutex = Math.round(t.value("lock.mutex.uncontended"));
        rwsem = Math.round(t.value("lock.rwsem.read.uncontended"));
        uaccessFixed = Math.round(t.value("uaccess.fixed"));
        uaccessPerKiB = t.value("uaccess.copy");
        memcpyPerKiB = t.value("memcpy.copy");
        lookup = Math.round(t.value("xarray.load.hot"));
        double doeNs = t.value("doe.poll_interval") + t.value("workqueue.dispatch") + t.value("spdm.device.noncrypto_resp");
        for (String row : platform.doeExtraRows()) doeNs += t.value(row);
        doe = Math.round(doeNs);
        firmware = platform.firmwareCosts(t::value);
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
    public long syscall() { return syscall; }

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
    public long firmware(String cmd) { return firmware.applyAsLong(cmd); }

    /** A row the platform names (Platform.costRows()); one the table lacks is a model bug. */
    @Override
    public long work(String row) { return Math.round(table.value(row)); }
}
