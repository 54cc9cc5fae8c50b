package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tdisp.cli.Cli;

/**
 * results/explore-from-run (explore --start happy-bringup on every strategy): every
 * counterexample's replay file holds the whole path from the clean boot, and re-running
 * it reproduces the violation and the stored trace byte for byte (provenance aside).
 */
class ExploreFromRunResultsTest {
    static final Path DIR = Path.of("results/explore-from-run");

    @Test
    void everyCounterexampleReproducesFromTheCleanBoot() throws IOException {
        List<Path> replays;
        try (Stream<Path> s = Files.walk(DIR)) {
            replays = s.filter(p -> p.toString().endsWith(".replay")).sorted().toList();
        }
        assertTrue(replays.size() >= 7, "a counterexample or goal per strategy at least: " + replays.size());
        try (Stream<Path> s = Files.list(DIR)) {
            assertEquals(14, s.filter(Files::isDirectory).count(), "7 strategies, each as a pair and on one shared DSM");
        }
        for (Path f : replays) {
            String text = Files.readString(f);
            assertTrue(text.contains("\n# the search started here: --start happy-bringup\n"), f + ": no start marker");
            ReplayFile rf = ReplayFile.parse(f);
            assertEquals("guest0 BIND", rf.actions().get(0), f + ": not from the clean boot");
            ReplayFile.Outcome o = rf.run();
            assertTrue(o.reproduced(), f + ":\n" + o.text());
            Path trace = Path.of(f.toString().replace(".replay", ".trace"));
            assertEquals(Cli.body(Files.readString(trace)), o.text(), f + ": the trace differs");
        }
    }
}
