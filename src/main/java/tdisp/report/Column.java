package tdisp.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One column of a result, declared once: its CSV name and how to read its CSV field from a
 * row, and, when the text table shows it, the heading, width and cell there. Every format
 * of a result is rendered from the same list, so a column cannot be renamed, dropped or
 * reordered in one format and not the other.
 *
 * @param text the text cell, or null when the text table does not show the column
 */
public record Column<T>(String name, Function<T, ?> csv, String heading, int width, Function<T, String> text) {
    /** A CSV-only column. */
    public static <T> Column<T> csv(String name, Function<T, ?> value) { return new Column<>(name, value, null, 0, null); }

    /** A column the text table shows too, right-aligned in {@code width}. */
    public static <T> Column<T> both(String name, Function<T, ?> value, String heading, int width, Function<T, String> text) {
        return new Column<>(name, value, heading, width, text);
    }

    public static <T> List<String> names(List<Column<T>> cols) { return cols.stream().map(Column::name).toList(); }

    /** The CSV records of {@code rows}, one field per column. */
    public static <T> List<List<Object>> records(List<Column<T>> cols, List<T> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (T r : rows) {
            List<Object> rec = new ArrayList<>();
            for (Column<T> c : cols) rec.add(c.csv().apply(r));
            out.add(rec);
        }
        return out;
    }

    /** The columns the text table shows, in declaration order. */
    public static <T> List<Column<T>> shown(List<Column<T>> cols) { return cols.stream().filter(c -> c.text() != null).toList(); }
}
