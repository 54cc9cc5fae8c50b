package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import tdisp.cost.CostTable;

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
}
