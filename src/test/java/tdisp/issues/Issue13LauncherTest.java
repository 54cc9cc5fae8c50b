package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Issue 13: "The launcher ignores JAVA_OPTS (only the undocumented JDK_JAVA_OPTIONS works)
 * and does not rebuild when benchmarks/ changes." The launcher is a shell script; running it
 * from a unit test would build the jar inside the build, so these read what it runs.
 */
class Issue13LauncherTest {
    private static final String LAUNCHER = read();

    private static String read() {
        try {
            return Files.readString(Path.of("tdisp"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theLauncherPassesJavaOptsToTheJvm() {
        assertTrue(LAUNCHER.contains("exec java ${JAVA_OPTS:-} "), LAUNCHER);
    }

    @Test
    void theLauncherRebuildsWhenBenchmarksChange() {
        String find = LAUNCHER.lines().filter(l -> l.contains("find ") && l.contains("-newer")).findFirst().orElseThrow();
        assertTrue(find.contains("\"$home/benchmarks\"") && find.contains("\"$home/src/main\"") && find.contains("\"$home/pom.xml\""), find);
    }
}
