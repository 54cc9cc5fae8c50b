package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import tdisp.output.Csv;

/**
 * A result's CSV, declared once: its columns (name and extractor) write the file, and a
 * row reads back through the same names ({@link Fields} refuses a name the list does not
 * declare). So `tdisp report --from` sees what the service returned, as records, never a
 * map of strings.
 *
 * @param required the columns a file must have to be read at all (the others are read when present)
 */
public record CsvTable<R>(List<Column<R>> columns, Function<Fields, R> reader, List<String> required) {
    public CsvTable {
        columns = List.copyOf(columns);
        required = List.copyOf(required);
        for (String r : required) if (!Column.names(columns).contains(r)) throw new IllegalArgumentException("required column not declared: " + r);
    }

    public List<String> header() { return Column.names(columns); }

    /** The header and one record per row; the caller puts the provenance first ({@link Provenance#stamp}). */
    public String render(List<R> rows) { return Csv.render(header(), Column.records(columns, rows)); }

    /** Reads a file this table wrote (comment lines give the provenance); bad input names the source and line. */
    public Input<R> parse(String text, String source) {
        CsvInput in = CsvInput.parse(text, source, required.toArray(String[]::new));
        Set<String> declared = Set.copyOf(header());
        List<R> rows = new ArrayList<>();
        int line = 0;
        for (Map<String, String> m : in.rows()) {
            line++;
            rows.add(reader.apply(new Fields(source, line, declared, in.header(), m)));
        }
        return new Input<>(in.source(), in.provenance(), in.header(), rows);
    }

    /** One CSV record being read: fields by declared column name. */
    public static final class Fields {
        private final String source;
        private final int row;
        private final Set<String> declared;
        private final List<String> header;
        private final Map<String, String> values;

        Fields(String source, int row, Set<String> declared, List<String> header, Map<String, String> values) {
            this.source = source;
            this.row = row;
            this.declared = declared;
            this.header = header;
            this.values = values;
        }

        /** The file's header, in its order (columns a table declares by pattern, such as explore's invariants). */
        public List<String> header() { return header; }

        private void check(String name) {
            if (!declared.contains(name)) throw new IllegalStateException("column " + name + " is not declared by the table");
        }

        /** The field, or {@code absent} when the file has no such column. */
        public String text(String name, String absent) {
            check(name);
            return values.getOrDefault(name, absent);
        }

        /** The field; a file without the column is bad input. */
        public String text(String name) {
            check(name);
            String v = values.get(name);
            if (v == null) throw new CsvInput.BadCsvException(source + ": no column '" + name + "' in the header");
            return v;
        }

        /** A whole-number field. */
        public long count(String name) {
            String v = text(name);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new CsvInput.BadCsvException(source + ": column " + name + " '" + v + "' is not a count");
            }
        }

        /** A decimal field; empty is NaN (what the writer prints for "no value"). */
        public double decimal(String name) {
            String v = text(name);
            try {
                return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new CsvInput.BadCsvException(source + ": column " + name + " '" + v + "' is not a number");
            }
        }

        /** Bad input in this record, naming the source. */
        public CsvInput.BadCsvException bad(String why) { return new CsvInput.BadCsvException(source + ": " + why); }

        int row() { return row; }
    }
}
