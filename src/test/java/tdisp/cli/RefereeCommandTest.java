package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tdisp referee: exit 0 when every claim agrees, 1 when one differs, 2 on a bad recording (nothing written). */
class RefereeCommandTest {
    static final String FIXTURE = "src/test/resources/kernel-traces";
    @TempDir Path tmp;

    @Test
    void theFixtureAgreesAndTheTableFitsSeventyTwoColumns() throws IOException {
        Path out = tmp.resolve("ok");
        Cli.Result r = Cli.run("referee", "--strategies-dir", Cli.STRATEGIES, "--recordings", FIXTURE, "--out", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String txt = Cli.read(out.resolve("conformance.txt"));
        for (String line : txt.split("\n")) assertTrue(line.length() <= 72, line);
        assertTrue(txt.contains("close-vfio-first vmm0: order"), txt);
        assertTrue(txt.contains("not recorded"), txt);
        assertTrue(Cli.read(out.resolve("conformance.csv")).contains("\nrecording,scenario,platform,actor,claim,model,kernel,verdict,detail\n"));
    }

    @Test
    void aVariantTheKernelDoesNotRunExitsOne() {
        Path out = tmp.resolve("variant");
        Cli.Result r = Cli.run("referee", "--strategies-dir", Cli.STRATEGIES, "--recordings", FIXTURE,
                "--set", "vfio.dma-buf-cleanup=after-disable", "--out", out.toString());
        assertEquals(ExitCodes.NO, r.code(), r.err());
        assertTrue(r.out().contains("differ"), r.out());
        assertTrue(r.out().contains("setup: set       vfio.dma-buf-cleanup=after-disable"), r.out());
    }

    @Test
    void aBrokenRecordingIsBadInputNamingItsLineAndNothingIsWritten() throws IOException {
        Path rec = Files.createDirectories(tmp.resolve("rec"));
        Files.writeString(rec.resolve("runtime-pm.trace"), "# filter: a\n# task t1: x\nt1 b\n");
        Path out = tmp.resolve("bad");
        Cli.Result r = Cli.run("referee", "--strategies-dir", Cli.STRATEGIES, "--recordings", rec.toString(), "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("runtime-pm.trace:3: b is not in the '# filter:' names"), r.err());
        assertFalse(Files.exists(out));
    }
}
