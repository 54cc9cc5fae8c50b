package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import tdisp.output.Csv;

/** Test shorthand: picocli's recipe, {@link Main#execute} with StringWriter-backed streams. */
public final class Cli {
    /** The shipped descriptors; Maven runs tests with the project root as working directory. */
    public static final String STRATEGIES = "strategies";

    private Cli() {}

    public record Result(int code, String out, String err) {
        public List<String> outLines() { return out.lines().toList(); }
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    public static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /**
     * An output without its provenance: the setup block and the blank line after it, or the
     * leading "# key: value" comment lines.
     */
    public static String body(String text) {
        if (text.startsWith("setup: ")) {
            int end = text.indexOf("\n\n");
            assertTrue(end > 0, "setup block without the blank line after it");
            return text.substring(end + 2);
        }
        int i = 0;
        while (text.startsWith("# ", i) && text.substring(i, text.indexOf('\n', i)).matches("# [a-z][a-z0-9-]*: .*")) i = text.indexOf('\n', i) + 1;
        assertTrue(i > 0, "no provenance comment lines");
        return text.substring(i);
    }

    public static List<CSVRecord> csvRecords(Path csv) throws IOException {
        CSVFormat fmt = Csv.READ;
        try (CSVParser p = CSVParser.parse(new StringReader(read(csv)), fmt)) {
            return p.getRecords();
        }
    }

    public static CSVRecord row(List<CSVRecord> rows, String strategy, String platform, String scenario) {
        return rows.stream()
                .filter(r -> r.get("strategy").equals(strategy) && r.get("platform").equals(platform)
                        && r.get("scenario").equals(scenario))
                .reduce((a, b) -> { throw new AssertionError("duplicate row " + strategy + "/" + platform + "/" + scenario); })
                .orElseThrow(() -> new AssertionError("no row " + strategy + "/" + platform + "/" + scenario));
    }

    public static List<String> violated(CSVRecord r) {
        String v = r.get("violated");
        return v.isEmpty() ? List.of() : List.of(v.split(";"));
    }

    /**
     * The contract for bad input: non-zero exit, exactly one line on stderr containing every
     * {@code needles}, nothing on stdout, and (if {@code outDir} is given) no report or
     * temporary file in the output directory.
     */
    public static void assertCleanFailure(Result r, Path outDir, String... needles) throws IOException {
        assertNotEquals(0, r.code(), () -> "exit code; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        List<String> errLines = r.err().lines().toList();
        assertEquals(1, errLines.size(), () -> "stderr must be exactly one line, was:\n" + r.err());
        assertFalse(errLines.get(0).isBlank(), "stderr line is blank");
        for (String n : needles) {
            assertTrue(errLines.get(0).contains(n), () -> "stderr should mention '" + n + "': " + r.err());
        }
        assertEquals("", r.out(), "no partial output on stdout");
        if (outDir != null && Files.exists(outDir)) {
            assertFalse(Files.exists(outDir.resolve("correctness.csv")), "correctness.csv written");
            assertFalse(Files.exists(outDir.resolve("correctness.txt")), "correctness.txt written");
            try (Stream<Path> s = Files.list(outDir)) {
                List<String> left = s.map(p -> p.getFileName().toString()).toList();
                assertTrue(left.stream().noneMatch(n -> n.endsWith(".tmp")), () -> "leftover temp files: " + left);
                assertTrue(left.isEmpty(), () -> "output directory not empty: " + left);
            }
        }
    }
}
