package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.report.CorrectnessCsv;
import tdisp.sim.Assumption;

/**
 * Issue 22.8-22.10 at the command line: `tdisp list` prints the named assumptions and each
 * invariant's kind; the matrix marks a cell resting on an assumption with '*', a cell whose
 * bring-up never got where the scenario starts with 'n/r', and counts rules and policies
 * apart; correctness.csv has a column for each.
 */
class AssumptionsAndKindsCliTest {
    @TempDir Path tmp;

    @Test
    void listPrintsEveryNamedAssumptionAndTheKindOfEveryInvariant() {
        Cli.Result r = Cli.run("list", "--strategies-dir", STRATEGIES);
        assertEquals(0, r.code(), r.err());
        for (Assumption a : Assumption.values()) assertTrue(r.out().contains("  " + a.id() + "\n"), a.id() + " missing:\n" + r.out());
        assertTrue(r.out().contains("I11  [policy] no-yank"), r.out());
        assertTrue(r.out().contains("I2   [firmware] "), r.out());
        assertTrue(r.out().contains("other reading: --set device.no-soft-reset"), r.out());
    }

    @Test
    void theMatrixMarksAssumedAndUnreachedCellsAndCountsPoliciesApartFromRules() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--strategies", "iommufd-v5,iommufd-typed-op", "--platforms", "sev-tio",
                "--scenarios", "d3-bound,happy-bringup,tamper-guest-request");
        assertEquals(0, r.code(), r.err());
        String txt = Cli.read(out.resolve("correctness.txt"));
        assertTrue(txt.matches("(?s).*\nd3-bound +1,11\\* +1,11\\*\n.*"), txt);
        assertTrue(txt.matches("(?s).*\nhappy-bringup +\\. +n/r\n.*"), txt);
        assertTrue(txt.matches("(?s).*\n  a rule \\(spec, fw, kernel\\) +0/3 +0/3\n.*"), txt);
        assertTrue(txt.matches("(?s).*\n  a policy only +1/3 +1/3\n.*"), txt);
        assertTrue(txt.matches("(?s).*\nnot reached +0/3 +1/3\n.*"), txt);
        assertTrue(txt.contains("A-D3HOT-LOSES-STATE: 2 cells: d3-bound"), txt);

        String header = Cli.body(Cli.read(out.resolve("correctness.csv"))).lines().findFirst().orElseThrow();
        assertEquals(String.join(",", CorrectnessCsv.HEADER), header);
        List<CSVRecord> rows = Cli.csvRecords(out.resolve("correctness.csv"));
        CSVRecord d3 = rows.stream().filter(x -> x.get("strategy").equals("iommufd-v5") && x.get("scenario").equals("d3-bound")).findFirst().orElseThrow();
        assertEquals("A-D3HOT-LOSES-STATE", d3.get("assumptions"));
        assertEquals("", d3.get("rules_violated"));
        assertEquals("I1;I11", d3.get("policies_violated"));
        CSVRecord typed = rows.stream().filter(x -> x.get("strategy").equals("iommufd-typed-op") && x.get("scenario").equals("happy-bringup")).findFirst().orElseThrow();
        assertEquals("not-reached", typed.get("verdict"));
        assertEquals("secure-dma", typed.get("stage_needed"));
        assertEquals("run", typed.get("stage_reached"));
    }

    @Test
    void aTraceSaysItWasNotReachedAndWhatItRestsOn() {
        Cli.Result r = Cli.run("trace", "--strategies-dir", STRATEGIES, "--strategy", "iommufd-typed-op", "--platform", "tdx-connect",
                "--scenario", "happy-bringup");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("# verdict not-reached;"), r.out());
        assertTrue(r.out().contains("# stage needed secure-dma, reached "), r.out());
        assertTrue(r.out().contains("# rests on: A-TDX-GUEST-REQ-THROUGH-HOST"), r.out());
        assertTrue(r.out().contains("[assumption] A-TDX-GUEST-REQ-THROUGH-HOST"), r.out());
    }
}
