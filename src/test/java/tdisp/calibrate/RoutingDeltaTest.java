package tdisp.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.strategy.StrategyCatalog;

/** The delta calibrate.txt shows moves by exactly the measured rows times the extra events. */
class RoutingDeltaTest {
    @Test
    void theBringUpDeltaMovesByExtraExitsTimesTheChangeOfTheExitLegAndExtraIoctlsTimesTheIoctlChange() {
        Map<String, CostTable.Row> rows = new LinkedHashMap<>(CostTable.defaults().rows());
        for (String[] r : new String[][] {{"kvm.exit_to_user.extra", "7000"}, {"ioctl.roundtrip", "450"}}) {
            CostTable.Row d = rows.get(r[0]);
            double v = Double.parseDouble(r[1]);
            rows.put(d.name(), new CostTable.Row(d.name(), v, v, v, d.unit(), d.appliesTo(), CostTable.MEASURED, "test"));
        }
        CostTable measured = CostTable.parse(CostTable.render(rows.values()), "m.csv");
        CostTable est = CostTable.defaults();
        List<RoutingDelta.Line> lines = RoutingDelta.bringUp(StrategyCatalog.load(Path.of("strategies")), CostOptions.defaults(),
                new CostOptions(measured, false, false));
        assertTrue(lines.size() >= 8, "every non-reference strategy on every platform");
        for (RoutingDelta.Line l : lines) {
            assertTrue(l.extraUserExits() > 0, l.toString());
            long expected = Math.round(l.extraUserExits() * (7000 - est.value("kvm.exit_to_user.extra")) + l.extraIoctls() * (450 - est.value("ioctl.roundtrip")));
            assertEquals(expected, l.measuredNs() - l.estimatedNs(), l.toString());
        }
    }
}
