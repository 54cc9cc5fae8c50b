package tdisp.referee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.HostScenarios;
import tdisp.scenario.Scenario;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/**
 * The model against kernel call orders: the recordings in results/kernel/traces (whatever
 * the recorder has checked in) and the hand-written fixture of src/test/resources/kernel-traces
 * (written from the 7.2 source). A model change that moves a call the kernel makes in
 * another order fails here.
 */
class RefereeTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));
    static final Path FIXTURE = Path.of("src/test/resources/kernel-traces");
    static final Path RECORDED = Path.of("results/kernel/traces");

    static List<Claim> check(Path dir, String... sets) throws IOException {
        Strategy s = CATALOG.get("iommufd-v5");
        if (sets.length > 0) s = s.withOverrides(List.of(sets));
        return Referee.check(s, Referee.load(dir), 1);
    }

    static List<Claim> differing(List<Claim> claims) {
        return claims.stream().filter(c -> c.verdict() == Verdict.DIFFER).toList();
    }

    @Test
    void theModelOnTheMergedKnobsCallsWhatTheFixtureKernelCallsInItsOrderAndNesting() throws IOException {
        List<Claim> claims = check(FIXTURE);
        assertEquals(List.of(), differing(claims));
        // Not vacuous: both fixture recordings were checked, order and nesting, host-only and bound.
        for (String id : List.of("close-vfio-first", "vfio-device-reset")) {
            assertTrue(claims.stream().anyMatch(c -> c.scenario().equals(id) && c.kind().equals("nesting") && c.verdict() == Verdict.AGREE), id);
        }
        assertEquals(Platforms.all().size(), claims.stream().filter(c -> c.scenario().equals("close-vfio-bound")
                && c.kind().equals("order") && c.verdict() == Verdict.AGREE).count());
    }

    @Test
    void theRecordedTracesAgreeWithTheModelAndAScenarioWithoutOneSaysNotRecorded() throws IOException {
        Map<String, KernelTrace> traces = Referee.load(RECORDED);
        List<Claim> claims = check(RECORDED);
        assertEquals(List.of(), differing(claims), "the model disagrees with a recording in " + RECORDED);
        for (String id : HostScenarios.all().keySet()) {
            boolean recorded = traces.containsKey(id);
            List<Claim> mine = claims.stream().filter(c -> c.scenario().equals(id)).toList();
            assertFalse(mine.isEmpty(), id);
            if (!recorded) assertTrue(mine.stream().allMatch(c -> c.verdict() == Verdict.NOT_RECORDED), id + ": " + mine);
            else assertTrue(mine.stream().anyMatch(c -> c.verdict() == Verdict.AGREE), id + ": " + mine);
        }
    }

    @Test
    void swappingTwoLinesOfARecordedOrderIsADisagreement(@TempDir Path dir) throws IOException {
        copyFixture(dir);
        swap(dir.resolve("close-vfio-first.trace"), "t1         pci_restore_state", "t1         pci_disable_device");
        List<Claim> bad = differing(check(dir));
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals("close-vfio-first") && c.kind().equals("order")
                && c.model().equals("pci_disable_device") && c.kernel().equals("only before pci_restore_state")), bad.toString());
        // The bound scenario is held to the same order on its host-side calls.
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals("close-vfio-bound")), bad.toString());
    }

    @Test
    void movingACallOutOfTheCallTheModelNestsItUnderIsANestingDisagreement(@TempDir Path dir) throws IOException {
        copyFixture(dir);
        Path f = dir.resolve("vfio-device-reset.trace");
        String text = Files.readString(f).replace("t1     pcie_reset_flr\nt1       pci_write_config_word\n",
                "t1   pcie_reset_flr\nt1     pci_write_config_word\n");
        Files.writeString(f, text);
        List<Claim> bad = differing(check(dir));
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals("vfio-device-reset") && c.kind().equals("nesting")
                && c.model().equals("pcie_reset_flr")), bad.toString());
        assertTrue(bad.stream().noneMatch(c -> c.kind().equals("order")), bad.toString());
    }

    @Test
    void aHotResetWhoseBusResetRanBeforeTheSaveAndDisableIsAnOrderDisagreement(@TempDir Path dir) throws IOException {
        String id = "secondary-bus-reset";
        Path f = dir.resolve(id + Referee.SUFFIX);
        String text = Files.readString(RECORDED.resolve(id + Referee.SUFFIX));
        Files.writeString(f, text.replace("""
                t1       pci_dev_save_and_disable
                t1         pci_save_state
                t1         pci_write_config_word
                t1       pci_bridge_secondary_bus_reset
                """, """
                t1       pci_bridge_secondary_bus_reset
                t1       pci_dev_save_and_disable
                t1         pci_save_state
                t1         pci_write_config_word
                """));
        assertTrue(differing(check(RECORDED)).isEmpty());
        List<Claim> bad = differing(check(dir));
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals(id) && c.kind().equals("order")
                && c.model().equals("pci_bridge_secondary_bus_reset")), bad.toString());
    }

    @Test
    void anAerBusResetOutsideTheRecoveryIsANestingDisagreementOfTheAerThread(@TempDir Path dir) throws IOException {
        String id = "aer-inject";
        String text = Files.readString(RECORDED.resolve(id + Referee.SUFFIX));
        // The bus reset and the calls under it moved three levels up: out of aer_root_reset.
        StringBuilder moved = new StringBuilder();
        boolean inside = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("@ ")) inside = line.equals("@ err eventfd signalled");
            moved.append(inside && line.startsWith("t2       ") ? "t2" + line.substring(8) : line).append('\n');
        }
        moved.setLength(moved.length() - 1);
        assertFalse(moved.toString().equals(text));
        Files.writeString(dir.resolve(id + Referee.SUFFIX), moved.toString());
        List<Claim> bad = differing(check(dir));
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals(id) && c.actor().equals("aerdrv") && c.kind().equals("nesting")
                && c.model().equals("pci_bridge_secondary_bus_reset")), bad.toString());
    }

    @Test
    void aVariantSetOnTheCommandLineIsHeldToTheKernelTheAuthorRecorded() throws IOException {
        // 6.19's order (revoke after the disable) is not what the 7.2 fixture kernel does.
        List<Claim> bad = differing(check(FIXTURE, "vfio.dma-buf-cleanup=after-disable"));
        assertTrue(bad.stream().anyMatch(c -> c.scenario().equals("close-vfio-first") && c.model().equals("vfio_pci_dma_buf_cleanup")), bad.toString());
    }

    @Test
    void aHostOnlyRunCallsTheSameFunctionsOnEveryPlatform() {
        Strategy s = CATALOG.get("iommufd-v5");
        for (Scenario sc : HostScenarios.all().values()) {
            List<List<String>> perPlatform = new ArrayList<>();
            for (Platform p : Platforms.all()) {
                perPlatform.add(Projection.project(HostScenarios.run(s, p, sc, 1).sim().trace(), n -> true).stream()
                        .map(c -> c.actor() + " " + c.name() + " " + c.under()).toList());
            }
            assertFalse(perPlatform.get(0).isEmpty(), sc.id());
            for (List<String> l : perPlatform) assertEquals(perPlatform.get(0), l, sc.id());
        }
    }

    @Test
    void aStackPrefixRepeatedByTheNextEventIsTheSameCallNotANewOne() {
        Strategy s = CATALOG.get("iommufd-v5");
        List<ModelCall> calls = Projection.project(HostScenarios.run(s, Platforms.all().get(0),
                HostScenarios.all().get("vfio-device-reset"), 1).sim().trace(), n -> true);
        assertEquals(1, calls.stream().filter(c -> c.name().equals("pci_try_reset_function")).count());
        assertEquals(List.of("pci_try_reset_function", "pci_dev_save_and_disable"),
                calls.stream().filter(c -> c.name().equals("pci_save_state")).findFirst().orElseThrow().under());
    }

    @Test
    void aRecordingThatBreaksTheFormatIsRefusedNamingItsLine() {
        String head = "# scenario: close-vfio-first\n# filter: a b\n# task t1: x\n";
        assertBad(head + "t1 " + "a".repeat(70) + "\n", "f:4: longer than 72");
        assertBad(head + "t2 a\n", "f:4: task t2 has no");
        assertBad(head + "t1 a\nt1       b\n", "f:5: nested 3 deep");
        assertBad(head + "t1 c\n", "f:4: c is not in the '# filter:' names");
        assertBad("# task t1: x\nt1 a\n", "f: no '# filter:' line");
        assertBad(head + "t1 a b\n", "f:4: not a provenance line");
        assertBad("# task t2: x\n", "f:1: task t2 out of order");
    }

    @Test
    void aFilterGlobShowsEveryNameItMatches() throws IOException {
        KernelTrace t = KernelTraceParser.parse(new StringReader("# filter: vfio_pci_*\n# task t1: x\nt1 vfio_pci_zap_bars\n"), "f");
        assertTrue(t.shows("vfio_pci_dma_buf_move"));
        assertFalse(t.shows("pci_try_reset_function"));
    }

    @Test
    void theModelsDeviceResetsByTheMethodTheRecordedFunctionUses(@TempDir Path dir) throws IOException {
        copyFixture(dir);
        Path f = dir.resolve("vfio-device-reset.trace");
        String pm = Files.readString(f).replace("# filter: pcie_reset_flr", "# reset-method: pm bus\n# filter: pci_pm_reset pcie_reset_flr")
                .replace("t1     pcie_reset_flr\n", "t1     pci_pm_reset\n");
        Files.writeString(f, pm);
        List<Claim> claims = check(dir);
        assertEquals(List.of(), differing(claims));
        assertTrue(claims.stream().anyMatch(c -> c.scenario().equals("vfio-device-reset") && c.verdict() == Verdict.AGREE));
        Files.writeString(f, pm.replace("# reset-method: pm bus", "# reset-method: acpi"));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Referee.load(dir));
        assertTrue(e.getMessage().contains("the model resets by flr, pm or bus only"), e.getMessage());
    }

    @Test
    void aFileNamedForNoRecordingIsBadInput(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("no-such-scenario.trace"), "# filter: a\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Referee.load(dir));
        assertTrue(e.getMessage().contains("'no-such-scenario' is not a recording id"), e.getMessage());
    }

    static void assertBad(String text, String want) {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> KernelTraceParser.parse(new StringReader(text), "f"));
        assertTrue(e.getMessage().startsWith(want), e.getMessage());
    }

    static void copyFixture(Path dir) throws IOException {
        try (var s = Files.list(FIXTURE)) {
            for (Path p : s.toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
    }

    static void swap(Path f, String a, String b) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
        int i = lines.indexOf(a);
        int j = lines.indexOf(b);
        assertTrue(i >= 0 && j >= 0, "fixture lines");
        lines.set(i, b);
        lines.set(j, a);
        Files.write(f, lines, StandardCharsets.UTF_8);
    }
}
