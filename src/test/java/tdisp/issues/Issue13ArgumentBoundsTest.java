package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 13, "accepted but wrong": "--max-states -1 searches 0 states and exits 0;
 * --walks -1; an id a,b loads but cannot be selected; IOMMUFD-V5 and iommufd-v5 load as two
 * strategies; a shipped id in your own directory silently replaces it; a dangling *.desc
 * symlink is skipped without a word", and "a NUL byte in a descriptor key prints the key as
 * if it were valid".
 */
class Issue13ArgumentBoundsTest {
    @TempDir Path tmp;

    private Cli.Result explore(String... extra) {
        String[] base = {"explore", "--strategies-dir", Cli.STRATEGIES, "--strategy", "iommufd-v5", "--platform", "sev-tio",
                "--out", tmp.resolve("out").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Cli.run(all);
    }

    @Test
    void maxStatesMinusOneIsRefused() throws IOException {
        Cli.Result r = explore("--max-states", "-1");
        Cli.assertCleanFailure(r, tmp.resolve("out"), "--max-states -1");
        assertEquals(2, r.code());
    }

    @Test
    void walksMinusOneIsRefused() throws IOException {
        Cli.Result r = explore("--mode", "random", "--walks", "-1");
        Cli.assertCleanFailure(r, tmp.resolve("out"), "--walks -1");
        assertEquals(2, r.code());
    }

    private Path desc(Path dir, String file, String id) throws IOException {
        String src = Files.readString(Path.of(Cli.STRATEGIES, "iommufd-v5.desc"));
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(file), src.replaceFirst("(?m)^id\\s*=.*$", "id = " + id));
    }

    @Test
    void anIdWithACommaIsRefusedNamingTheCharacterSet() throws IOException {
        Path d = tmp.resolve("d");
        Path f = desc(d, "a,b.desc", "a,b");
        Cli.Result r = Cli.run("list", "--strategies-dir", d.toString());
        Cli.assertCleanFailure(r, null, f.toString(), "id 'a,b'", "letters, digits");
        assertEquals(2, r.code());
    }

    @Test
    void idsThatDifferOnlyInCaseAreOneDuplicate() throws IOException {
        Path d = tmp.resolve("d");
        desc(d, "IOMMUFD-V5.desc", "IOMMUFD-V5");
        desc(d, "iommufd-v5.desc", "iommufd-v5");
        Cli.Result r = Cli.run("list", "--strategies-dir", d.toString());
        Cli.assertCleanFailure(r, null, "duplicate id", "ignoring case");
        assertEquals(2, r.code());
    }

    @Test
    void anOverlayAddsStrategiesBesideTheShippedOnes() throws IOException {
        Path d = tmp.resolve("mine");
        desc(d, "my-v6.desc", "my-v6");
        Cli.Result r = Cli.run("list", "--add-strategies", d.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  my-v6 ") && r.out().contains("  iommufd-v5 "), r.out());
    }

    @Test
    void anOverlayReplacesAShippedStrategyOnlyWhenToldTo() throws IOException {
        Path d = tmp.resolve("mine");
        Path f = desc(d, "iommufd-v5.desc", "iommufd-v5");
        Cli.Result refused = Cli.run("list", "--add-strategies", d.toString());
        Cli.assertCleanFailure(refused, null, f.toString(), "--replace-strategy iommufd-v5");
        assertEquals(2, refused.code());
        Cli.Result ok = Cli.run("list", "--add-strategies", d.toString(), "--replace-strategy", "iommufd-v5");
        assertEquals(0, ok.code(), ok.err());
        Cli.Result noSuch = Cli.run("list", "--add-strategies", d.toString(), "--replace-strategy", "iommufd-v5,kvm-direct");
        Cli.assertCleanFailure(noSuch, null, "--replace-strategy kvm-direct");
    }

    @Test
    void aDanglingDescSymlinkIsReported() throws IOException {
        Path d = tmp.resolve("d");
        desc(d, "iommufd-v5.desc", "iommufd-v5");
        Path link = Files.createSymbolicLink(d.resolve("gone.desc"), tmp.resolve("nowhere.desc"));
        Cli.Result r = Cli.run("list", "--strategies-dir", d.toString());
        Cli.assertCleanFailure(r, null, link.toString(), "dangling symbolic link");
        assertEquals(2, r.code());
    }

    @Test
    void aNulByteInADescriptorKeyIsNamedWithFileAndLine() throws IOException {
        Path d = tmp.resolve("d");
        Path f = desc(d, "iommufd-v5.desc", "iommufd-v5");
        String src = Files.readString(f);
        Files.writeString(f, src.replaceFirst("bind\\.entry", "bind.en\0try"));
        int line = (int) src.substring(0, src.indexOf("bind.entry")).chars().filter(c -> c == '\n').count() + 1;
        Cli.Result r = Cli.run("list", "--strategies-dir", d.toString());
        Cli.assertCleanFailure(r, null, f + ":" + line + ":", "control character U+0000");
        assertEquals(2, r.code());
    }
}
