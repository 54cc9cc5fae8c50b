package tdisp.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import tdisp.cost.CostTable;

/** From JMH scores to cost rows: the formulas, the error propagation, the notes a row carries. */
class CalibrationTest {
    static final HostInfo BARE = new HostInfo("Test CPU", "6.0.0-test", "kvm_intel", false, "no hypervisor flag", "0.00 0.00 0.00");
    static final HostInfo NESTED = new HostInfo("Test CPU", "6.0.0-test", "kvm_intel", true, "cpuinfo hypervisor flag", "3.10 2.00 1.00");

    /** Scores of a tidy bare-metal host: native busy loop, small errors. */
    static Map<String, Calibration.Score> scores(double busy, double err) {
        Map<String, Calibration.Score> s = new LinkedHashMap<>();
        s.put(Calibration.NULL_CALL, new Calibration.Score(20, err));
        s.put(Calibration.GETPPID, new Calibration.Score(170, err));
        s.put(Calibration.IOCTL, new Calibration.Score(220, err));
        s.put(Calibration.CPUID, new Calibration.Score(1500, err));
        s.put(Calibration.BUSY, new Calibration.Score(busy, err));
        s.put(Calibration.OUT, new Calibration.Score(5000, err));
        s.put(Calibration.WRITE_SMALL, new Calibration.Score(400, err));
        s.put(Calibration.WRITE_PAGE, new Calibration.Score(400 + 4032 / 1024.0 * 60, err));
        s.put(Calibration.WRITE_LARGE, new Calibration.Score(400 + 65472 / 1024.0 * 60, err));
        s.put(Calibration.READ_LARGE, new Calibration.Score(300 + 65472 / 1024.0 * 40, err));
        s.put(Calibration.READ_SMALL, new Calibration.Score(300, err));
        s.put(Calibration.READ_PAGE, new Calibration.Score(300 + 4032 / 1024.0 * 40, err));
        return s;
    }

    static CostTable.Row row(Calibration.Result r, String name) {
        return r.rows().stream().map(Calibration.Measured::row).filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theScoresCalibrationReadsAreExactlyTheBenchmarksCalibrateRuns() {
        Set<String> keys = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                List.of("tdisp\\.calibrate\\."), List.of())) {
            String name = e.getUsername().substring("tdisp.calibrate.".length());
            String[] bytes = e.getParams().hasValue() ? e.getParams().get().get("bytes") : null;
            if (bytes == null) keys.add(name);
            else for (String b : bytes) keys.add(name + ":" + b);
        }
        assertEquals(new TreeSet<>(Calibration.BENCHMARKS), keys);
    }

    @Test
    void eachRowIsItsScoresMinusTheJnaCallAndTheSharedParts() {
        Calibration.Result r = Calibration.derive(scores(3, 0.5), CostTable.defaults(), BARE, "test");
        assertEquals(150, row(r, "syscall.roundtrip").dflt(), 1e-9);
        assertEquals(200, row(r, "ioctl.roundtrip").dflt(), 1e-9);
        assertEquals(1497, row(r, "vmexit.roundtrip.inkernel").dflt(), 1e-9);
        // 5000 - 20 (JNA) - 1500 (CPUID loop turn) + 3 - 1 (the loop without CPUID, less one instruction)
        assertEquals(3482, row(r, "kvm.exit_to_user.extra").dflt(), 1e-9);
        assertEquals(50, row(r, "uaccess.copy").dflt(), 1e-9);
        assertFalse(r.emulatedGuest());
    }

    @Test
    void errorsAddInQuadratureAndBoundTheRowsRange() {
        Calibration.Result r = Calibration.derive(scores(3, 3), CostTable.defaults(), BARE, "test");
        CostTable.Row ioctl = row(r, "ioctl.roundtrip");
        double e = Math.round(Math.sqrt(2) * 3 * 10) / 10.0;
        assertEquals(200 - e, ioctl.low(), 1e-9);
        assertEquals(200 + e, ioctl.high(), 1e-9);
        assertTrue(ioctl.source().contains("IoctlBench.kvmGetApiVersion 220.0 +- 3.0 - NativeCallBench.jnaNullCall 20.0 +- 3.0 = 200.0 +- 4.2 ns"), ioctl.source());
    }

    @Test
    void aRowWhoseErrorExceedsFivePercentSaysWhy() {
        Calibration.Result r = Calibration.derive(scores(3, 40), CostTable.defaults(), NESTED, "test");
        Calibration.Measured syscall = r.rows().stream().filter(m -> m.row().name().equals("syscall.roundtrip")).findFirst().orElseThrow();
        assertFalse(syscall.figure().withinBound());
        assertTrue(syscall.note().contains("exceeds 5%: most of it is the spread of NativeCallBench.getppidSyscall (+- 40.0, 23.5% of its score)")
                && syscall.note().contains("load average 3.10 2.00 1.00 on"), syscall.note());
        Calibration.Measured exit = r.rows().stream().filter(m -> m.row().name().equals("vmexit.roundtrip.inkernel")).findFirst().orElseThrow();
        assertTrue(exit.figure().withinBound(), "57/1497 is under 5%");
        assertEquals("", exit.note());
    }

    @Test
    void rowsMeasuredOnANestedHostAreGradedSoAndNameTheHost() {
        Calibration.Result r = Calibration.derive(scores(3, 0.5), CostTable.defaults(), NESTED, "quick");
        for (Calibration.Measured m : r.rows()) {
            assertEquals(CostTable.MEASURED_NESTED, m.row().grade());
            assertTrue(m.row().source().contains("Test CPU, Linux 6.0.0-test, kvm_intel, nested (cpuinfo hypervisor flag)"), m.row().source());
            assertTrue(m.row().source().startsWith("tdisp calibrate (quick)"));
        }
        assertEquals(CostTable.MEASURED, row(Calibration.derive(scores(3, 0.5), CostTable.defaults(), BARE, "q"), "uaccess.copy").grade());
    }

    @Test
    void anEmulatedGuestIsFlaggedOnBothExitRows() {
        Calibration.Result r = Calibration.derive(scores(2400, 1), CostTable.defaults(), NESTED, "test");
        assertTrue(r.emulatedGuest());
        for (Calibration.Measured m : r.rows()) {
            boolean exitRow = m.row().name().equals("vmexit.roundtrip.inkernel") || m.row().name().equals("kvm.exit_to_user.extra");
            assertEquals(exitRow, m.note().contains("emulated by this host's KVM (800.0 ns per instruction)"), m.row().name() + ": " + m.note());
        }
    }

    @Test
    void aNegativeDifferenceIsWrittenAsZeroAndSaysSo() {
        Map<String, Calibration.Score> s = scores(3, 0.5);
        s.put(Calibration.GETPPID, new Calibration.Score(15, 0.5));
        Calibration.Measured m = Calibration.derive(s, CostTable.defaults(), BARE, "t").rows().stream()
                .filter(x -> x.row().name().equals("syscall.roundtrip")).findFirst().orElseThrow();
        assertEquals(0, m.row().dflt());
        assertTrue(m.note().contains("negative difference, written as 0"));
    }

    @Test
    void theWrittenTableIsTheBuiltInOneWithMeasuredRowsInPlaceAndReadsBack() {
        CostTable base = CostTable.defaults();
        Calibration.Result r = Calibration.derive(scores(3, 0.5), base, NESTED, "test");
        CostTable back = CostTable.parse(Calibration.table(base, r.rows()), "costs-measured.csv");
        assertEquals(base.rows().keySet(), back.rows().keySet());
        assertEquals(3482, back.value("kvm.exit_to_user.extra"), 1e-9);
        assertTrue(back.rows().get("kvm.exit_to_user.extra").measuredNested());
        assertEquals(base.rows().get("psp.cmd.simple"), back.rows().get("psp.cmd.simple"), "unmeasured rows unchanged");
        for (Calibration.Measured m : r.rows()) assertEquals(m.row(), back.rows().get(m.row().name()));
    }
}
