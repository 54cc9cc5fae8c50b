package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tdisp.calibrate.Calibration;
import tdisp.calibrate.HostInfo;
import tdisp.calibrate.RoutingDelta;
import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 25, point 8: "calibrate's routing delta prints iommufd-typed-opsev-tio -18993.34
 * (columns run together; the negative value comes from a bring-up that never completes and
 * is not a measurement), and bench prints 1072191341903!".
 */
class Issue25TablesTest {
    @Test
    void theRoutingDeltaKeepsItsColumnsApartAndShowsNoFigureForABringUpThatNeverReachesRun() {
        Map<String, Calibration.Score> s = new LinkedHashMap<>();
        for (String k : Calibration.BENCHMARKS) s.put(k, new Calibration.Score(1000.5, 12.5));
        CostTable base = CostTable.defaults();
        HostInfo host = new HostInfo("cpu", "6.18", "kvm_amd", false, "none", "0.00 0.00 0.00");
        Calibration.Result r = Calibration.derive(s, base, host, "how");
        List<RoutingDelta.Line> delta = RoutingDelta.bringUp(StrategyCatalog.load(Path.of("strategies")), CostOptions.defaults(),
                new CostOptions(CostTable.parse(Calibration.table(base, r.rows()), "m.csv"), false, false));
        assertTrue(delta.stream().anyMatch(l -> !l.complete()), "a strategy whose bring-up never reaches RUN somewhere (the typed op on SEV-TIO)");
        String txt = CalibrationReport.text(r, base, host, "how", delta, Path.of("costs-measured.csv"), s, s);
        for (RoutingDelta.Line l : delta) {
            String row = txt.lines().filter(x -> x.startsWith(l.strategy() + " ") && x.contains(" " + l.platform() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + l + " in\n" + txt));
            if (!l.complete()) assertTrue(row.matches(".*\\bn/a +n/a +- +-$"), row);
            else assertFalse(row.contains("n/a"), row);
        }
        for (String line : txt.lines().toList()) assertTrue(line.length() <= 72, line);
    }

    @Test
    void aBenchErrorOfATrillionNanosecondsFitsItsColumn() {
        String cell = BenchReport.fit(1072191341903.0, 7);
        assertTrue(cell.length() <= 7, cell);
        assertEquals(1.07e12, Double.parseDouble(cell.replace("e", "E")), 0.01e12);
        assertEquals("1234567", BenchReport.fit(1234567, 7), "a number that fits is written whole");
        assertEquals("12.50", CalibrationReport.fit(12.5, 9));
        assertTrue(CalibrationReport.fit(-18993345678.25, 9).length() <= 9);
    }
}
