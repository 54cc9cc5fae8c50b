package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.device.TdiState;
import tdisp.platform.Platforms;
import tdisp.report.ExploreReport;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.DsmLayout;

/** explore --start X: resolving each kind of X, bad X, and a search rooted at the start. */
class StartStateTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));
    static final Strategy V5 = CATALOG.get("iommufd-v5");

    @TempDir Path tmp;

    static WorldModel model(int vms, DsmLayout layout) {
        WorldModel m = new WorldModel(V5, Platforms.get("sev-tio"), 1, vms, layout, false);
        m.setPreemptionBound(0);
        return m;
    }

    static Start resolve(String x, int vms) {
        return StartState.resolve(x, model(vms, DsmLayout.ONE_PER_TDI), V5, "sev-tio");
    }

    @Test
    void aStageStopsAtTheFirstOpThatGetsEverySlotThere() {
        WorldModel m = model(2, DsmLayout.ONE_PER_TDI);
        Start bound = StartState.resolve("bound", m, V5, "sev-tio");
        assertEquals(List.of("guest0 BIND", "guest0 continue", "guest1 BIND", "guest1 continue"), bound.actions());
        m.reset();
        assertTrue(m.world().pciTsm().boundKvm(0) >= 0 && m.world().pciTsm().boundKvm(1) >= 0, "reset() returns to the start, both bound");

        WorldModel r = model(2, DsmLayout.ONE_PER_TDI);
        Start run = StartState.resolve("run", r, V5, "sev-tio");
        r.reset();
        assertEquals(TdiState.RUN, r.world().device(0).tdiState());
        assertEquals(TdiState.RUN, r.world().device(1).tdiState());
        // SEV: RUN before MMIO validation and the SDTE write, so the run stage has neither.
        assertFalse(run.actions().contains("guest0 SDTE_WRITE"), run.actions().toString());
    }

    @Test
    void happyBringupIsTheWholeBringUpAndTheDmaOnEverySlotAsIsDma() {
        Start happy = resolve("happy-bringup", 2);
        Start dma = resolve("dma", 2);
        assertEquals(dma.actions(), happy.actions());
        assertEquals(26, happy.actions().size(), happy.actions().toString());
        assertEquals("device0 DMA(T=1)", happy.actions().get(12));
        assertEquals("device1 DMA(T=1)", happy.actions().get(25));
    }

    @Test
    void aReplayFileStartsWhereItsActionsLead() throws IOException {
        // The goal path of a small search, as explore writes it.
        Exploration.Outcome o = explore(Start.CLEAN_BOOT, 1, 7, 1);
        Path goal = tmp.resolve("goal.replay");
        Files.writeString(goal, o.files().get("cex/t-goal.replay"));
        Start s = resolve(goal.toString(), 1);
        assertEquals(ReplayFile.parse(goal).actions(), s.actions());
        assertEquals("goal", s.tag());
    }

    @Test
    void badStartsNameXAndTheAction() throws IOException {
        var e = assertThrows(StartState.BadStartException.class, () -> resolve("nowhere", 1));
        assertTrue(e.getMessage().startsWith("--start nowhere: not a stage"), e.getMessage());
        // A counterexample's last action breaks an invariant: no root for a search.
        Exploration.Outcome o = explore(Start.CLEAN_BOOT, 1, 3, 1);
        String cex = o.files().keySet().stream().filter(k -> k.endsWith(".replay") && k.contains("-I1-")).findFirst().orElseThrow();
        Path f = tmp.resolve("cex.replay");
        Files.writeString(f, o.files().get(cex));
        List<String> acts = ReplayFile.parse(f).actions();
        e = assertThrows(StartState.BadStartException.class, () -> resolve(f.toString(), 1));
        assertTrue(e.getMessage().startsWith("--start " + f + ": action " + acts.get(acts.size() - 1) + ": breaks I1"), e.getMessage());
        // An action that is not enabled where it runs.
        Path g = tmp.resolve("bad.replay");
        Files.writeString(g, o.files().get(cex).replace("action guest0 BIND\n", "action guest0 RUN\naction guest0 RUN\n"));
        e = assertThrows(StartState.BadStartException.class, () -> resolve(g.toString(), 1));
        assertTrue(e.getMessage().contains("guest0 RUN: not enabled there"), e.getMessage());
        // A file of another size.
        e = assertThrows(StartState.BadStartException.class, () -> resolve(f.toString(), 2));
        assertTrue(e.getMessage().contains("1 VMs"), e.getMessage());
        // A shared-DSM scenario on separate DSMs.
        e = assertThrows(StartState.BadStartException.class, () -> resolve("shared-dsm/pf-guest-flr", 2));
        assertTrue(e.getMessage().endsWith("(give --shared-dsm)"), e.getMessage());
    }

    static Exploration.Outcome explore(Start start, int vms, int depth, int threads) {
        ExplorerConfig c = ExplorerConfig.bfs(depth).withThreads(threads);
        Exploration.Spec spec = new Exploration.Spec("t", "iommufd-v5", List.of(), Platforms.get("sev-tio"), vms, DsmLayout.ONE_PER_TDI, 0, c, start);
        return Exploration.run(spec, CATALOG, null);
    }

    @Test
    void depthCountsFromTheStartAndReplaysHoldTheWholePath() throws IOException {
        Start happy = resolve("happy-bringup", 1);
        Exploration.Outcome o = explore(happy, 1, 2, 1);
        ExplorerResult r = o.run().result();
        assertTrue(r.exhausted());
        assertEquals(2, r.depthExhausted());
        assertFalse(r.counterexamples().isEmpty(), "from RUN, one host action breaks I1 (close-vfio's BME clear)");
        for (Counterexample ce : r.counterexamples().values()) assertTrue(ce.length() <= 2, ce.toString());
        // The root is the start: the seen set holds it and its successors only (depth 2 from 13 actions in).
        WorldModel m = model(1, DsmLayout.ONE_PER_TDI);
        StartState.apply(happy, m);
        ExplorerResult one = new Explorer(m, ExplorerConfig.bfs(1), null).run();
        int enabled = 0;
        m.reset();
        for (int a = 0; a < m.actionCount(); a++) if (m.enabled(a)) enabled++;
        assertEquals(enabled, one.generated() + one.slept());
        // Every replay file: the prefix, the marker, the search's actions; it reproduces its trace byte for byte.
        int files = 0;
        for (Map.Entry<String, String> e : o.files().entrySet()) {
            if (!e.getKey().endsWith(".replay")) continue;
            files++;
            Path f = tmp.resolve(Path.of(e.getKey()).getFileName());
            Files.writeString(f, e.getValue());
            ReplayFile rf = ReplayFile.parse(f);
            assertEquals(happy.actions(), rf.actions().subList(0, happy.actions().size()));
            assertTrue(e.getValue().contains("action device0 DMA(T=1)\n# the search started here: --start happy-bringup\n# (the 13 actions above"),
                    e.getValue());
            ReplayFile.Outcome out = rf.run();
            assertTrue(out.reproduced(), out.text());
            assertEquals(o.files().get(e.getKey().replace(".replay", ".trace")), out.text());
        }
        assertTrue(files > 1);
    }

    @Test
    void theReportAndRunInfoNameTheStartAndThreadsDoNotChangeTheBytes() {
        Start happy = resolve("happy-bringup", 2);
        Exploration.Outcome one = explore(happy, 2, 2, 1);
        Exploration.Outcome two = explore(happy, 2, 2, 2);
        String text = ExploreReport.text(List.of(one.run()));
        assertTrue(text.contains("search starts at --start happy-bringup, 26 actions from the clean boot"), text);
        assertTrue(ExploreReport.runInfo(List.of(one.run())).contains(" start=happy-bringup start_actions=26\n"));
        assertEquals(text, ExploreReport.text(List.of(two.run())));
        assertEquals(ExploreReport.csv(List.of(one.run())), ExploreReport.csv(List.of(two.run())));
        assertEquals(one.files(), two.files());
        assertNotNull(one.run().start());
        // From the clean boot, nothing about a start is printed.
        assertFalse(ExploreReport.text(List.of(explore(Start.CLEAN_BOOT, 1, 1, 1).run())).contains("--start"));
    }
}
