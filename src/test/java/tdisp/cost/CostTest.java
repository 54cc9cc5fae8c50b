package tdisp.cost;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.guest.GuestOp;
import tdisp.scenario.Actions;
import tdisp.sim.Event;
import tdisp.sim.Trace;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** Cost accounting: counters match the trace, modeled time is the sum of charged rows. */
class CostTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private static World bound(String strategy, Platform p) {
        World w = new World(WorldConfig.builder(CATALOG.get(strategy), p).build());
        w.setup();
        Actions.bringUp(w, 0);
        return w;
    }

    /** Modeled time and counters of one more op on a brought-up world. */
    private static Trace.Counters delta(World w, GuestOp op) {
        Trace.Counters before = w.sim().trace().counters();
        Actions.guest(w, 0, op);
        Trace.Counters after = w.sim().trace().counters();
        return new Trace.Counters(after.steps() - before.steps(), after.vmExits() - before.vmExits(), after.userExits() - before.userExits(),
                after.ioctls() - before.ioctls(), after.fwCalls() - before.fwCalls(), after.modeledNs() - before.modeledNs());
    }

    @Test
    void countersAndModeledTimeAreExactlyWhatTheTraceShows() {
        for (String s : CATALOG.ids()) {
            for (Platform p : Platforms.all()) {
                World w = new World(WorldConfig.builder(CATALOG.get(s), p).build());
                w.setup();
                int from = w.sim().trace().events().size();
                Actions.bringUp(w, 0);
                List<Event> ev = w.sim().trace().events().subList(from, w.sim().trace().events().size());
                CostModel m = CostModel.defaults(p);
                long vm = ev.stream().filter(e -> e instanceof Event.Exit x && x.kind() == Event.ExitKind.VM).count();
                long user = ev.stream().filter(e -> e instanceof Event.Exit x && x.kind() == Event.ExitKind.USER).count();
                long io = ev.stream().filter(e -> e instanceof Event.Ioctl).count();
                long fw = ev.stream().filter(e -> e instanceof Event.Firmware).count();
                long ns = ev.stream().mapToLong(m).sum();
                Trace.Counters c = w.sim().trace().counters();
                assertEquals(List.of(vm, user, io, fw, ns), List.of(c.vmExits(), c.userExits(), c.ioctls(), c.fwCalls(), c.modeledNs()), s + "/" + p);
                assertTrue(ns > 0);
            }
        }
    }

    @Test
    void sdteWriteThroughTheVmmCostsTheExtraRowsOfCostsMd() {
        CostTable t = CostTable.defaults();
        Trace.Counters kvm = delta(bound("kvm-direct", Platforms.get("sev-tio")), GuestOp.SDTE_WRITE);
        Trace.Counters v5 = delta(bound("iommufd-v5", Platforms.get("sev-tio")), GuestOp.SDTE_WRITE);
        assertEquals(List.of(1L, 0L, 0L, 1L), List.of(kvm.vmExits(), kvm.userExits(), kvm.ioctls(), kvm.fwCalls()));
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(v5.vmExits(), v5.userExits(), v5.ioctls(), v5.fwCalls()));
        // costs.md, "How the rows compose": exit to user + dispatch + ioctl + 2 x (uaccess.fixed + 4 KiB uaccess)
        // + xarray lookup, minus KVM-direct's two 4 KiB kvm_read/write_guest copies and its own lookup.
        double extra = t.value("kvm.exit_to_user.extra") + t.value("vmm.dispatch") + t.value("ioctl.roundtrip")
                + 2 * (t.value("uaccess.fixed") + 4 * t.value("uaccess.copy")) + t.value("xarray.load.hot")
                - 2 * 4 * t.value("memcpy.copy") - t.value("xarray.load.hot");
        assertEquals(Math.round(extra), v5.modeledNs() - kvm.modeledNs());
        assertEquals(Math.round(t.value("psp.cmd.tio_guest_request")) + Math.round(t.value("snp.vmgexit.roundtrip")),
                kvm.modeledNs() - 2 * Math.round(4 * t.value("memcpy.copy")) - Math.round(t.value("xarray.load.hot"))
                        - 3 * Math.round(t.value("lock.mutex.uncontended")),
                "KVM-direct SDTE write = VMGEXIT + PSP command + copies + lookup + rwsem/pf0/sev_cmd_mutex");
    }

    @Test
    void nestedAndIbpbScaleOnlyTheExits() {
        CostTable t = CostTable.defaults();
        Event vmExit = new Event.Exit(0, Event.ExitKind.VM, "x");
        Event userExit = new Event.Exit(0, Event.ExitKind.USER, "x");
        Event fw = new Event.Firmware(0, "TIO_GUEST_REQUEST(SDTE_WRITE)", "ok");
        CostModel plain = new CostModel(t, Platforms.get("sev-tio"), false, false);
        CostModel nested = new CostModel(t, Platforms.get("sev-tio"), true, true);
        assertEquals(Math.round(t.value("nested.exit.multiplier") * t.value("snp.vmgexit.roundtrip")), nested.applyAsLong(vmExit));
        assertEquals(plain.applyAsLong(userExit) + Math.round((t.value("nested.exit.multiplier") - 1) * t.value("kvm.exit_to_user.extra"))
                + Math.round(t.value("vmscape.ibpb_on_user_exit")), nested.applyAsLong(userExit));
        assertEquals(plain.applyAsLong(fw), nested.applyAsLong(fw));
        assertEquals(Math.round(t.value("tdx.tdvmcall.roundtrip")), new CostModel(t, Platforms.get("tdx-connect"), false, false).applyAsLong(vmExit));
    }

    @Test
    void withMovesOneRow() {
        CostTable t = CostTable.defaults().with("psp.cmd.tio_guest_request", 50_000);
        assertEquals(50_000, new CostModel(t, Platforms.get("sev-tio"), false, false).applyAsLong(new Event.Firmware(0, "TIO_GUEST_REQUEST(TDI_INFO)", "ok")));
        assertThrows(CostException.class, () -> t.with("no.such.row", 1));
    }

    private static String shipped() throws Exception {
        return CostTable.builtInText();
    }

    private static String error(Path dir, String content) throws Exception {
        Path f = dir.resolve("c.csv");
        Files.writeString(f, content);
        CostException e = assertThrows(CostException.class, () -> CostTable.load(f));
        assertFalse(e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    @Test
    void loadsAFileLikeTheShippedOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, shipped().replace("psp.cmd.tio_guest_request,1000000", "psp.cmd.tio_guest_request,200000"));
        assertEquals(200_000, CostTable.load(f).value("psp.cmd.tio_guest_request"));
        assertEquals(CostTable.defaults().rows().size(), CostTable.load(f).rows().size());
    }

    @Test
    void brokenTablesNameFileAndLine(@TempDir Path dir) throws Exception {
        String ok = shipped();
        String[] lines = ok.split("\n");
        assertTrue(error(dir, "nope\n").endsWith("c.csv:1: header must be name,default,low,high,unit,applies_to,grade,source"));
        assertTrue(error(dir, ok.replace("ioctl.roundtrip,200,", "ioctl.roundtrip,abc,")).matches(".*c\\.csv:3: default 'abc' is not a non-negative number"), error(dir, ok.replace("ioctl.roundtrip,200,", "ioctl.roundtrip,abc,")));
        assertTrue(error(dir, ok.replace("ioctl.roundtrip,200,100,900", "ioctl.roundtrip,2000,100,900")).contains("c.csv:3: ioctl.roundtrip: need low <= default <= high"));
        assertTrue(error(dir, ok.replace("ioctl.roundtrip,200,100,900,ns,", "ioctl.roundtrip,200,100,900,ms,")).contains("c.csv:3: ioctl.roundtrip: unit 'ms'"));
        assertTrue(error(dir, ok + lines[2] + "\n").contains("duplicate cost 'ioctl.roundtrip' (first on line 3)"));
        assertTrue(error(dir, ok.replace(lines[2] + "\n", "")).endsWith("c.csv: missing cost 'ioctl.roundtrip'"));
        assertTrue(error(dir, ok + "x,1,1\n").contains("expected 8 fields, found 3"));
        assertTrue(assertThrows(CostException.class, () -> CostTable.load(dir.resolve("absent.csv"))).getMessage().contains("absent.csv: cannot read"));
    }
}
