package tdisp.output;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The one CSV dialect of every file tdisp writes and reads back: RFC 4180 quoting, '\n'
 * between records (the same bytes on every OS), '#' opening a comment line, which is how
 * each output carries its provenance ahead of the header. Commons CSV quotes a value that
 * starts with '#' (or any character up to it) whether or not a comment marker is set, so a
 * field can never be read back as a comment.
 */
public final class Csv {
    /** The shared, immutable format; renderers add their header, readers {@link #READ}. */
    public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setCommentMarker('#').build();

    /** FORMAT for reading our files: the first record is the header, comment lines skipped. */
    public static final CSVFormat READ = FORMAT.builder().setHeader().setSkipHeaderRecord(true).build();

    private Csv() {}

    /** The header and one record per row, in FORMAT; the caller puts any comment lines first. */
    public static String render(List<String> header, Iterable<? extends Iterable<?>> rows) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT.builder().setHeader(header.toArray(String[]::new)).build())) {
            for (Iterable<?> row : rows) p.printRecord(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }

    /** The records of a file we wrote, addressed by header name; comment lines skipped. */
    public static List<CSVRecord> records(String text) {
        try (CSVParser p = CSVParser.parse(new StringReader(text), READ)) {
            return p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
