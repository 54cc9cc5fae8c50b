package tdisp.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import tdisp.output.Csv;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;

/**
 * The sourced cost table (shared/domain/costs.md): per row a default, a low-high range, a
 * unit (ns, ns_per_KiB or a multiplier x), what it applies to, an evidence grade and its
 * source. The shipped table is the domain reference's costs.csv, its platform rows kept by each
 * platform next to its class ({@link #builtInText}); `--costs FILE` replaces the whole table.
 *
 * <p>Rows that `tdisp calibrate` measured carry the grade {@value #MEASURED} or, when the
 * host was itself a guest, {@value #MEASURED_NESTED}; their source column says how (host,
 * kernel, JMH scores and errors). The format stays the same 8 columns, so a measured table
 * is read like any other.
 */
public final class CostTable {
    public static final List<String> HEADER = List.of("name", "default", "low", "high", "unit", "applies_to", "grade", "source");

    /** Grade of a row measured on this kind of host by `tdisp calibrate`. */
    public static final String MEASURED = "measured";
    /** Grade of a row measured on a host that is itself a guest: nesting is already in the value. */
    public static final String MEASURED_NESTED = "measured-nested";

    /**
     * Units, each with the largest value a row may hold (checked on every row's high, so
     * also on what a sensitivity sweep moves a row to). The bounds keep every modeled sum in
     * a long: one event costs at most 100 s times a 100x multiplier (10^13 ns), so it takes
     * 900,000 such events in one serialised sum to reach 2^63 ns; the largest sum the model
     * makes (4,096 devices' bring-up under one firmware lock) has about 10^5. No 1e300 or
     * 9e18 reaches the model.
     */
    public enum Unit {
        NS("ns", 1e11, "100 s"), NS_PER_KIB("ns_per_KiB", 1e8, "100 ms per KiB"), X("x", 100, "100x");

        private final String token;
        private final double max;
        private final String maxText;

        Unit(String token, double max, String maxText) {
            this.token = token;
            this.max = max;
            this.maxText = maxText;
        }

        public String token() { return token; }

        /** The largest value a row in this unit may hold. */
        public double max() { return max; }

        static Unit parse(String s) {
            for (Unit u : values()) if (u.token.equals(s)) return u;
            return null;
        }
    }

    public record Row(String name, double dflt, double low, double high, Unit unit, String appliesTo, String grade, String source) {
        /** True when the value was measured on a nested host, so nested.exit.multiplier must not scale it again. */
        public boolean measuredNested() { return MEASURED_NESTED.equals(grade); }
    }

    private final String origin;
    private final Map<String, Row> rows;
    private final Map<String, Double> values;

    private CostTable(String origin, Map<String, Row> rows, Map<String, Double> values) {
        this.origin = origin;
        this.rows = rows;
        this.values = values;
    }

    /** The table shipped in the jar: the common rows merged with every registered platform's ({@link #builtInText}). */
    public static CostTable defaults() {
        return parse(builtInText(), "costs.csv (built in)");
    }

    /**
     * The built-in table as one CSV text: the common rows ({@code costs.csv}), then each
     * registered platform's own ({@code costs.csv} next to its class, same header), in registry
     * order; comments and blank lines are left out. The order is the table's digest's.
     */
    public static String builtInText() {
        String common;
        try (InputStream in = CostTable.class.getResourceAsStream("/costs.csv")) {
            if (in == null) throw new CostException("costs.csv: missing from the jar");
            common = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CostException("costs.csv (built in): " + e.getMessage());
        }
        Map<String, String> own = new LinkedHashMap<>();
        for (Platform p : Platforms.all()) {
            String where = p.getClass().getPackageName().replace('.', '/') + "/costs.csv";
            String text = p.resource("costs.csv").orElse(null);
            if (text == null) continue;
            String[] lines = text.split("\n", -1);
            if (!lines[0].strip().equals(String.join(",", HEADER))) throw new CostException(where + ":1: header must be " + String.join(",", HEADER));
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String name = l.substring(0, Math.max(0, l.indexOf(','))).strip();
                if (name.isEmpty()) throw new CostException(where + ":" + (i + 1) + ": expected " + HEADER.size() + " fields");
                if (own.putIfAbsent(name, l) != null) throw new CostException(where + ":" + (i + 1) + ": duplicate cost '" + name + "'");
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : common.split("\n", -1)) {
            if (!l.isEmpty() && !l.startsWith("#")) sb.append(l).append('\n');
        }
        for (String row : own.values()) sb.append(row).append('\n');
        return sb.toString();
    }

    public static CostTable load(Path file) {
        if (Files.isDirectory(file)) throw new CostException(file + ": is a directory, not a cost table");
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CostException(file + ": not a cost table (not valid UTF-8 text)");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CostException(file + ": cannot read: no such file");
        } catch (IOException e) {
            throw new CostException(file + ": cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\r')) {
                throw new CostException(file + ":" + (i + 1) + ": control character in line (not a cost table)");
            }
        }
        try {
            return parse(new java.io.StringReader(text), file.toString());
        } catch (IOException e) {
            throw new CostException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses a table held in memory (a written table read back, tests). */
    public static CostTable parse(String csv, String origin) {
        try {
            return parse(new java.io.StringReader(csv), origin);
        } catch (IOException e) {
            throw new CostException(origin + ": " + e.getMessage());
        }
    }

    /** The table as CSV in the format {@link #load} reads (the shipped header, one row per line). */
    public static String render(java.util.Collection<Row> rows) {
        StringBuilder sb = new StringBuilder();
        try (org.apache.commons.csv.CSVPrinter p = new org.apache.commons.csv.CSVPrinter(sb,
                Csv.FORMAT.builder().setHeader(HEADER.toArray(String[]::new)).build())) {
            for (Row r : rows) p.printRecord(r.name(), number(r.dflt()), number(r.low()), number(r.high()), r.unit().token(), r.appliesTo(), r.grade(), r.source());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** Integers as integers (as the shipped table writes them), anything else with one decimal. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    static CostTable parse(Reader reader, String origin) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        // '#' lines are comments: a table tdisp wrote (costs-measured.csv) opens with its provenance.
        CSVFormat fmt = Csv.FORMAT.builder().setIgnoreEmptyLines(true).setTrim(true).build();
        try (CSVParser p = CSVParser.parse(reader, fmt)) {
            boolean header = true;
            for (CSVRecord rec : p) {
                int line = (int) p.getCurrentLineNumber();
                String where = origin + ":" + line + ": ";
                if (header) {
                    if (!rec.toList().equals(HEADER)) throw new CostException(where + "header must be " + String.join(",", HEADER));
                    header = false;
                    continue;
                }
                if (rec.size() != HEADER.size()) throw new CostException(where + "expected " + HEADER.size() + " fields, found " + rec.size());
                String name = rec.get(0);
                if (name.isEmpty()) throw new CostException(where + "empty name");
                if (lineOf.containsKey(name)) throw new CostException(where + "duplicate cost '" + name + "' (first on line " + lineOf.get(name) + ")");
                double d = number(where, "default", rec.get(1));
                double lo = number(where, "low", rec.get(2));
                double hi = number(where, "high", rec.get(3));
                if (!(lo <= d && d <= hi)) throw new CostException(where + name + ": need low <= default <= high, got " + rec.get(2) + " <= " + rec.get(1) + " <= " + rec.get(3));
                Unit u = Unit.parse(rec.get(4));
                if (u == null) throw new CostException(where + name + ": unit '" + rec.get(4) + "' is not one of ns|ns_per_KiB|x");
                if (hi > u.max()) {
                    throw new CostException(where + name + ": high " + rec.get(3) + " exceeds the bound for " + u.token() + " rows, "
                            + String.format(java.util.Locale.ROOT, "%.0f", u.max()) + " (" + u.maxText + ")");
                }
                rows.put(name, new Row(name, d, lo, hi, u, rec.get(5), rec.get(6), rec.get(7)));
                lineOf.put(name, line);
            }
            if (header) throw new CostException(origin + ": empty cost table");
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new CostException(origin + ": malformed CSV (" + e.getMessage() + ")");
        }
        for (String needed : CostModel.required()) {
            if (!rows.containsKey(needed)) throw new CostException(origin + ": missing cost '" + needed + "'");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        rows.forEach((k, v) -> values.put(k, v.dflt()));
        return new CostTable(origin, Collections.unmodifiableMap(rows), values);
    }

    private static double number(String where, String col, String s) {
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new CostException(where + col + " '" + s + "' is not a non-negative number");
        }
    }

    public String origin() { return origin; }

    public Map<String, Row> rows() { return rows; }

    /**
     * A short SHA-256 of the table's rows and the values in use (a sweep's moved value changes
     * it): two outputs with the same digest were made with the same costs, whatever the file was called.
     */
    public String digest() {
        StringBuilder sb = new StringBuilder(render(rows.values()));
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getValue() != rows.get(e.getKey()).dflt()) sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The value in use for a row (its default unless a sweep moved it). */
    public double value(String name) {
        Double v = values.get(name);
        if (v == null) throw new CostException(origin + ": no cost '" + name + "'");
        return v;
    }

    /** A copy with one row moved to another value (sensitivity sweeps). */
    public CostTable with(String name, double v) {
        if (!rows.containsKey(name)) throw new CostException(origin + ": no cost '" + name + "'");
        Map<String, Double> copy = new LinkedHashMap<>(values);
        copy.put(name, v);
        return new CostTable(origin, rows, copy);
    }
}
