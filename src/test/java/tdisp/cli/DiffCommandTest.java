package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.output.Columns;
import tdisp.report.DiffReport;

class DiffCommandTest {
    @TempDir Path tmp;

    private static final String FIX = "vfio.last-close=unbind-first";

    private Cli.Result diff(Path out, String... args) {
        List<String> a = new ArrayList<>(List.of("diff", "--strategies-dir", Cli.STRATEGIES, "--out", out.toString()));
        a.addAll(Arrays.asList(args));
        return Cli.run(a.toArray(String[]::new));
    }

    private static List<CSVRecord> rows(Path csv) throws Exception {
        CSVFormat fmt = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true).build();
        try (CSVParser p = CSVParser.parse(new StringReader(Cli.read(csv)), fmt)) {
            assertEquals(DiffReport.HEADER, p.getHeaderNames());
            return p.getRecords();
        }
    }

    private static CSVRecord row(List<CSVRecord> rows, String platform, String scenario) {
        return rows.stream().filter(r -> r.get("platform").equals(platform) && r.get("scenario").equals(scenario))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + platform + " " + scenario));
    }

    @Test
    void theLastCloseFixListsTheCellsItClearsEachWithTheFirstStepWhereTheTracesPart() throws Exception {
        Path out = tmp.resolve("d");
        Cli.Result r = diff(out, "--base", "iommufd-v5", "--set", FIX);
        // On cca the same fix breaks I2 and I6 (the RMM refuses VDEV_UNLOCK with device memory mapped): exit 1.
        assertEquals(ExitCodes.NO, r.code(), r.err());
        assertTrue(r.out().contains("tdisp diff: iommufd-v5 -> iommufd-v5+vfio.last-close=unbind-first\n"), r.out());
        assertTrue(r.out().contains("setup: variant   iommufd-v5+vfio.last-close=unbind-first\n"), r.out());
        assertTrue(r.out().contains("setup: knobs     vfio.last-close close-device-first -> unbind-first\n"), r.out());
        assertTrue(r.out().contains("\ninvariant cleared: "), r.out());
        assertTrue(r.out().contains("\ninvariant introduced: "), r.out());
        Matcher cell = Pattern.compile("\n {4}sev-tio close-iommufd-bound +step (\\d+)\n").matcher(r.out());
        assertTrue(cell.find(), r.out());
        assertTrue(r.out().contains("  I1 -> pass, clears I1 ("), r.out());
        assertTrue(r.out().contains("    - [vmm0   ] ops->close_device = vfio_pci_core_close_device(dev0)\n"
                + "    + [vmm0   ] vfio_df_iommufd_unbind(dev0)\n"), r.out());
        assertTrue(r.out().contains("breaks I2,I6"), r.out());
        assertTrue(Columns.widest(r.out()) <= Columns.WIDTH, "72 columns");
        assertEquals(r.out(), Cli.read(out.resolve("diff.txt")));

        List<CSVRecord> rows = rows(out.resolve("diff.csv"));
        CSVRecord sev = row(rows, "sev-tio", "close-iommufd-bound");
        assertEquals("invariant-cleared", sev.get("cause"));
        assertEquals("I1", sev.get("cleared"));
        assertEquals("pass", sev.get("variant_verdict"));
        assertEquals(cell.group(1), sev.get("diverge_step"));
        assertEquals("iommufd-v5+vfio.last-close=unbind-first", sev.get("variant"));
        CSVRecord cca = row(rows, "cca", "close-iommufd-bound");
        assertEquals("invariant-introduced", cca.get("cause"));
        assertEquals("I2;I6", cca.get("introduced"));
        // The step the CSV names really is where `tdisp trace` of the two differs first.
        int step = Integer.parseInt(sev.get("diverge_step"));
        List<String> b = traceEvents("iommufd-v5", List.of());
        List<String> v = traceEvents("iommufd-v5", List.of("--set", FIX));
        assertEquals(b.subList(0, step - 1), v.subList(0, step - 1));
        assertEquals(sev.get("base_event"), b.get(step - 1));
        assertEquals(sev.get("variant_event"), v.get(step - 1));
    }

    /** The events `tdisp trace` prints, unwrapped and without the time column. */
    private static List<String> traceEvents(String strategy, List<String> extra) {
        List<String> a = new ArrayList<>(List.of("trace", "--strategies-dir", Cli.STRATEGIES, "--strategy", strategy,
                "--platform", "sev-tio", "--scenario", "close-iommufd-bound"));
        a.addAll(extra);
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<String> events = new ArrayList<>();
        for (String line : r.outLines()) {
            if (line.matches("^\\s*-?[0-9.]+ us \\[.*")) events.add(line.substring(line.indexOf(" us ") + 4));
            // a wrapped event continues on indented lines; the header and footer are not events
            else if (!events.isEmpty() && line.startsWith(" ")) events.set(events.size() - 1, events.get(events.size() - 1) + " " + line.strip());
        }
        return events;
    }

    @Test
    void onSevTioTheFixClearsTwentyCellsAndBreaksOnlyTheSurpriseRemovalThatRestsOnAnAssumption() {
        // Unbinding first reaches TIO_TDI_RECLAIM of a TDI whose device is gone; that the PSP
        // refuses it is A-SEV-RECLAIM-NEEDS-LIVE-DEVICE, which the cell's trace names.
        Cli.Result r = diff(tmp.resolve("d"), "--base", "iommufd-v5", "--set", FIX, "--platforms", "sev-tio");
        assertEquals(ExitCodes.NO, r.code(), r.err());
        assertTrue(r.out().contains("\ninvariant introduced: 1 cell\n"), r.out());
        assertTrue(r.out().contains("\n    sev-tio surprise-removal-bound "), r.out());
        Cli.Result t = Cli.run("trace", "--strategy", "iommufd-v5", "--set", FIX, "--platform", "sev-tio", "--scenario", "surprise-removal-bound");
        assertTrue(t.out().contains("A-SEV-RECLAIM-NEEDS-LIVE-DEVICE"), t.out());
        assertTrue(r.out().contains("\n32 of 53 cells differ (1 platform x 53 scenarios)\n"), r.out());
        assertTrue(r.out().contains("\ninvariant cleared: 20 cells\n"), r.out());
    }

    @Test
    void aVariantThatBreaksAnInvariantTheBaseHeldExitsOne() throws Exception {
        Path out = tmp.resolve("d");
        Cli.Result r = diff(out, "--base", "iommufd-v5", "--set", FIX, "--platforms", "cca", "--scenarios", "close-iommufd-bound");
        assertEquals(ExitCodes.NO, r.code(), r.err());
        assertTrue(r.out().contains("invariant introduced: 1 cell\n  I1 -> I1,I2,I6, breaks I2,I6 (1 cell)\n"), r.out());
        assertEquals(1, rows(out.resolve("diff.csv")).size());
    }

    @Test
    void identicalBaseAndVariantPrintNoDifferencesAndExitZero() throws Exception {
        for (List<String> change : List.of(List.of("--variant", "iommufd-v5"), List.of("--set", "vfio.last-close=close-device-first"))) {
            Path out = tmp.resolve("d" + change.get(0));
            List<String> a = new ArrayList<>(List.of("--base", "iommufd-v5", "--platforms", "sev-tio", "--scenarios", "close-*"));
            a.addAll(change);
            Cli.Result r = diff(out, a.toArray(String[]::new));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertTrue(r.out().contains("\nno differences in 3 cells (1 platform x 3 scenarios)\n"), r.out());
            assertTrue(r.out().contains("setup: knobs     no knob differs\n"), r.out());
            assertEquals(List.of(), rows(out.resolve("diff.csv")));
        }
    }

    @Test
    void anotherDescriptorAsVariantIsNamedByItsId() throws Exception {
        Path out = tmp.resolve("d");
        Cli.Result r = diff(out, "--base", "iommufd-v5", "--variant", "vfio-ioctl", "--platforms", "tdx-connect", "--scenarios", "close-iommufd-bound");
        assertTrue(r.out().contains("tdisp diff: iommufd-v5 -> vfio-ioctl\n"), r.out());
        assertTrue(r.out().contains("setup: knobs     bind.entry iommufd -> vfio"), r.out());
        assertEquals("vfio-ioctl", rows(out.resolve("diff.csv")).get(0).get("variant"));
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing() throws Exception {
        Path out = tmp.resolve("d");
        String[][] cases = {
            {"--base", "iommufd-v5"}, {"--base", "iommufd-v5", "--variant", "vfio-ioctl", "--set", FIX},
            {"--base", "nosuch", "--set", FIX}, {"--base", "iommufd-v5", "--variant", "nosuch"},
            {"--base", "iommufd-v5", "--set", "vfio.last-close"}, {"--base", "iommufd-v5", "--set", "no.knob=1"},
            {"--base", "iommufd-v5", "--set", "vfio.last-close=sometimes"},
            {"--base", "iommufd-v5", "--set", FIX, "--scenarios", "nosuch"},
            {"--base", "iommufd-v5", "--set", FIX, "--platforms", "nosuch"}, {"--set", FIX}};
        String[] needles = {"neither", "both", "unknown strategy 'nosuch'", "unknown strategy 'nosuch'", "expected key=value",
            "unknown key 'no.knob'", "'sometimes'", "unknown scenario 'nosuch'", "nosuch", "--base"};
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = diff(out, cases[i]);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            Cli.assertCleanFailure(r, out, needles[i]);
            assertTrue(!Files.exists(out.resolve("diff.csv")), "diff.csv written");
        }
    }

    @Test
    void theSameInputsGiveTheSameBytesAndTheReproduceLineMakesThemAgain() throws Exception {
        String[] args = {"--base", "iommufd-v5", "--set", FIX, "--platforms", "tdx-connect,sev-tio", "--scenarios", "teardown/*,close-kvm-bound", "--seed", "3"};
        Cli.Result one = diff(tmp.resolve("one"), args);
        Cli.Result two = diff(tmp.resolve("two"), args);
        assertEquals(one.out(), two.out());
        for (String f : List.of("diff.csv", "diff.txt")) {
            assertEquals(Cli.read(tmp.resolve("one").resolve(f)), Cli.read(tmp.resolve("two").resolve(f)), f);
        }
        String csv = Cli.read(tmp.resolve("one").resolve("diff.csv"));
        Matcher m = Pattern.compile("(?m)^# reproduce: \\./tdisp (.*)$").matcher(csv);
        assertTrue(m.find(), csv);
        String line = m.group(1);
        for (String part : List.of("diff ", " --base iommufd-v5", " --set vfio.last-close=unbind-first", " --platforms tdx-connect,sev-tio",
                " --scenarios 'teardown/*,close-kvm-bound'", " --seed 3")) {
            assertTrue(line.contains(part), part + " in " + line);
        }
        List<String> again = new ArrayList<>(List.of(line.replace("'", "").split(" ")));
        again.addAll(List.of("--out", tmp.resolve("three").toString()));
        Cli.Result three = Cli.run(again.toArray(String[]::new));
        assertEquals(one.code(), three.code());
        assertEquals(csv, Cli.read(tmp.resolve("three").resolve("diff.csv")));
    }

    @Test
    void aFaultAppliesToBothSidesAndTheOutputsSaySo() throws Exception {
        Path out = tmp.resolve("d");
        Cli.Result r = diff(out, "--base", "vfio-ioctl", "--variant", "vfio-ioctl", "--platforms", "sev-tio",
                "--scenarios", "replay-guest-request", "--fault", "FW_ACCEPTS_REPLAY");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("setup: fault     FW_ACCEPTS_REPLAY\n"), r.out());
        assertTrue(r.out().contains("no differences in 1 cell (1 platform x 1 scenario)"), r.out());
        assertTrue(Cli.read(out.resolve("diff.csv")).contains("# fault: FW_ACCEPTS_REPLAY\n"));
    }

    @Test
    void anInterruptedDiffWritesWhatItComparedMarkedAndExitsThree() throws Exception {
        Path out = tmp.resolve("d");
        Interrupt.request();
        try {
            Cli.Result r = diff(out, "--base", "iommufd-v5", "--set", FIX, "--platforms", "sev-tio");
            assertEquals(ExitCodes.INCOMPLETE, r.code(), r.err());
            assertTrue(r.out().contains("\nINTERRUPTED: 0 of 53 cells ran"), r.out());
            assertTrue(Cli.read(out.resolve("diff.csv")).contains("\n# incomplete: INTERRUPTED, 0 of 53 cells ran\n"));
            assertTrue(r.err().contains("INTERRUPTED"), r.err());
        } finally {
            Interrupt.reset();
        }
    }

    @Test
    void aFirstViolationThatMovedShowsTheOldOneAndTheNew() throws Exception {
        Path out = tmp.resolve("d");
        Cli.Result r = diff(out, "--base", "iommufd-v5", "--variant", "iommufd-typed-op", "--platforms", "tdx-connect",
                "--scenarios", "flr-bound");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("\nfirst violation moved: 1 cell\n  I1,I2 unchanged (1 cell)\n"), r.out());
        assertTrue(r.out().contains("    first violation was I2: TDH.MMIO.UNMAP of dev0 while TDI is RUN"), r.out());
        assertTrue(r.out().contains("    first violation now I2: TDH.MMIO.UNMAP of dev0 while TDI is\n        CONFIG_LOCKED"), r.out());
        CSVRecord row = rows(out.resolve("diff.csv")).get(0);
        assertEquals("first-violation-moved", row.get("cause"));
        assertTrue(row.get("variant_first_violation").contains("CONFIG_LOCKED"), row.get("variant_first_violation"));
    }
}
