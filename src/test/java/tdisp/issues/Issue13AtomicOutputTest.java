package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 13: "'Renamed together' does not hold ... a .correctness.txt<digits>.tmp is left
 * behind"; "a depth-3 explore into a directory used by a depth-5 run leaves the old I1-5,
 * I1-6, I6-1 files beside the new ones"; "output files are created 0600 whatever the umask";
 * "the output directory is checked only at the end: explore --out afile fails after the
 * whole search".
 */
class Issue13AtomicOutputTest {
    @TempDir Path tmp;

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private Cli.Result explore(Path out, int depth) {
        return Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--vms", "1", "--devices", "1", "--depth", String.valueOf(depth), "--progress", "none", "--out", out.toString());
    }

    @Test
    void aShallowExploreReplacesEveryFileOfADeeperOneInTheSameDirectory() throws IOException {
        Path out = tmp.resolve("x");
        assertEquals(1, explore(out, 5).code(), "depth 5 finds I1: a finding");
        List<String> deep = tree(out);
        Files.writeString(out.resolve("cex/iommufd-v5-sev-tio-I1-99.replay"), "planted by an earlier run\n");
        assertEquals(0, explore(out, 2).code());
        List<String> shallow = tree(out);
        assertFalse(shallow.contains("cex/iommufd-v5-sev-tio-I1-99.replay"), "a file the run did not write is gone");
        assertTrue(deep.size() > shallow.size(), deep + " vs " + shallow);
        Path fresh = tmp.resolve("fresh");
        assertEquals(0, explore(fresh, 2).code());
        assertEquals(tree(fresh), shallow, "the directory holds exactly what a fresh run writes");
    }

    @Test
    void noStagingDirectoryOrTempFileIsLeftBesideTheOutput() throws IOException {
        Path out = tmp.resolve("x");
        assertEquals(0, explore(out, 2).code());
        assertEquals(1, explore(out, 3).code(), "depth 3 finds I1: a finding");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("x"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(tree(out).stream().noneMatch(n -> n.endsWith(".tmp") || n.contains(".tdisp-new-")), tree(out).toString());
    }

    @Test
    void outputFilesFollowTheUmaskLikeAnyNewFile() throws IOException {
        Path out = tmp.resolve("x");
        assertEquals(0, explore(out, 2).code());
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("probe")));
        assertEquals(expected, Files.getPosixFilePermissions(out.resolve("explore.csv")));
        assertTrue(Files.getPosixFilePermissions(out.resolve("explore.csv")).contains(PosixFilePermission.OTHERS_READ)
                || !expected.contains(PosixFilePermission.OTHERS_READ), "not 0600");
    }

    @Test
    void anOutputPathThatIsAFileFailsBeforeTheSearchStarts() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        // Unbounded depth and time: only the up-front check can make this return.
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Cli.run("explore", "--strategy", "iommufd-v5",
                "--platform", "sev-tio", "--depth", "60", "--time", "0", "--progress", "none", "--out", file.toString()));
        Cli.assertCleanFailure(r, null, "--out " + file, "not a directory");
        assertEquals(2, r.code());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void theWorkingDirectoryIsNeverTheOutputUnit() throws IOException {
        Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", ".");
        Cli.assertCleanFailure(r, null, "--out .", "working directory");
        assertEquals(2, r.code());
    }

    @Test
    void aDirectoryHoldingOtherFilesIsNeverReplaced() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", mine.toString());
        Cli.assertCleanFailure(r, null, "--out " + mine, "tdisp did not write");
        assertEquals(List.of("", "notes.txt"), tree(mine));
    }

    /** Issue 25: the link used to be repointed at a new directory and the linked one stayed empty. */
    @Test
    void aSymlinkedOutputWritesIntoTheDirectoryTheLinkNamesAndLeavesTheLinkAlone() throws IOException {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path link = Files.createSymbolicLink(tmp.resolve("latest"), first.getFileName());
        Cli.Result a = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", link.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(first.getFileName(), Files.readSymbolicLink(link), "the link is not repointed");
        assertTrue(Files.isRegularFile(first.resolve("correctness.csv")), "the linked directory holds the set");
        Cli.Result b = Cli.run("compare", "--strategies", "kvm-direct", "--scenarios", "happy-bringup", "--out", link.toString());
        assertEquals(0, b.code(), b.err());
        assertEquals(first.getFileName(), Files.readSymbolicLink(link));
        assertTrue(Files.readString(first.resolve("correctness.csv")).contains("kvm-direct"));
        assertEquals(List.of("first", "latest"), tree(tmp).stream().filter(n -> !n.isEmpty() && !n.contains("/")).sorted().toList(),
                "nothing else beside them");
    }

    @Test
    void aDanglingSymlinkedOutputIsBadInput() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("latest"), tmp.resolve("gone"));
        Cli.Result r = Cli.run("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", link.toString());
        Cli.assertCleanFailure(r, null, "--out " + link, "symbolic link to nothing");
        assertEquals(2, r.code());
    }
}
