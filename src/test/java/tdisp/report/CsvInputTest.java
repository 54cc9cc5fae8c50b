package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading another command's CSV back: records by column, and the setup facts of its comment lines. */
class CsvInputTest {
    @Test
    void leadingCommentLinesComeBackAsTheSetupFactsTheyWere() {
        Provenance p = Provenance.builder().add("seed", 7).add("fault", List.of("FW_ACCEPTS_REPLAY")).build();
        String csv = p.csvComment() + "strategy,verdict\nkvm-direct,pass\n\"a,b\",violation\n";
        CsvInput in = CsvInput.parse(csv, "x.csv", "strategy");
        assertEquals(p, in.provenance());
        assertEquals(List.of("strategy", "verdict"), in.header());
        assertEquals("a,b", in.rows().get(1).get("strategy"));
        assertEquals(2, in.rows().size());
    }

    @Test
    void aCsvWithoutCommentsHasNoFacts() {
        CsvInput in = CsvInput.parse("a,b\n1,2\n", "y.csv");
        assertTrue(in.provenance().facts().isEmpty());
        assertEquals("2", in.rows().get(0).get("b"));
    }

    @Test
    void aMissingColumnOrAShortRecordNamesTheFileAndLine() {
        var e = assertThrows(CsvInput.BadCsvException.class, () -> CsvInput.parse("a,b\n1,2\n", "z.csv", "verdict"));
        assertEquals("z.csv: no column 'verdict' in the header", e.getMessage());
        e = assertThrows(CsvInput.BadCsvException.class, () -> CsvInput.parse("a,b\n1,2\n3\n", "z.csv"));
        assertEquals("z.csv:3: 1 fields, the header has 2", e.getMessage());
        e = assertThrows(CsvInput.BadCsvException.class, () -> CsvInput.parse("# seed: 1\na,b\n1,2\n3\n", "z.csv"));
        assertEquals("z.csv:4: 1 fields, the header has 2", e.getMessage());
        assertThrows(CsvInput.BadCsvException.class, () -> CsvInput.parse("", "e.csv"));
    }
}
