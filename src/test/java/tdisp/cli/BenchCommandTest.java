package tdisp.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import tdisp.output.Csv;
import tdisp.report.BenchReport;

/** bench.csv and the text table from known rows (the JMH run itself is CI's smoke test). */
class BenchCommandTest {
    private static BenchReport.Row row(String bench, String strategy, double ns, double err) {
        return new BenchReport.Row(bench, strategy, "sev-tio", ns, err, 0.02, 1_005_300, 1, 1, 1, 1, 8192, "", Double.NaN, false);
    }

    private static final List<BenchReport.Row> RAW = List.of(
            row("GuestRequestBench", "baseline", 1000, 50),
            row("GuestRequestBench", "iommufd-v5", 1100, 40),
            row("GuestRequestBench", "kvm-direct", 1500, 100),
            row("BindUnbindBench", "kvm-direct", 2000, 10),
            row("BindUnbindBench", "iommufd-v5", 2010, 10));

    @Test
    void ratiosAreToTheReferenceAndSignificantOnlyWithoutOverlap() {
        List<BenchReport.Row> rows = BenchReport.withRatios(RAW);
        BenchReport.Row v5 = rows.stream().filter(r -> r.benchmark().equals("GuestRequestBench") && r.strategy().equals("iommufd-v5")).findFirst().orElseThrow();
        assertEquals("baseline", v5.ratioTo());
        assertEquals(1.1, v5.ratio(), 1e-9);
        assertTrue(v5.significant(), "1100 +- 40 vs 1000 +- 50 do not overlap");
        BenchReport.Row bind = rows.stream().filter(r -> r.benchmark().equals("BindUnbindBench") && r.strategy().equals("iommufd-v5")).findFirst().orElseThrow();
        assertEquals("kvm-direct", bind.ratioTo());
        assertFalse(bind.significant(), "2010 +- 10 vs 2000 +- 10 overlap");
    }

    @Test
    void csvHasTheDocumentedColumnsAndOneRowPerPoint() throws Exception {
        String csv = BenchReport.csv(BenchReport.withRatios(RAW), new BenchReport.Settings("JDK", 2, 5, 5, "1 s", 0.25));
        List<CSVRecord> recs = Csv.records(csv);
        assertEquals(RAW.size(), recs.size());
        assertTrue(csv.startsWith("benchmark,strategy,platform,ns_op,ns_op_error,ratio,ratio_to,significant,alloc_b_op,modeled_ns_op,"));
        assertEquals("1.100", recs.stream().filter(r -> r.get("strategy").equals("iommufd-v5") && r.get("benchmark").equals("GuestRequestBench")).findFirst().orElseThrow().get("ratio"));
    }

    @Test
    void tableFitsInAMailAndPutsTheReferenceFirst() {
        String txt = BenchReport.table(BenchReport.withRatios(RAW), new BenchReport.Settings("OpenJDK 64-Bit Server VM 17.0.15", 2, 5, 5, "1 s", 0.25));
        txt.lines().forEach(l -> assertTrue(l.length() <= 72, l));
        List<String> lines = txt.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("GuestRequest sev-tio")).findFirst().orElseThrow());
        assertTrue(lines.get(header + 1).contains("baseline") && lines.get(header + 1).contains("ref"));
        assertTrue(txt.contains("+10%*"));
    }

    @Test
    void theTableSaysHarnessTimeIsTheModelsOwnCostAndModelUsIsNotMeasured() {
        String txt = BenchReport.table(BenchReport.withRatios(RAW), new BenchReport.Settings("JDK", 2, 5, 5, "1 s", 0.25));
        String joined = txt.replace('\n', ' ');
        assertTrue(joined.contains("Harness time is measured: the model's own Java step machinery"), txt);
        assertTrue(joined.contains("not a kernel cost"), txt);
        assertTrue(txt.indexOf("not a kernel cost") < txt.indexOf("GuestRequest sev-tio"), "said before the first table");
    }

    @Test
    void aPointWhoseErrorExceedsTheShareIsFlaggedAndExplained() {
        List<BenchReport.Row> rows = BenchReport.withRatios(List.of(
                row("GuestRequestBench", "baseline", 1000, 50),
                row("GuestRequestBench", "iommufd-v5", 3288, 39978)));
        String txt = BenchReport.table(rows, new BenchReport.Settings("JDK", 1, 2, 3, "500 ms", 0.25));
        String v5 = txt.lines().filter(l -> l.contains("iommufd-v5")).findFirst().orElseThrow();
        assertTrue(v5.contains("39978!"), v5);
        String base = txt.lines().filter(l -> l.contains("baseline")).findFirst().orElseThrow();
        assertFalse(base.contains("!"), "5% error is not flagged: " + base);
        assertTrue(txt.contains("! 1 point(s) with an error above 25% of the value"), txt);
        assertFalse(BenchReport.table(rows, new BenchReport.Settings("JDK", 1, 2, 3, "500 ms", 20)).contains("!"), "a share of 20 flags nothing");
    }

    @Test
    void timeOptionTakesTheOneDurationSyntax() throws Exception {
        Cli.Result bad = Cli.run("bench", "--strategies-dir", "strategies", "--iteration-time", "fast");
        Cli.assertCleanFailure(bad, null, "--iteration-time", "fast", "not a duration");
        assertEquals(java.time.Duration.ofMillis(1500), new Converters.DurationConverter().convert("1.5s"));
        assertEquals(java.time.Duration.ofMillis(200), new Converters.DurationConverter().convert("200ms"));
    }

    /** The measurement's defaults are declared once; the help shows them as it did when they were literals in it. */
    @Test
    void theHelpShowsTheDefaultsValidateUses() {
        var spec = new picocli.CommandLine(new BenchCommand()).getCommandSpec();
        assertEquals("1 fork, 2 x 500 ms warm-up, 3 x 500 ms measurement (a few minutes in all)", spec.findOption("--quick").description()[0]);
        assertEquals("forked JVMs per point (default: 2, with --quick 1)", spec.findOption("--forks").description()[0]);
        assertEquals("warm-up iterations per fork (default: 5, with --quick 2)", spec.findOption("--warmup-iterations").description()[0]);
        assertEquals("measured iterations per fork (default: 5, with --quick 3)", spec.findOption("--iterations").description()[0]);
        assertEquals("time per JMH iteration, e.g. 1s or 200ms (default: 1s, with --quick 500ms)", spec.findOption("--iteration-time").description()[0]);
    }
}
