package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;
import tdisp.cost.CostTable;

/**
 * Issue 13: "psp.cmd.simple=1e300 in a --costs file writes modeled_ns=-9223372036746659477
 * ...; 9e18 wraps to 7213023705269909876. Exit 0 each time", and "a binary cost file or a
 * directory gives malformed CSV (java.nio.charset.MalformedInputException ...)".
 */
class Issue13CostBoundsTest {
    @TempDir Path tmp;

    static String shipped() throws IOException {
        return CostTable.builtInText();
    }

    /** The shipped table with psp.cmd.simple's default and high set to {@code v}. */
    private Path withPspSimple(String v) throws IOException {
        String t = shipped().replaceFirst("(?m)^psp\\.cmd\\.simple,1000000,100000,15000000,", "psp.cmd.simple," + v + ",100000," + v + ",");
        return Files.writeString(tmp.resolve("costs-" + v + ".csv"), t);
    }

    /** The 1-based line of a row in a cost file (the error names it). */
    private static int lineOf(Path f, String row) throws IOException {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(row + ",")) return i + 1;
        throw new AssertionError(row + " not in " + f);
    }

    private Cli.Result compare(Path costs) {
        return Cli.run("compare", "--strategies-dir", Cli.STRATEGIES, "--strategies", "iommufd-v5", "--scenarios", "happy-bringup",
                "--costs", costs.toString(), "--out", tmp.resolve("out").toString());
    }

    @Test
    void aCostOf1e300IsRefusedAtItsLineWithTheBound() throws IOException {
        Path f = withPspSimple("1e300");
        Cli.Result r = compare(f);
        Cli.assertCleanFailure(r, tmp.resolve("out"), f + ":" + lineOf(f, "psp.cmd.simple") + ":", "psp.cmd.simple", "exceeds the bound", "100000000000");
        assertEquals(2, r.code());
    }

    @Test
    void aCostOf9e18IsRefusedInsteadOfWrapping() throws IOException {
        Path f = withPspSimple("9e18");
        Cli.Result r = compare(f);
        Cli.assertCleanFailure(r, tmp.resolve("out"), f + ":" + lineOf(f, "psp.cmd.simple") + ":", "exceeds the bound");
        assertEquals(2, r.code());
    }

    @Test
    void aCostAtTheBoundStillRuns() throws IOException {
        Cli.Result r = compare(withPspSimple("100000000000"));
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aBinaryCostFileIsNamedAsNotACostTable() throws IOException {
        Path f = Files.write(tmp.resolve("bin.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        Cli.Result r = compare(f);
        Cli.assertCleanFailure(r, tmp.resolve("out"), f.toString(), "not a cost table");
        assertEquals(2, r.code());
    }

    @Test
    void aNulByteInACostFileIsNamedWithItsLine() throws IOException {
        Path f = Files.writeString(tmp.resolve("nul.csv"), shipped().replaceFirst("ioctl", "io\0ctl"));
        Cli.Result r = compare(f);
        Cli.assertCleanFailure(r, tmp.resolve("out"), f + ":", "control character");
        assertEquals(2, r.code());
    }

    @Test
    void aDirectoryAsCostFileIsNamedAsADirectory() throws IOException {
        Cli.Result r = compare(tmp);
        Cli.assertCleanFailure(r, null, tmp.toString(), "is a directory");
        assertEquals(2, r.code());
    }
}
