package tdisp.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The shared dialect: '\n' records, '#' comments skipped, and a field that starts with '#' is never one. */
class CsvTest {
    @Test
    void aFieldStartingWithTheCommentMarkerIsQuotedAndReadsBack() {
        String csv = "# harness: x\n" + Csv.render(List.of("name", "kind"), List.of(List.of("#VC", "exit"), List.of("a,b", "x")));
        assertEquals("# harness: x\nname,kind\n\"#VC\",exit\n\"a,b\",x\n", csv);
        List<CSVRecord> r = Csv.records(csv);
        assertEquals(2, r.size());
        assertEquals("#VC", r.get(0).get("name"));
        assertEquals("a,b", r.get(1).get("name"));
    }
}
