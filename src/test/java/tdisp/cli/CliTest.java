package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.strategy.Knob;

/** list / compare / check through {@link Main#execute}, as a user runs them. */
class CliTest {
    static final String CSV_HEADER_PREFIX =
            "strategy,platform,scenario,verdict,violated,tdi_end_state,steps,vm_exits,user_exits,ioctls,fw_calls";
    static final List<String> STRATEGY_IDS =
            List.of("kvm-direct", "iommufd-rfc-v2", "split-sdte-mmio", "vfio-ioctl", "iommufd-v5", "iommufd-typed-op", "iommufd-v7");
    static final List<String> PLATFORM_IDS = tdisp.platform.Platforms.all().stream().map(tdisp.platform.Platform::id).toList();

    @TempDir Path tmp;

    /** First whitespace-separated token of every output line (ids are listed first on their line). */
    private static Set<String> firstTokens(Cli.Result r) {
        Set<String> s = new HashSet<>();
        for (String line : r.outLines()) {
            String t = line.trim();
            if (!t.isEmpty()) s.add(t.split("\\s+")[0]);
        }
        return s;
    }

    @Test
    void listExitsZeroAndPrintsStrategiesAndPlatforms() {
        Cli.Result r = Cli.run("list", "--strategies-dir", STRATEGIES);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Set<String> tokens = firstTokens(r);
        for (String id : STRATEGY_IDS) assertTrue(tokens.contains(id), "strategy " + id + " missing:\n" + r.out());
        for (String id : PLATFORM_IDS) assertTrue(tokens.contains(id), "platform " + id + " missing:\n" + r.out());
    }

    @Test
    void listPrintsScenarioIds() {
        Cli.Result r = Cli.run("list", "--strategies-dir", STRATEGIES);
        assertEquals(0, r.code(), r.err());
        Set<String> tokens = firstTokens(r);
        for (String id : List.of("happy-bringup", "close-vfio-bound", "bar-zap-bound", "teardown/vfio-iommufd-kvm-vdevice")) {
            assertTrue(tokens.contains(id), "scenario " + id + " missing:\n" + r.out());
        }
        for (String id : tdisp.scenario.Scenarios.all().keySet()) {
            assertTrue(tokens.contains(id), "scenario " + id + " missing:\n" + r.out());
        }
    }

    @Test
    void listPrintsEveryKnobKeyAndInvariantsI1ToI11() {
        Cli.Result r = Cli.run("list", "--strategies-dir", STRATEGIES);
        assertEquals(0, r.code(), r.err());
        Set<String> tokens = firstTokens(r);
        assertEquals(19, Knob.values().length, "knob count changed: update this test and the README");
        for (Knob k : Knob.values()) assertTrue(tokens.contains(k.key()), "knob " + k.key() + " missing:\n" + r.out());
        for (int i = 1; i <= 11; i++) assertTrue(tokens.contains("I" + i), "invariant I" + i + " missing:\n" + r.out());
    }

    private Cli.Result compareSmall(Path out) {
        return Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--strategies", "iommufd-v5,vfio-ioctl", "--scenarios", "happy-bringup,close-vfio-bound");
    }

    @Test
    void compareExitsZeroDespiteViolationsAndWritesOneCsvRowPerRun() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = compareSmall(out);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "only the status line on stderr: " + r.err());

        String csv = Cli.read(out.resolve("correctness.csv"));
        String header = Cli.body(csv).lines().findFirst().orElseThrow();
        assertTrue(header.startsWith(CSV_HEADER_PREFIX), "header: " + header);

        List<CSVRecord> rows = Cli.csvRecords(out.resolve("correctness.csv"));
        List<String> expected = new ArrayList<>();
        for (String s : List.of("iommufd-v5", "vfio-ioctl"))
            for (String p : PLATFORM_IDS)
                for (String sc : List.of("happy-bringup", "close-vfio-bound")) expected.add(s + "|" + p + "|" + sc);
        List<String> actual = rows.stream().map(x -> x.get("strategy") + "|" + x.get("platform") + "|" + x.get("scenario")).toList();
        assertEquals(Set.copyOf(expected), Set.copyOf(actual));
        assertEquals(expected.size(), actual.size(), "one row per strategy x platform x scenario");
        assertTrue(rows.stream().anyMatch(x -> x.get("verdict").equals("violation")),
                "the selection has a violation, yet compare exits 0");
    }

    @Test
    void compareStdoutIsExactlyTheTextReportAndTheStatusGoesToStderr() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = compareSmall(out);
        assertEquals(0, r.code(), r.err());
        String txt = Cli.read(out.resolve("correctness.txt"));
        assertEquals(txt, r.out(), "stdout is the matrix to paste, nothing else");
        List<String> err = r.err().lines().toList();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("tdisp: wrote ") && err.get(0).contains("correctness.csv"), err.get(0));
        assertTrue(txt.contains("close-vfio-bound"), txt);
    }

    @Test
    void compareTextReportFitsIn72Columns() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, compareSmall(out).code());
        for (String line : Cli.read(out.resolve("correctness.txt")).lines().toList()) {
            assertTrue(line.length() <= 72, "line longer than 72 (" + line.length() + "): " + line);
        }
    }

    @Test
    void fullMatrixTextFitsIn72Columns() throws Exception {
        Path out = tmp.resolve("full");
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String line : Cli.read(out.resolve("correctness.txt")).lines().toList()) {
            assertTrue(line.length() <= 72, "line longer than 72 (" + line.length() + "): " + line);
        }
    }

    @Test
    void checkExitsOneWhenAnInvariantIsViolated() {
        Cli.Result r = Cli.run("check", "--strategies-dir", STRATEGIES, "--out", tmp.resolve("out").toString(),
                "--strategies", "iommufd-v5,vfio-ioctl", "--scenarios", "happy-bringup,close-vfio-bound");
        assertEquals(1, r.code(), "iommufd-v5 violates I1 in close-vfio-bound; stderr: " + r.err());
    }

    @Test
    void checkExitsZeroWhenEverythingHolds() {
        Cli.Result r = Cli.run("check", "--strategies-dir", STRATEGIES, "--out", tmp.resolve("out").toString(),
                "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void sameSeedGivesByteIdenticalCsv() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Cli.Result ra = Cli.run("compare", "--strategies-dir", STRATEGIES, "--seed", "42", "--out", a.toString());
        Cli.Result rb = Cli.run("compare", "--strategies-dir", STRATEGIES, "--seed", "42", "--out", b.toString());
        assertEquals(0, ra.code(), ra.err());
        assertEquals(0, rb.code(), rb.err());
        byte[] ca = Files.readAllBytes(a.resolve("correctness.csv"));
        byte[] cb = Files.readAllBytes(b.resolve("correctness.csv"));
        assertTrue(ca.length > 0);
        assertArrayEquals(ca, cb, "correctness.csv differs between two runs with the same seed");
        // The full default selection is every strategy x platform x scenario.
        int expected = STRATEGY_IDS.size() * PLATFORM_IDS.size() * tdisp.scenario.Scenarios.all().size();
        assertEquals(expected, Cli.csvRecords(a.resolve("correctness.csv")).size());
    }

    @Test
    void setOverrideReachesTheModel() throws Exception {
        Path base = tmp.resolve("base");
        Path fixed = tmp.resolve("fixed");
        Cli.Result r0 = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", base.toString(),
                "--strategies", "iommufd-v5", "--scenarios", "close-vfio-bound");
        Cli.Result r1 = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", fixed.toString(),
                "--strategies", "iommufd-v5", "--scenarios", "close-vfio-bound", "--set", "vfio.last-close=unbind-first");
        assertEquals(0, r0.code(), r0.err());
        assertEquals(0, r1.code(), r1.err());
        List<CSVRecord> before = Cli.csvRecords(base.resolve("correctness.csv"));
        List<CSVRecord> after = Cli.csvRecords(fixed.resolve("correctness.csv"));
        for (String p : PLATFORM_IDS) {
            CSVRecord b = Cli.row(before, "iommufd-v5", p, "close-vfio-bound");
            assertEquals("violation", b.get("verdict"), "baseline on " + p);
            assertTrue(Cli.violated(b).contains("I1"), "baseline on " + p + ": " + b.get("violated"));
            CSVRecord a = Cli.row(after, "iommufd-v5", p, "close-vfio-bound");
            assertTrue(a.get("knobs").contains("vfio.last-close=unbind-first"), a.get("knobs"));
            assertNotEquals(b.get("first_violation"), a.get("first_violation"), "the override changed the run on " + p);
        }
        // The x86 platforms need nothing unmapped before the unbind (Arm: CcaOrderingTest).
        for (String p : List.of("sev-tio", "tdx-connect")) {
            CSVRecord a = Cli.row(after, "iommufd-v5", p, "close-vfio-bound");
            // The unbind no longer errors the TDI (I1); closing under the running VM is still a yank (I11).
            assertEquals("I11", a.get("violated"), "with vfio.last-close=unbind-first on " + p + ": " + a.get("first_violation"));
        }
    }

    @Test
    void setUnknownKeyIsAOneLineError() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--strategies", "iommufd-v5", "--scenarios", "happy-bringup", "--set", "bogus.key=1");
        Cli.assertCleanFailure(r, out, "bogus.key");
    }

    @Test
    void setBadValueNamesTheValue() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--strategies", "iommufd-v5", "--scenarios", "happy-bringup", "--set", "vmm.config-trap=maybe");
        Cli.assertCleanFailure(r, out, "maybe");
    }

    @Test
    void tdxIommufdV5BarZapViolatesI2() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--platforms", "tdx-connect", "--strategies", "iommufd-v5", "--scenarios", "bar-zap-bound");
        assertEquals(0, r.code(), r.err());
        List<CSVRecord> rows = Cli.csvRecords(out.resolve("correctness.csv"));
        assertEquals(1, rows.size());
        CSVRecord row = Cli.row(rows, "iommufd-v5", "tdx-connect", "bar-zap-bound");
        assertEquals("violation", row.get("verdict"));
        assertTrue(Cli.violated(row).contains("I2"), "TDX module refuses TDH.MMIO.UNMAP while bound: " + row.get("violated"));
    }

    @Test
    void tdxVfioIoctlBarZapUnbindsFirstSoOnlyTheYankRemains() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("compare", "--strategies-dir", STRATEGIES, "--out", out.toString(),
                "--platforms", "tdx-connect", "--strategies", "vfio-ioctl", "--scenarios", "bar-zap-bound");
        assertEquals(0, r.code(), r.err());
        CSVRecord row = Cli.row(Cli.csvRecords(out.resolve("correctness.csv")), "vfio-ioctl", "tdx-connect", "bar-zap-bound");
        assertEquals("I11", row.get("violated"), row.get("first_violation"));
    }
}
