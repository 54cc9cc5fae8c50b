package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import tdisp.cost.CostTable;
import tdisp.output.Columns;
import tdisp.output.HarnessVersion;

class ProvenanceTest {
    @Test
    void csvCommentLinesAreSkippedByACommonsCsvReaderWithACommentMarker() throws Exception {
        Provenance p = Provenance.builder().add("seed", 7).add("fault", List.of("FW_ACCEPTS_REPLAY")).build();
        String csv = p.csvComment() + "a,b\n1,2\n";
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(1, rows.size());
        assertEquals("2", rows.get(0).get("b"));
        assertTrue(csv.contains("# fault: FW_ACCEPTS_REPLAY\n"));
    }

    @Test
    void aNewlineInAValueCannotEndTheCommentAndStartARecord() {
        Provenance p = Provenance.builder().add("set", "a=b\nx,y").build();
        for (String line : p.csvComment().split("\n")) assertTrue(line.startsWith("# "), line);
    }

    @Test
    void theTextBlockFitsSeventyTwoColumnsAndNamesTheBuild() {
        Provenance p = Provenance.builder().add("set", "x".repeat(200)).build();
        String t = p.text();
        assertTrue(Columns.widest(t) <= Columns.WIDTH, t);
        assertTrue(t.startsWith("setup: harness   tdisp-harness "), t);
        assertEquals(HarnessVersion.commit(), p.get("commit"));
    }

    @Test
    void anEmptyListIsWrittenAsNoneAndAKeyMustBeAWord() {
        assertEquals("none", Provenance.builder().add("fault", List.of()).build().get("fault"));
        assertThrows(IllegalArgumentException.class, () -> new Provenance.Fact("Bad Key", "v"));
    }

    @Test
    void theCostDigestFollowsTheValuesInUse() {
        CostTable t = CostTable.defaults();
        String name = t.rows().keySet().iterator().next();
        assertEquals(t.digest(), CostTable.defaults().digest());
        assertNotEquals(t.digest(), t.with(name, t.value(name) + 1).digest());
        assertTrue(t.digest().matches("sha256:[0-9a-f]{16}"), t.digest());
    }

    @Test
    void stampPutsCommentLinesBeforeACsvAndTheSetupBlockBeforeAText() {
        Provenance p = Provenance.builder().add(Provenance.REPRODUCE, "./tdisp compare --seed 1").build();
        Map<String, String> out = p.stamp(new java.util.LinkedHashMap<>(Map.of("a.csv", "h\n", "a.txt", "body\n", "a.run-info", "x=1\n")));
        assertEquals(p.csvComment() + "h\n", out.get("a.csv"));
        assertEquals(p.csvComment() + "x=1\n", out.get("a.run-info"));
        assertEquals(p.text() + "\nbody\n", out.get("a.txt"));
        assertThrows(IllegalArgumentException.class, () -> p.stamp(Map.of("a.bin", "")), "an output kind without a rendering is a bug");
    }

    @Test
    void aCounterexamplesFilesNameTheReplayCommandNotTheSearchThatFoundThem() {
        Provenance p = Provenance.builder().add(Provenance.REPRODUCE, "./tdisp explore --depth 5").build();
        Map<String, String> out = p.stamp(Map.of("cex/x-I1-1.replay", "format 2\n", "cex/x-I1-1.trace", "# t\n"));
        assertTrue(out.get("cex/x-I1-1.replay").contains("# reproduce: ./tdisp replay x-I1-1.replay\n"), out.toString());
        assertEquals(Provenance.replay("x-I1-1.replay").text() + "\n# t\n", out.get("cex/x-I1-1.trace"));
    }

    @Test
    void aLongReproduceLineWrapsAsShellContinuationsAndSplitsALongListIntoRepeatedOptions() {
        String ids = String.join(",", java.util.Collections.nCopies(8, "iommufd-typed-op"));
        Provenance p = Provenance.builder().add(Provenance.REPRODUCE, "./tdisp sweep --strategies " + ids + " --seed 1").build();
        List<String> lines = p.text().lines().filter(l -> !l.startsWith("setup: harness") && !l.startsWith("setup: commit")
                && !l.startsWith("setup: jdk")).toList();
        assertTrue(lines.get(0).startsWith("setup: reproduce ./tdisp sweep"), lines.toString());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).length() <= Columns.WIDTH, lines.get(i));
            assertEquals(i < lines.size() - 1, lines.get(i).endsWith(" \\"), lines.get(i));
        }
        String joined = String.join(" ", lines).replace(" \\", "");
        int n = 0;
        for (String w : joined.split(" +")) if (w.startsWith("iommufd-typed-op")) n += w.split(",").length;
        assertEquals(8, n, joined);
    }

    @org.junit.jupiter.api.Test
    void aDigestTooLongToShareALineWithItsOptionStartsTheNextLineAndThePasteIsTheSameCommand() {
        String digest = "ecb3877b9988c936dcc64c63af8a54c2fa6df7f717d4e5ee429d0f4c4859e68b";
        String line = "setup: reproduce ./tdisp vocab-check --tree linux-source-7.2 --tarball-sha256 " + digest;
        String wrapped = Provenance.shellWrap(line);
        for (String l : wrapped.split("\n")) org.junit.jupiter.api.Assertions.assertTrue(l.length() <= 72, l);
        org.junit.jupiter.api.Assertions.assertEquals(line, wrapped.replaceAll(" \\\\\n +", " "));
        org.junit.jupiter.api.Assertions.assertTrue(wrapped.contains("\n       " + digest), wrapped);
    }
}
