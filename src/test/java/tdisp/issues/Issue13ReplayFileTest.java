package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;
import tdisp.strategy.Knob;

/**
 * Issue 13: "Replay files have no format version and no end marker (a truncated file can
 * exit 0), and store only set lines, so editing a .desc silently changes what an old replay
 * means"; "a binary replay file gives tdisp: Input length = 1".
 */
class Issue13ReplayFileTest {
    @TempDir static Path tmp;
    static Path replay;
    static String text;

    @BeforeAll
    static void explore() throws IOException {
        Path out = tmp.resolve("x");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--vms", "1", "--devices", "1", "--depth", "3", "--progress", "none", "--out", out.toString());
        assertEquals(1, r.code(), "explore exits 1 on the I1 it finds: " + r.err());
        try (var s = Files.list(out.resolve("cex"))) {
            replay = s.filter(p -> p.toString().endsWith("-I1-1.replay")).findFirst().orElseThrow();
        }
        text = Files.readString(replay);
    }

    @Test
    void aReplayFileCarriesFormatHarnessEveryKnobAndAnEndMarker() {
        List<String> lines = tdisp.cli.Cli.body(text).lines().toList();
        assertEquals("format 2", lines.get(1));
        assertTrue(lines.get(2).startsWith("harness tdisp-harness "), lines.get(2));
        for (Knob k : Knob.values()) assertTrue(text.contains("\nknob " + k.key() + "="), k.key());
        assertEquals("end", lines.get(lines.size() - 1));
    }

    @Test
    void theReplayDoesNotReadDescriptorsSoEditingOneChangesNothing() throws IOException {
        Cli.Result before = Cli.run("replay", replay.toString());
        assertEquals(0, before.code(), before.err());
        // The same replay against a descriptor directory whose iommufd-v5 differs: not read at all.
        Path d = tmp.resolve("edited");
        Files.createDirectories(d);
        Files.writeString(d.resolve("iommufd-v5.desc"), Files.readString(Path.of(Cli.STRATEGIES, "iommufd-v5.desc"))
                .replace("vfio.last-close = close-device-first", "vfio.last-close = unbind-first"));
        Cli.Result after = Cli.run("replay", replay.toString());
        assertEquals(before.out(), after.out());
        assertEquals(Files.readString(Path.of(replay.toString().replace(".replay", ".trace"))), after.out());
    }

    @Test
    void aTruncatedReplayFileIsRefused() throws IOException {
        Path f = Files.writeString(tmp.resolve("cut.replay"), text.substring(0, text.lastIndexOf("action ")));
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f.toString(), "truncated", "no 'end' line");
        assertEquals(2, r.code());
    }

    @Test
    void aFormatOneReplayFileIsRefusedWithTheReason() throws IOException {
        String old = "# tdisp replay file: re-run with `tdisp replay FILE`\nstrategy iommufd-v5\nset vfio.last-close=close-device-first\n"
                + "platform sev-tio\nvms 1\nseed 1\npreemptions 0\nexpect I1\naction guest0 BIND\n";
        Path f = Files.writeString(tmp.resolve("old.replay"), old);
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f + ":2:", "format-1", "re-run explore");
        assertEquals(2, r.code());
    }

    @Test
    void aBinaryReplayFileIsNamedAsNotAReplayFile() throws IOException {
        Path f = Files.write(tmp.resolve("bin.replay"), new byte[] {(byte) 0xc3, 0x28, 0, 1, (byte) 0xff});
        Cli.Result r = Cli.run("replay", f.toString());
        Cli.assertCleanFailure(r, null, f.toString(), "not a replay file");
        assertEquals(2, r.code());
    }

    @Test
    void aDirectoryAsReplayFileIsNamedAsADirectory() throws IOException {
        Cli.Result r = Cli.run("replay", tmp.toString());
        Cli.assertCleanFailure(r, null, tmp.toString(), "is a directory");
        assertEquals(2, r.code());
    }
}
