package tdisp.report;

import tdisp.explore.ExplorerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostOptions;
import tdisp.explore.Exploration;
import tdisp.explore.Explorer;
import tdisp.platform.Platforms;
import tdisp.scenario.Compare;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;
import tdisp.sweep.Sweep;

/**
 * Issue 23, point 1: each result's columns are declared once and used both to write its CSV
 * and to read it back, so what a service returned and what `report --from` reads are the same
 * records. Each table: records written, read back, equal; and a name the table does not
 * declare cannot be read.
 */
class ResultTablesRoundTripTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static <R> List<R> roundTrip(CsvTable<R> table, List<R> rows) {
        Input<R> back = table.parse(table.render(rows), "test.csv");
        assertEquals(table.header(), back.header());
        return back.rows();
    }

    @Test
    void compareCellsReadBackAsTheSameResults() {
        Compare.Result r = Compare.run(new Compare.Request(CATALOG.select(List.of("kvm-direct", "vfio-ioctl")), List.of(Platforms.get("tdx-connect")),
                List.of(Scenarios.get("happy-bringup"), Scenarios.get("close-vfio-bound")), 1, Set.of(), CostOptions.defaults()), () -> false);
        assertEquals(4, r.cells().size());
        assertTrue(r.anyViolation(), "close-vfio-bound breaks an invariant on tdx-connect");
        assertEquals(r.cells(), roundTrip(CorrectnessCsv.table(r.request()::knobs), r.cells()));
        assertEquals(CorrectnessCsv.render(r), CorrectnessCsv.table(r.request()::knobs).render(r.cells()));
    }

    @Test
    void sweepLinesReadBackAsTheSameLines() {
        Sweep.Config c = Sweep.Config.builder(CATALOG.select(List.of("kvm-direct", "iommufd-v5")), List.of(Platforms.get("sev-tio")))
                .devices(List.of(1, 8)).vms(List.of(1)).sensitivityDevices(8).sensitivityVms(1).build();
        List<SweepReport.Line> lines = SweepReport.lines(Sweep.run(c));
        assertTrue(lines.stream().anyMatch(l -> l.kind().equals("sensitivity")) && lines.stream().anyMatch(l -> l.kind().equals("point")));
        assertEquals(lines, roundTrip(SweepReport.TABLE, lines));
    }

    @Test
    void exploreLinesReadBackAsTheSameLines() {
        Exploration.Outcome o = Exploration.run(new Exploration.Spec("t", "iommufd-v5", List.of(), Platforms.get("sev-tio"), 1, 0,
                ExplorerConfig.bfs(3)), CATALOG, null);
        List<ExploreReport.Line> lines = ExploreReport.lines(List.of(o.run()));
        assertFalse(lines.get(0).invariants().isEmpty());
        assertEquals(lines, roundTrip(ExploreReport.TABLE, lines));
        assertEquals(ExploreReport.csv(List.of(o.run())), ExploreReport.TABLE.render(lines));
    }

    @Test
    void benchLinesReadBackAsTheSameLines() {
        // values at the CSV's precision (one decimal, ratio three): what bench.csv holds
        BenchReport.Settings s = new BenchReport.Settings("OpenJDK 17", 2, 5, 5, "1 s", Double.NaN);
        List<BenchReport.Line> lines = List.of(
                new BenchReport.Line(new BenchReport.Row("GuestRequestBench", "baseline", "sev-tio", 2906.5, 110.2, 0, 1000000, 1, 0, 0, 1, 0,
                        "baseline", 1.0, false), s),
                new BenchReport.Line(new BenchReport.Row("GuestRequestBench", "vfio-ioctl", "sev-tio", 3806.1, Double.NaN, 48, 1005300, 1, 1, 1, 1, 64,
                        "baseline", 1.31, true), s),
                new BenchReport.Line(new BenchReport.Row("BindUnbindBench", "kvm-direct", "cca", 1498.0, 139.5, 2056, 66539240, 2, 0, 0, 7, 0,
                        "", Double.NaN, false), s));
        assertEquals(lines, roundTrip(BenchReport.TABLE, lines));
    }

    @Test
    void aReaderCannotReadAColumnItsTableDoesNotDeclare() {
        CsvTable<String> t = new CsvTable<>(List.of(Column.csv("a", x -> x)), f -> f.text("b"), List.of("a"));
        assertThrows(IllegalStateException.class, () -> t.parse("a\nx\n", "t.csv"));
    }
}
