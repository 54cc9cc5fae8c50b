package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.world.DsmLayout;

/** Replay files name the DSM layout (format 2 names it always: the file is self-contained) and replay on it. */
class ReplayLayoutTest {
    @TempDir Path dir;

    private static ReplayFile file(DsmLayout layout, List<String> actions) {
        return ReplayFile.of(WorldModelTest.CATALOG.get("iommufd-v5"), List.of(), "sev-tio", 2, layout, 1, 0, "goal", actions);
    }

    @Test
    void aSharedDsmReplayFileRoundTripsAndReplaysOnTheSharedLayout() throws Exception {
        ReplayFile f = file(DsmLayout.SHARED_PF0, List.of("guest0 BIND", "guest0 continue", "guest0 RUN", "guest0 continue",
                "guest0 SDTE_WRITE", "guest0 continue", "device0 DMA(T=1)"));
        assertTrue(f.render().contains("\nlayout shared-dsm\n"));
        Path p = dir.resolve("x.replay");
        Files.writeString(p, f.render());
        ReplayFile back = ReplayFile.parse(p);
        assertEquals(f, back);
        ReplayFile.Outcome o = back.run();
        assertTrue(o.reproduced(), o.text());
        assertTrue(o.lines().get(0).contains("shared-dsm"), o.lines().get(0));
    }

    @Test
    void theDefaultLayoutIsNamedToo() {
        assertTrue(file(DsmLayout.ONE_PER_TDI, List.of()).render().contains("\nlayout one-dsm-per-tdi\n"));
    }

    @Test
    void anUnknownLayoutNamesFileAndLine() throws Exception {
        Path p = dir.resolve("bad.replay");
        Files.writeString(p, file(DsmLayout.ONE_PER_TDI, List.of()).render().replace("layout one-dsm-per-tdi", "layout two-dsms"));
        int line = (int) Files.readAllLines(p).indexOf("layout two-dsms") + 1;
        ReplayFile.MalformedException e = assertThrows(ReplayFile.MalformedException.class, () -> ReplayFile.parse(p));
        assertTrue(e.getMessage().startsWith(p + ":" + line + ": layout 'two-dsms'"), e.getMessage());
    }
}
