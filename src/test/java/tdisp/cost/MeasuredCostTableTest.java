package tdisp.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.sim.Event;

/** Tables written by `tdisp calibrate`: they read back through CostTable, and --nested respects their grade. */
class MeasuredCostTableTest {
    static final String SOURCE = "tdisp calibrate (quick) on Intel(R) Xeon(R), \"model\" 6; JMH avgt: a 10.0 +- 0.2 - b 1.0 +- 0.1 = 9.0 +- 0.2 ns";

    /** The built-in table with kvm.exit_to_user.extra replaced by a measured value of the given grade. */
    static CostTable withMeasuredUserExit(double ns, String grade) {
        Map<String, CostTable.Row> rows = new LinkedHashMap<>(CostTable.defaults().rows());
        CostTable.Row d = rows.get("kvm.exit_to_user.extra");
        rows.put(d.name(), new CostTable.Row(d.name(), ns, ns - 100, ns + 100, d.unit(), d.appliesTo(), grade, SOURCE));
        return CostTable.parse(CostTable.render(rows.values()), "measured.csv");
    }

    @Test
    void aWrittenTableOpeningWithItsProvenanceCommentsReadsBackWithTheSameRowsAndDigest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        CostTable measured = withMeasuredUserExit(900, "measured");
        String comments = "# harness: tdisp-harness x\n# reproduce: ./tdisp calibrate --quick\n";
        java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("costs-measured.csv"), comments + CostTable.render(measured.rows().values()));
        CostTable back = CostTable.load(f);
        assertEquals(measured.rows(), back.rows());
        assertEquals(measured.digest(), back.digest(), "comments are not part of what the digest names");
    }

    @Test
    void aBadRowAfterTheCommentsIsNamedByItsLineInTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String text = CostTable.render(CostTable.defaults().rows().values());
        int second = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        String broken = "# harness: x\n# commit: y\n" + text.substring(0, second) + "bad.row,1,2,3\n" + text.substring(second);
        java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("t.csv"), broken);
        CostException e = org.junit.jupiter.api.Assertions.assertThrows(CostException.class, () -> CostTable.load(f));
        assertTrue(e.getMessage().startsWith(f + ":5: expected 8 fields, found 4"), e.getMessage());
    }

    @Test
    void theBuiltInTableRendersBackToTheBytesItWasReadFrom() throws Exception {
        String shipped;
        shipped = CostTable.builtInText();
        assertEquals(shipped.strip(), CostTable.render(CostTable.defaults().rows().values()).strip());
    }

    @Test
    void aMeasuredRowRoundTripsWithItsGradeAndQuotedSource() {
        CostTable t = withMeasuredUserExit(5432.1, CostTable.MEASURED_NESTED);
        CostTable.Row r = t.rows().get("kvm.exit_to_user.extra");
        assertEquals(List.of(5432.1, 5332.1, 5532.1), List.of(r.dflt(), r.low(), r.high()));
        assertEquals(CostTable.MEASURED_NESTED, r.grade());
        assertEquals(SOURCE, r.source());
        assertTrue(r.measuredNested());
        assertEquals(CostTable.render(t.rows().values()), CostTable.render(CostTable.parse(CostTable.render(t.rows().values()), "again").rows().values()));
        List<String> names = new ArrayList<>(t.rows().keySet());
        assertEquals(new ArrayList<>(CostTable.defaults().rows().keySet()), names, "row order kept");
    }

    @Test
    void nestedDoesNotMultiplyAnExitRowMeasuredOnANestedHost() {
        CostTable t = withMeasuredUserExit(5400, CostTable.MEASURED_NESTED);
        double dispatch = t.value("vmm.dispatch");
        double mult = t.value("nested.exit.multiplier");
        CostModel nested = new CostModel(t, Platforms.get("sev-tio"), true, false);
        assertEquals(Math.round(5400 + dispatch), nested.exit(Event.ExitKind.USER));
        // the estimated exit row (VMGEXIT on SEV-TIO) is still scaled
        assertEquals(Math.round(mult * t.value(Platforms.get("sev-tio").vmExitRow())), nested.exit(Event.ExitKind.VM));
        CostModel bare = new CostModel(t, Platforms.get("sev-tio"), false, false);
        assertEquals(Math.round(5400 + dispatch), bare.exit(Event.ExitKind.USER));
    }

    @Test
    void nestedStillMultipliesARowMeasuredOnBareMetalOrEstimated() {
        CostTable measured = withMeasuredUserExit(700, CostTable.MEASURED);
        assertFalse(measured.rows().get("kvm.exit_to_user.extra").measuredNested());
        double mult = measured.value("nested.exit.multiplier");
        double dispatch = measured.value("vmm.dispatch");
        assertEquals(Math.round(mult * 700 + dispatch), new CostModel(measured, Platforms.get("tdx-connect"), true, false).exit(Event.ExitKind.USER));
        CostTable est = CostTable.defaults();
        assertEquals(Math.round(mult * est.value("kvm.exit_to_user.extra") + dispatch),
                new CostModel(est, Platforms.get("tdx-connect"), true, false).exit(Event.ExitKind.USER));
    }

    @Test
    void aBenchmarkForkChargesFromTheTableAndConditionsItWasHanded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = tmp.resolve("m.csv");
        java.nio.file.Files.writeString(file, CostTable.render(withMeasuredUserExit(4321, CostTable.MEASURED_NESTED).rows().values()));
        try {
            System.setProperty(CostOptions.COSTS_PROPERTY, file.toString());
            System.setProperty(CostOptions.NESTED_PROPERTY, "true");
            CostOptions o = CostOptions.fromSystemProperties();
            assertEquals(4321, o.table().value("kvm.exit_to_user.extra"));
            assertTrue(o.nested());
            assertFalse(o.ibpb());
            assertEquals(file + ", --nested", o.describe());
        } finally {
            System.clearProperty(CostOptions.COSTS_PROPERTY);
            System.clearProperty(CostOptions.NESTED_PROPERTY);
        }
        assertEquals("costs.csv (built in)", CostOptions.fromSystemProperties().describe());
    }
}
