package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.output.Columns;

/** Issue 15: every text tdisp ships or prints fits a 72-column mail reply. */
class WidthTest {
    @TempDir Path tmp;

    private static void assertFits(String what, String text) {
        List<String> wide = new ArrayList<>();
        text.lines().forEach(l -> { if (l.length() > Columns.WIDTH) wide.add(l.length() + ": " + l); });
        assertTrue(wide.isEmpty(), () -> what + ": " + wide.size() + " lines wider than 72, first: " + wide.get(0));
    }

    @Test
    void everyShippedTextOutputAndTraceFitsIn72Columns() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("results"))) {
            files = s.filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".trace")).toList();
        }
        assertFalse(files.isEmpty(), "results/ holds text outputs");
        for (Path f : files) assertFits(f.toString(), Files.readString(f));
    }

    @Test
    void everyCommandsStdoutFitsIn72Columns() throws IOException {
        String s = Cli.STRATEGIES;
        assertFits("list", ok(Cli.run("list", "--strategies-dir", s)));
        assertFits("compare", ok(Cli.run("compare", "--strategies-dir", s, "--out", tmp.resolve("c").toString(),
                "--strategies", "iommufd-v5,vfio-ioctl", "--scenarios", "teardown/*,close-vfio-bound")));
        assertFits("trace", ok(Cli.run("trace", "--strategies-dir", s, "--strategy", "iommufd-v5", "--set", "guest-request.entry=vfio",
                "--platform", "tdx-connect", "--scenario", "unbind-races-request")));
        assertFits("sweep", ok(Cli.run("sweep", "--strategies-dir", s, "--devices", "1,8", "--vms", "1", "--sensitivity-devices", "8",
                "--sensitivity-vms", "2", "--out", tmp.resolve("s").toString())));
        Path e = tmp.resolve("e");
        Cli.Result explore = Cli.run("explore", "--strategies-dir", s, "--strategy", "iommufd-v5", "--platform", "sev-tio",
                "--set", "vfio.last-close=close-device-first", "--vms", "1", "--devices", "1", "--depth", "4",
                "--progress", "none", "--out", e.toString());
        assertEquals(1, explore.code(), "explore exits 1 on the violations it finds: " + explore.err());
        assertFits("explore", explore.out());
        try (Stream<Path> files = Files.list(e.resolve("cex"))) {
            for (Path replay : files.filter(p -> p.toString().endsWith(".replay")).toList()) {
                Cli.Result r = Cli.run("replay", replay.toString());
                assertFits("replay " + replay.getFileName(), r.out());
                assertFits(replay.getFileName().toString(), Files.readString(replay));
            }
        }
        assertFits("help", ok(Cli.run("help")));
    }

    private static String ok(Cli.Result r) {
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void aLongTraceLineContinuesUnderTheEventAndAKnobListAfterItsTag() {
        String trace = "  15066.020 us [guest0 ]   pci_doe: GET_DEVICE_INTERFACE_STATE -> ok, TDI CONFIG_LOCKED and more words here";
        List<String> lines = Columns.wrap(trace).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith(" ".repeat(26)) && !lines.get(1).isBlank(), lines.get(1));
        String knobs = "# knobs bind.entry=iommufd;guest-request.entry=vfio;guest-request.sdte-write.entry=vfio;vfio.bound-state=none";
        List<String> k = Columns.wrap(knobs).lines().toList();
        assertTrue(k.get(0).endsWith(";") && k.get(1).startsWith("#       "), k.toString());
        assertEquals(knobs, k.get(0) + k.get(1).substring("#       ".length()), "nothing lost or added but the break");
    }
}
