package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.world.DsmLayout;

/** Replay files name the DSM layout when it is not the default, and replay on it. */
class ReplayLayoutTest {
    @TempDir Path dir;

    @Test
    void aSharedDsmReplayFileRoundTripsAndReplaysOnTheSharedLayout() throws Exception {
        ReplayFile f = new ReplayFile("iommufd-v5", List.of(), "sev-tio", 2, DsmLayout.SHARED_PF0, 1, 0, "goal",
                List.of("guest0 BIND", "guest0 continue", "guest0 RUN", "guest0 continue", "guest0 SDTE_WRITE", "guest0 continue", "device0 DMA(T=1)"));
        assertTrue(f.render().contains("\nlayout shared-dsm\n"));
        Path p = dir.resolve("x.replay");
        Files.writeString(p, f.render());
        ReplayFile back = ReplayFile.parse(p);
        assertEquals(f, back);
        ReplayFile.Outcome o = back.run(WorldModelTest.CATALOG);
        assertTrue(o.reproduced(), o.text());
        assertTrue(o.lines().get(0).contains("shared-dsm"), o.lines().get(0));
    }

    @Test
    void theDefaultLayoutWritesNoLineSoOlderFilesStayTheSame() {
        ReplayFile f = new ReplayFile("iommufd-v5", List.of(), "sev-tio", 2, 1, 0, "goal", List.of());
        assertFalse(f.render().contains("layout"));
    }

    @Test
    void anUnknownLayoutNamesFileAndLine() throws Exception {
        Path p = dir.resolve("bad.replay");
        Files.writeString(p, "strategy iommufd-v5\nplatform sev-tio\nlayout two-dsms\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayFile.parse(p));
        assertTrue(e.getMessage().startsWith(p + ":3: layout 'two-dsms'"), e.getMessage());
    }
}
