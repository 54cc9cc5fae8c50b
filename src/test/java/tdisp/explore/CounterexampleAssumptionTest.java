package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 22.8: an explorer counterexample says which named assumptions it rests on, in
 * explore.txt, in its .trace and (as a comment the parser skips) in its .replay.
 */
class CounterexampleAssumptionTest {
    @TempDir Path tmp;

    @Test
    void aCounterexampleThroughARuntimePmCycleSaysItRestsOnTheD3hotAssumption() throws Exception {
        Path out = tmp.resolve("x");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "tdx-connect", "--vms", "1", "--devices", "1",
                "--depth", "5", "--progress", "none", "--out", out.toString());
        assertEquals(1, r.code(), "explore exits 1 on a violation: " + r.err());
        assertTrue(Files.readString(out.resolve("explore.txt")).contains("[assumption] rests on A-D3HOT-LOSES-STATE"));
        List<Path> traces;
        try (var s = Files.list(out.resolve("cex"))) {
            traces = s.filter(p -> p.toString().endsWith(".trace")).toList();
        }
        Path d3 = null;
        for (Path t : traces) {
            String text = Files.readString(t);
            assertTrue(text.contains("\n# rests on: "), t + " names no assumption line");
            if (text.contains("\n# rests on: A-D3HOT-LOSES-STATE")) d3 = t;
        }
        assertTrue(d3 != null, "no counterexample rests on A-D3HOT-LOSES-STATE");
        Path replay = Path.of(d3.toString().replace(".trace", ".replay"));
        assertTrue(Files.readString(replay).contains("\n# rests on: A-D3HOT-LOSES-STATE"));
        Cli.Result again = Cli.run("replay", replay.toString());
        assertEquals(0, again.code(), "the replay reproduces its violation: " + again.err());
    }
}
