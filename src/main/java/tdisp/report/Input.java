package tdisp.report;

import java.util.List;

/**
 * One result a report shows: its records, where they came from (a file as the user named
 * it, or {@code data/...} for a run the report made) and the setup they were made with.
 *
 * @param header the CSV header the records were read from or written with
 */
public record Input<R>(String source, Provenance provenance, List<String> header, List<R> rows) {
    public Input {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }
}
