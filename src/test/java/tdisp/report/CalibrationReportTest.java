package tdisp.report;

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

/** calibrate.txt from hand-made scores: 72 columns, estimates beside measurements, the delta moved. */
class CalibrationReportTest {
    @Test
    void theCalibrationReportFitsSeventyTwoColumnsAndShowsBothDeltas() {
        Map<String, Calibration.Score> s = new LinkedHashMap<>();
        for (String k : Calibration.BENCHMARKS) s.put(k, new Calibration.Score(100000.5, 123456.7)); // wide numbers on purpose
        s.put(Calibration.OUT, new Calibration.Score(9000000, 1));
        CostTable base = CostTable.defaults();
        HostInfo host = new HostInfo("Intel(R) Xeon(R) Processor with a long marketing name, 2.10GHz", "6.18.44-test", "kvm_intel", true,
                "cpuinfo hypervisor flag, DMI QEMU Standard PC (Q35 + ICH9, 2009)", "9.00 8.00 7.00");
        Calibration.Result r = Calibration.derive(s, base, host, "tdisp-harness 0.1 --quick, 1 fork(s), 3+5 x 500 ms, OpenJDK 64-Bit Server VM 17");
        CostTable measured = CostTable.parse(Calibration.table(base, r.rows()), "m.csv");
        List<RoutingDelta.Line> delta = RoutingDelta.bringUp(StrategyCatalog.load(Path.of("strategies")), CostOptions.defaults(),
                new CostOptions(measured, false, false));
        String txt = CalibrationReport.text(r, base, host, "how", delta, Path.of("results", "costs-measured.csv"), s, s);
        for (String line : txt.lines().toList()) assertTrue(line.length() <= 72, () -> "longer than 72: '" + line + "'");
        assertTrue(txt.contains("kvm.exit_to_user.extra"));
        assertTrue(txt.contains("nested: yes (cpuinfo hypervisor flag"));
        for (RoutingDelta.Line l : delta) assertTrue(l.measuredNs() > l.estimatedNs(), l.toString());
    }
}
