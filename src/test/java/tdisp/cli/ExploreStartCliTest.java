package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explore --start X through the CLI: bad X is bad input (exit 2, one line, nothing written). */
class ExploreStartCliTest {
    @TempDir Path tmp;

    private Cli.Result explore(Path out, String start, String platform) {
        return Cli.run("explore", "--strategies-dir", STRATEGIES, "--strategy", "iommufd-typed-op", "--platform", platform,
                "--vms", "1", "--devices", "1", "--depth", "1", "--start", start, "--progress", "none", "--out", out.toString());
    }

    @Test
    void aBadStartExitsTwoWithOneLineAndWritesNothing() {
        Path out = tmp.resolve("out");
        Cli.Result r = explore(out, "nowhere", "sev-tio");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tdisp: --start nowhere: not a stage (bound, locked, run, dma)"), r.err());
        assertFalse(Files.exists(out));
        // typed-op never reaches RUN on SEV-TIO: the start names the DMA that does not land.
        r = explore(out, "happy-bringup", "sev-tio");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tdisp: --start happy-bringup: device0's T=1 DMA did not land"), r.err());
        assertFalse(Files.exists(out));
        // On CCA it does, and the report says where the search started.
        r = explore(out, "happy-bringup", "cca");
        assertTrue(r.code() <= 1, r.err());
        assertTrue(r.out().contains("search starts at --start happy-bringup, 12 actions"), r.out());
        assertTrue(r.out().contains("--start happy-bringup"), "the reproduce line names the start");
    }
}
