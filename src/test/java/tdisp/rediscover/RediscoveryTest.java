package tdisp.rediscover;

import tdisp.explore.ExplorerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.explore.Explorer;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.DsmLayout;

/**
 * Issue 23, points 1 and 3: the known-bug catalogue is the model's, and rediscovery is a
 * service returning its runs as records, without the command line.
 */
class RediscoveryTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static Rediscovery.Request request(int depth) {
        return new Rediscovery.Request(CATALOG, List.of(), 1, DsmLayout.ONE_PER_TDI, 0, ExplorerConfig.bfs(depth), false,
                List.of(KnownBugs.ALL.get(1)));
    }

    static final class Heard implements Rediscovery.Listener {
        final List<String> begun = new ArrayList<>();
        int steps;

        @Override public void begin(String what) { begun.add(what); }

        @Override public void step() { steps++; }

        @Override public Explorer.Progress search() { return null; }
    }

    @Test
    void eachBugIsSearchedBuggyThenFixedAndTheRunsComeBackAsRecords() {
        Heard h = new Heard();
        Rediscovery.Result r = Rediscovery.run(request(1), h, () -> false);
        assertEquals(2, r.runs().size());
        assertFalse(r.interrupted());
        assertEquals(List.of(true, false), r.runs().stream().map(Rediscovery.CaseRun::buggy).toList());
        assertEquals("vfio-close-device-first-bug", r.runs().get(0).outcome().run().label());
        assertTrue(h.begun.get(0).startsWith("vfio-close-device-first-bug (iommufd-v5 on sev-tio, vfio.last-close=close-device-first)"), h.begun::toString);
        assertEquals(2, h.steps);
        assertNull(r.runs().get(0).full(), "no unreduced run unless asked");
        // one action deep the close cannot have happened: the buggy run misses, and says so
        assertEquals(List.of("vfio-close-device-first (I1 at pci_clear_master)"), r.missed());
    }

    @Test
    void aStoppedRediscoveryReturnsWhatItRanAndSaysSo() {
        Rediscovery.Result r = Rediscovery.run(request(1), new Heard(), () -> true);
        assertTrue(r.interrupted());
        assertEquals(List.of(), r.runs());
    }

    @Test
    void theCatalogueNamesEachBugsInvariantAndSite() {
        assertEquals(List.of("I1", "I1", "I2"), KnownBugs.ALL.stream().map(KnownBug::invariant).toList());
        for (KnownBug b : KnownBugs.ALL) {
            assertFalse(b.bug().equals(b.fix()), b.id());
            assertEquals(b.bug(), b.knobs(true));
            assertEquals(b.fix(), b.knobs(false));
        }
    }
}
