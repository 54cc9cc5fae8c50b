package tdisp.platform.testonly;

import tdisp.scenario.ScenarioRun;
import tdisp.world.WorldConfig;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;
import tdisp.cli.JmhParams;
import tdisp.cost.CostModel;
import tdisp.cost.CostTable;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.report.TraceLanes;
import tdisp.report.chart.SequenceDiagram;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.sim.Event;
import tdisp.sim.Lane;
import tdisp.sim.Trace;
import tdisp.sim.Vocabulary;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;

/**
 * Issue 23.3: a platform that exists only in the test sources, registered with
 * {@link Platforms#of} next to the shipped ones, reaches every output (compare, the lanes of
 * the sequence diagrams, the cost table, the vocabulary and its labels, the parameters bench
 * hands JMH) with nothing outside its package and its resources written for it.
 */
class TestOnlyPlatformTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private static Platforms.Scope registered() {
        List<Platform> all = new ArrayList<>(Platforms.shipped());
        all.add(new TestOnly());
        return Platforms.of(all);
    }

    private static List<Trace.Entry> trace(Platform p, String strategy, String scenario) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy), p, Scenarios.get(scenario)).seed(1).trace(ScenarioRun.Trace.RECORDED).build()).events();
    }

    @Test
    void theRegistryListsItOnlyWhileRegistered() {
        try (var s = registered()) {
            assertEquals(List.of("sev-tio", "tdx-connect", "cca", "test-only"), Platforms.all().stream().map(Platform::id).toList());
            assertEquals("test-only", Platforms.get("test-only").id());
        }
        assertEquals(List.of("sev-tio", "tdx-connect", "cca"), Platforms.all().stream().map(Platform::id).toList());
        assertThrows(IllegalArgumentException.class, () -> Platforms.get("test-only"));
    }

    @Test
    void compareWritesItsRows(@TempDir Path dir) throws Exception {
        try (var s = registered()) {
            Cli.Result r = Cli.run("compare", "--strategies-dir", Cli.STRATEGIES, "--strategies", "vfio-ioctl,iommufd-v5",
                    "--scenarios", "happy-bringup,close-vfio-bound", "--out", dir.toString());
            assertEquals(0, r.code(), r.err());
            var rows = Cli.csvRecords(dir.resolve("correctness.csv"));
            assertEquals("pass", Cli.row(rows, "vfio-ioctl", "test-only", "happy-bringup").get("verdict"));
            // a copy of SEV-TIO: the same verdict and the same invariants wherever it runs
            for (String st : List.of("vfio-ioctl", "iommufd-v5")) {
                for (String sc : List.of("happy-bringup", "close-vfio-bound")) {
                    assertEquals(Cli.row(rows, st, "sev-tio", sc).get("verdict"), Cli.row(rows, st, "test-only", sc).get("verdict"), st + "/" + sc);
                    assertEquals(Cli.violated(Cli.row(rows, st, "sev-tio", sc)), Cli.violated(Cli.row(rows, st, "test-only", sc)), st + "/" + sc);
                }
            }
        }
    }

    /** The lane of each of its trace lines whose text starts with one of its own prefixes. */
    private static Map<String, String> ownLines(List<SequenceDiagram.Row> rows) {
        Map<String, String> out = new TreeMap<>();
        for (SequenceDiagram.Row r : rows) {
            String t = r.text().replaceFirst("( \\[[a-z]+\\])+$", "").replaceFirst("^(mutex_lock|mutex_unlock)\\((.*)\\)$", "$2");
            for (Lane.Rule rule : new TestOnly().traceLanes()) {
                if (t.startsWith(rule.prefix())) out.put(t, TraceLanes.LANES.get(r.lane()) + " want " + rule.lane().label());
            }
        }
        return out;
    }

    @Test
    void itsTraceLinesLandInItsOwnLanes() {
        try (var s = registered()) {
            Platform p = Platforms.get("test-only");
            List<SequenceDiagram.Row> rows = TraceLanes.rows(trace(p, "iommufd-v5", "happy-bringup"));
            Map<String, String> own = ownLines(rows);
            assertTrue(own.keySet().stream().anyMatch(t -> t.startsWith("tonly_tio:")), "its TSM driver's lines: " + own.keySet());
            assertTrue(own.keySet().stream().anyMatch(t -> t.startsWith("tonly_cmd_mutex")), "its firmware lock: " + own.keySet());
            assertTrue(own.keySet().stream().anyMatch(t -> t.startsWith("tonlysnp_")), "its KVM part: " + own.keySet());
            own.forEach((text, lanes) -> {
                String[] l = lanes.split(" want ");
                assertEquals(l[1], l[0], text);
            });
        }
        // Not registered, the same events are no lane's: each stays where its thread was.
        List<Trace.Entry> lines;
        try (var s = registered()) {
            lines = trace(Platforms.get("test-only"), "iommufd-v5", "happy-bringup");
        }
        List<SequenceDiagram.Row> rows = TraceLanes.rows(lines);
        assertTrue(ownLines(rows).values().stream().anyMatch(l -> !l.split(" want ")[0].equals(l.split(" want ")[1])),
                "the lanes came from the registered platform");
    }

    @Test
    void itsCostRowsAreReadAndCharged() {
        try (var s = registered()) {
            CostTable t = CostTable.defaults();
            for (String row : new TestOnly().costRows()) assertTrue(t.rows().containsKey(row), row);
            // a row without a place in the common file follows all others
            List<String> names = new ArrayList<>(t.rows().keySet());
            assertTrue(names.indexOf("tonly.psp.cmd.simple") > names.indexOf("rmm.rmi.communicate"), names.toString());
            Platform p = Platforms.get("test-only");
            Event.Firmware cmd = new Event.Firmware(0, "TIO_DEV_CREATE", "ok");
            assertEquals(1_000_000, new CostModel(t, p, false, false).applyAsLong(cmd));
            assertEquals(7_000, new CostModel(t.with("tonly.psp.cmd.simple", 7_000), p, false, false).applyAsLong(cmd));
            ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("vfio-ioctl"), p, Scenarios.get("happy-bringup")).seed(1).build());
            assertTrue(r.counters().modeledNs() > 1_000_000, "charged from its firmware rows");
        }
        assertFalse(CostTable.defaults().rows().containsKey("tonly.psp.cmd.simple"));
    }

    @Test
    void itsVocabularyRowsAreReadAndLabelItsTrace() {
        try (var s = registered()) {
            Vocabulary v = Platforms.vocabulary();
            assertTrue(v.actors().contains("tonly_tio"));
            Platform p = Platforms.get("test-only");
            List<String> missing = new ArrayList<>();
            for (var st : CATALOG.all()) {
                for (var sc : Scenarios.all().values()) {
                    World w = new World(WorldConfig.builder(st, p).seed(1).build());
                    w.setup();
                    sc.body().accept(w);
                    for (Event e : w.sim().trace().events()) {
                        for (String n : v.namesOf(e)) if (!v.known(n, p.id())) missing.add(n + " <- " + st.id() + "/" + sc.id() + ": " + e.render());
                    }
                }
            }
            assertEquals(List.of(), missing.stream().distinct().toList());
            // its own row labels its own name (tonly_tio_guest_request is 'inferred' in its table only)
            List<String> t = trace(p, "vfio-ioctl", "happy-bringup").stream().map(Trace.Entry::line).toList();
            assertTrue(t.stream().anyMatch(l -> l.endsWith("tonly_tio: tonly_tio_guest_request [inferred]")), String.join("\n", t));
            assertEquals(List.of("tonly_tio_guest_request"), v.namesOf(new Event.Call(0, "tonly_tio: tonly_tio_guest_request")));
        }
        assertFalse(Platforms.vocabulary().known("tonly_tio_guest_request", "test-only"), "restored on close");
        assertEquals(List.of("tonly_tio"), Platforms.vocabulary().namesOf(new Event.Call(0, "tonly_tio: tonly_tio_guest_request")).subList(0, 1),
                "not an actor when not registered");
    }

    @Test
    void benchHandsJmhItsParameters() {
        try (var s = registered()) {
            List<JmhParams> params = JmhParams.of(Platforms.all(), CATALOG.all());
            assertEquals(List.of("sev-tio", "tdx-connect", "cca", "test-only"), params.stream().map(JmhParams::platform).toList());
            assertEquals(params.get(0).strategies(), params.get(3).strategies(), "the copy of SEV-TIO brings up what SEV-TIO does");
            assertFalse(params.get(3).strategies().isEmpty());
        }
    }

    @Test
    void nothingOutsideThisPackageAndItsResourcesNamesIt() throws Exception {
        List<String> bad = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main"), Path.of("benchmarks"), Path.of("strategies"))) {
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f);
                    if (text.contains("test-only") || text.contains("tonly")) bad.add(f.toString());
                }
            }
        }
        assertEquals(List.of(), bad);
    }
}
