package tdisp.report;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import tdisp.output.Csv;

/**
 * A CSV another command wrote, read back for the report: its header, its records, and the
 * setup facts of its leading "# key: value" comment lines (Provenance#csvComment), which
 * Commons CSV skips as comments.
 *
 * @param source where it came from, as the user named it (never made absolute)
 */
public record CsvInput(String source, Provenance provenance, List<String> header, List<Map<String, String>> rows) {
    /** A CSV that cannot be read as the report expects: bad input naming the file (and line). */
    public static final class BadCsvException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BadCsvException(String message) { super(message); }
    }

    public CsvInput {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    public static CsvInput read(Path file, String source) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadCsvException(source + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    /** Parses {@code text}; every column named in {@code required} must be in the header. */
    public static CsvInput parse(String text, String source, String... required) {
        List<Provenance.Fact> facts = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("#")) break;
            String body = line.substring(1).strip();
            int colon = body.indexOf(": ");
            if (colon > 0 && body.substring(0, colon).matches("[a-z][a-z0-9-]*")) {
                facts.add(new Provenance.Fact(body.substring(0, colon), body.substring(colon + 2)));
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header;
        try (CSVParser p = CSVParser.parse(new StringReader(text), Csv.READ)) {
            header = p.getHeaderNames();
            for (String r : required) if (!header.contains(r)) throw new BadCsvException(source + ": no column '" + r + "' in the header");
            for (CSVRecord rec : p) {
                if (rec.size() != header.size()) {
                    // the parser has read up to the end of this record: its line number is the last line it spans
                    throw new BadCsvException(source + ":" + p.getCurrentLineNumber() + ": " + rec.size() + " fields, the header has " + header.size());
                }
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) m.put(header.get(i), rec.get(i));
                rows.add(m);
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            if (e instanceof BadCsvException b) throw b;
            throw new BadCsvException(source + ": not a CSV the report can read: " + e.getMessage());
        }
        if (header.isEmpty()) throw new BadCsvException(source + ": empty (no header)");
        return new CsvInput(source, new Provenance(facts), header, rows);
    }
}
