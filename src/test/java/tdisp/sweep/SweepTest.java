package tdisp.sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.output.Csv;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.SweepReport;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/** The sweep: points, sensitivity, determinism, the CSV and the text. */
class SweepTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));
    static final List<Platform> BOTH = Platforms.all();

    static Sweep.Config config(List<Integer> devices, List<Integer> vms, long seed, long jitter, CostOptions costs, int sensN, int sensM) {
        return new Sweep.Config(CATALOG.all(), BOTH, devices, vms, seed, jitter, costs, BringUp.DoeScope.DEVICE, sensN, sensM, true, 0);
    }

    static List<CSVRecord> records(String csv) throws IOException {
        CSVFormat fmt = Csv.READ;
        try (CSVParser p = CSVParser.parse(new StringReader(csv), fmt)) {
            return p.getRecords();
        }
    }

    /** The built-in table with one row's high replaced. */
    static CostTable withHigh(Path dir, Map<String, String> highs) throws IOException {
        String text;
        text = CostTable.builtInText();
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String[] f = line.split(",", -1);
            if (f.length > 3 && highs.containsKey(f[0])) {
                f[3] = highs.get(f[0]);
                line = String.join(",", f);
            }
            sb.append(line).append('\n');
        }
        Path p = dir.resolve("costs.csv");
        Files.writeString(p, sb.toString().stripTrailing() + "\n");
        return CostTable.load(p);
    }

    @Test
    void sameSeedGivesTheSameCsvAndAnotherSeedWithJitterDoesNot() {
        Sweep.Config a = config(List.of(1, 64, 512), List.of(1, 8), 11, 2_000_000, CostOptions.defaults(), 16, 4);
        String first = SweepReport.csv(Sweep.run(a));
        assertEquals(first, SweepReport.csv(Sweep.run(a)));
        Sweep.Config b = config(List.of(1, 64, 512), List.of(1, 8), 12, 2_000_000, CostOptions.defaults(), 16, 4);
        assertNotEquals(first, SweepReport.csv(Sweep.run(b)));
    }

    @Test
    void csvHasOneRowPerPointAndPerSensitivityRunInTheIssuesColumns() throws IOException {
        Sweep.Report r = Sweep.run(config(List.of(1, 8), List.of(1, 2), 1, 0, CostOptions.defaults(), 8, 2));
        String csv = SweepReport.csv(r);
        assertEquals("kind,strategy,platform,devices,vms,makespan_ns,p50_ns,p99_ns,fw_wait_share,cost_row,cost_value,ranking",
                csv.lines().findFirst().orElseThrow());
        List<CSVRecord> rows = records(csv);
        int strategies = CATALOG.all().size();
        long points = rows.stream().filter(x -> x.get("kind").equals("point")).count();
        // Pairs whose bring-up never reaches secure DMA have no rows (and say so).
        assertEquals((strategies * (long) Platforms.all().size() - r.notSwept().size()) * 2 * 2, points);
        for (CSVRecord x : rows) {
            if (x.get("kind").equals("point")) {
                assertEquals("", x.get("cost_row"));
                assertEquals("", x.get("cost_value"));
                assertEquals("", x.get("ranking"));
            } else {
                assertEquals("sensitivity", x.get("kind"));
                assertEquals("8", x.get("devices"));
                assertEquals("2", x.get("vms"));
                assertFalse(x.get("ranking").isEmpty());
                assertTrue(x.get("cost_row").isEmpty() == x.get("cost_value").isEmpty());
            }
            long mk = Long.parseLong(x.get("makespan_ns"));
            assertTrue(Long.parseLong(x.get("p50_ns")) <= mk && Long.parseLong(x.get("p99_ns")) <= mk);
            double share = Double.parseDouble(x.get("fw_wait_share"));
            assertTrue(share >= 0 && share < 1);
        }
        // Each moved row: one run at its low and one at its high, every strategy, per platform; plus the default run.
        for (Platform p : BOTH) {
            long n = rows.stream().filter(x -> x.get("kind").equals("sensitivity") && x.get("platform").equals(p.id())).count();
            long swept = CATALOG.all().stream().filter(s -> r.swept(s.id(), p)).count();
            assertEquals(swept * (1 + 2 * r.rowsMoved().get(p).size()), n, p.id());
        }
    }

    @Test
    void sensitivityMovesOnlyRowsTheRecipesUse() {
        Sweep.Report r = Sweep.run(config(List.of(1), List.of(1), 1, 0, CostOptions.defaults(), 64, 8));
        List<String> sev = r.rowsMoved().get(Platforms.get("sev-tio"));
        List<String> tdx = r.rowsMoved().get(Platforms.get("tdx-connect"));
        for (String used : List.of("psp.cmd.simple", "psp.cmd.tio_spdm_step", "doe.poll_interval", "kvm.exit_to_user.extra", "snp.vmgexit.roundtrip")) {
            assertTrue(sev.contains(used), used);
        }
        for (String used : List.of("seamcall.tdi_op", "tdx.tdvmcall.roundtrip", "doe.poll_interval", "vmm.dispatch")) {
            assertTrue(tdx.contains(used), used);
        }
        // Never charged by the cost model, or not on this platform, or not without --nested / --ibpb.
        for (String unused : List.of("syscall.roundtrip", "crypto.host.aesgcm", "nested.exit.multiplier", "vmscape.ibpb_on_user_exit", "tdx.tdvmcall.roundtrip")) {
            assertFalse(sev.contains(unused), unused);
        }
        assertFalse(tdx.contains("psp.cmd.simple"));
        // With --nested the multiplier is used.
        Sweep.Config nested = new Sweep.Config(CATALOG.select(List.of("kvm-direct", "iommufd-v5")), List.of(Platforms.get("sev-tio")), List.of(1), List.of(1), 1, 0,
                new CostOptions(CostTable.defaults(), true, true), BringUp.DoeScope.DEVICE, 8, 2, true, 0);
        List<String> moved = Sweep.run(nested).rowsMoved().get(Platforms.get("sev-tio"));
        assertTrue(moved.contains("nested.exit.multiplier") && moved.contains("vmscape.ibpb_on_user_exit"), moved.toString());
    }

    @Test
    void aRowThatMustFlipTheRankingIsDetected(@TempDir Path dir) throws IOException {
        // Exits to the VMM at 100 ms (high) bury every VMM-routed strategy; kvm_read_guest at 1 ms/KiB buries kvm-direct.
        Map<String, String> highs = new LinkedHashMap<>();
        highs.put("kvm.exit_to_user.extra", "100000000");
        highs.put("memcpy.copy", "1000000");
        CostOptions costs = new CostOptions(withHigh(dir, highs), false, false);
        // The strategies before v7: v7 splits SEV's bind into TIO_TDI_CREATE at IOMMU_VDEVICE_ALLOC and
        // the guest's TIO_TDI_BIND, so at 64 devices / 8 VMs it leads the default SEV-TIO ranking itself.
        var pre = CATALOG.all().stream().filter(s -> !s.id().equals("iommufd-v7")).toList();
        Sweep.Config c = config(List.of(1), List.of(1), 1, 0, costs, 64, 8);
        Sweep.Report r = Sweep.run(new Sweep.Config(pre, BOTH, c.devices(), c.vms(), 1, 0, costs, BringUp.DoeScope.DEVICE, 64, 8, true, 0));
        // The two x86 platforms, whose global firmware lock makes the ranking sensitive to these rows.
        for (Platform p : List.of(Platforms.get("sev-tio"), Platforms.get("tdx-connect"))) {
            Sweep.Ranking dflt = r.defaultRanking().get(p);
            Sweep.Ranking exit = rankingAt(r, p, "kvm.exit_to_user.extra", 100_000_000);
            assertEquals(List.of("kvm-direct"), exit.groups().get(0), p.id() + ": huge exits to the VMM put kvm-direct first: " + exit);
            List<List<String>> g = rankingAt(r, p, "memcpy.copy", 1_000_000).groups();
            assertEquals(List.of("kvm-direct"), g.get(g.size() - 1), p.id() + ": huge kvm_read_guest copies put kvm-direct last: " + g);
            assertTrue(dflt.groups().size() > 2, p.id() + ": " + dflt);
        }
        // At 64 devices / 8 VMs with default costs, TDX Connect ranks kvm-direct last (its devices reach
        // tdx_spdm_lock in lockstep; the VMM's exit handling staggers the others), so the huge exit is a
        // finding there; on SEV-TIO kvm-direct is already first and the same move is not. Huge copies: the reverse.
        assertNotEquals(List.of("kvm-direct"), r.defaultRanking().get(Platforms.get("tdx-connect")).groups().get(0));
        assertNotNull(find(r, Platforms.get("tdx-connect"), "kvm.exit_to_user.extra", "high"));
        assertEquals(List.of("kvm-direct"), r.defaultRanking().get(Platforms.get("sev-tio")).groups().get(0));
        assertNull(find(r, Platforms.get("sev-tio"), "kvm.exit_to_user.extra", "high"));
        assertNotNull(find(r, Platforms.get("sev-tio"), "memcpy.copy", "high"));
        assertNull(find(r, Platforms.get("tdx-connect"), "memcpy.copy", "high"));
        for (Sweep.Finding f : r.findings()) assertTrue(r.rowsMoved().get(f.platform()).contains(f.costRow()), f.toString());
        String txt = SweepReport.text(r);
        String kvmDirect = "S" + (pre.stream().map(tdisp.strategy.Strategy::id).toList().indexOf("kvm-direct") + 1);
        assertTrue(txt.contains("  kvm.exit_to_user.extra high 100000000: " + kvmDirect + "<"), txt);
    }

    private static Sweep.Ranking rankingAt(Sweep.Report r, Platform p, String row, double value) {
        return r.sensitivity().stream().filter(x -> x.platform() == p && row.equals(x.costRow()) && x.costValue() == value)
                .findFirst().orElseThrow().ranking();
    }

    private static Sweep.Finding find(Sweep.Report r, Platform p, String row, String end) {
        return r.findings().stream().filter(f -> f.platform() == p && f.costRow().equals(row) && f.end().equals(end)).findFirst().orElse(null);
    }

    @Test
    void rankingGroupsTiesAndOptionallyNearTies() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("c", 100L);
        m.put("a", 105L);
        m.put("b", 100L);
        m.put("d", 300L);
        assertEquals("b=c<a<d", Sweep.Ranking.of(m, 0).toString());
        assertEquals("a=b=c<d", Sweep.Ranking.of(m, 5).toString());
        assertEquals(200, Sweep.Ranking.of(m, 0).spreadNs());
        assertEquals(Sweep.Ranking.of(m, 0), new Sweep.Ranking(List.of(List.of("b", "c"), List.of("a"), List.of("d")), 0));
        assertNotEquals(Sweep.Ranking.of(m, 0), Sweep.Ranking.of(m, 5));
    }

    @Test
    void textFitsSeventyTwoColumnsAndListsEveryPoint() {
        List<Strategy> many = CATALOG.all();
        Sweep.Report r = Sweep.run(new Sweep.Config(many, BOTH, List.of(1, 64, 4096), List.of(1, 8), 1, 0, CostOptions.defaults(),
                BringUp.DoeScope.DEVICE, 64, 8, true, 0));
        String txt = SweepReport.text(r);
        for (String line : txt.lines().toList()) assertTrue(line.length() <= 72, "too wide: '" + line + "'");
        for (Platform p : BOTH) assertTrue(txt.contains("\n" + p.id() + " "), txt);
        assertTrue(txt.contains(" 4096    8 "), txt);
        // The cell is the makespan in ms: kvm-direct (S3) on sev-tio with one device is its recipe total.
        long total = BringUp.capture(CATALOG.get("kvm-direct"), Platforms.get("sev-tio"), 1, CostOptions.defaults()).recipe(CostOptions.defaults()).total();
        assertTrue(txt.contains(SweepReport.ms(total)), txt);
        assertTrue(SweepReport.wrap("  x ", "S1<S2".repeat(40)).lines().allMatch(l -> l.length() <= 72));
    }
}
