package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25, point 1: "the launcher rebuilds the jar in place, so a tdisp already running
 * dies with a stack trace when another starts after a source change." The real launcher
 * runs in a copy of the project whose `mvn` is a stand-in that rewrites the built jar in
 * place, as the build does; the first invocation must outlive the second's rebuild.
 */
class Issue25LauncherTest {
    @TempDir Path tmp;

    /** A runnable jar of LauncherProbe; {@code padding} bytes first move every entry's offset. */
    private static void jar(Path out, int padding) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(out), m)) {
            if (padding > 0) {
                j.putNextEntry(new JarEntry("padding.bin"));
                byte[] b = new byte[padding];
                for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + 7);
                j.write(b);
                j.closeEntry();
            }
            for (String c : new String[] {"LauncherProbe", "LauncherProbe$Late"}) {
                String name = "tdisp/issues/" + c + ".class";
                j.putNextEntry(new JarEntry(name));
                try (InputStream in = Issue25LauncherTest.class.getClassLoader().getResourceAsStream(name)) {
                    j.write(in.readAllBytes());
                }
                j.closeEntry();
            }
        }
    }

    @Test
    void aTdispStillRunningSurvivesAnotherInvocationThatRebuildsTheJar() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.copy(Path.of("tdisp"), home.resolve("tdisp"));
        Files.setPosixFilePermissions(home.resolve("tdisp"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("pom.xml"), "<project/>\n");
        Path src = Files.createDirectories(home.resolve("src/main")).resolve("Main.java");
        Files.writeString(src, "// v1\n");
        Files.createDirectories(home.resolve("benchmarks"));
        jar(tmp.resolve("v1.jar"), 0);
        jar(tmp.resolve("v2.jar"), 200_000);
        // The stand-in build: each run writes the next version over target/tdisp-harness-all.jar
        // through the same inode, as a build that rewrites its output does.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nn=$(cat '" + tmp + "/builds' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '" + tmp + "/builds'\n"
                + "mkdir -p target && cat '" + tmp + "'/v$n.jar > target/tdisp-harness-all.jar\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH");

        Path go1 = tmp.resolve("go1"), go2 = tmp.resolve("go2");
        Process first = start(home, path, go1, tmp.resolve("first.out"));
        try {
            awaitLine(tmp.resolve("first.out"), "started", first);
            // a source change after the first build: the next invocation rebuilds
            Files.setLastModifiedTime(src, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            Files.writeString(go2, "");
            Process second = start(home, path, go2, tmp.resolve("second.out"));
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second invocation ended");
            assertEquals(0, second.exitValue(), Files.readString(tmp.resolve("second.out")));
            assertEquals("2", Files.readString(tmp.resolve("builds")).strip(), "the second invocation rebuilt the jar");
            Files.writeString(go1, "");
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the first invocation ended");
            String out = Files.readString(tmp.resolve("first.out"), StandardCharsets.UTF_8);
            assertEquals(0, first.exitValue(), out);
            assertTrue(out.contains("late class loaded"), out);
        } finally {
            first.destroyForcibly();
        }
    }

    private static Process start(Path home, String path, Path go, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("tdisp").toString(), go.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).directory(home.toFile());
        pb.environment().put("PATH", path);
        pb.environment().remove("JAVA_OPTS");
        return pb.start();
    }

    private static void awaitLine(Path out, String line, Process p) throws Exception {
        for (int i = 0; i < 6000; i++) {
            if (Files.exists(out) && Files.readString(out).lines().anyMatch(line::equals)) return;
            if (!p.isAlive()) break;
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + line + "' line: " + (Files.exists(out) ? Files.readString(out) : "(no output)"));
    }
}
