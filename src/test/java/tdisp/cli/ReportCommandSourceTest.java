package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue 23, point 1: report calls the services directly. It does not re-enter the command
 * line (Main.execute), build an argument list for one, or go through a scratch directory.
 */
class ReportCommandSourceTest {
    static final List<Path> REPORT = List.of(Path.of("src/main/java/tdisp/cli/ReportCommand.java"), Path.of("src/main/java/tdisp/cli/ReportRuns.java"));

    @Test
    void reportNeitherReentersTheCommandLineNorWritesAScratchDirectory() throws Exception {
        for (Path p : REPORT) {
            String src = Files.readString(p);
            assertFalse(src.contains("Main.execute") || src.contains("execute("), p + " runs a command line");
            assertFalse(src.contains("parseArgs") || src.contains("toArray(String[]::new)"), p + " builds an argument array");
            assertFalse(src.contains("createTempDirectory") || src.contains("createTempFile"), p + " writes a scratch directory");
        }
        assertTrue(Files.readString(REPORT.get(0)).contains("Compare.run("), "compare's service is called");
    }
}
