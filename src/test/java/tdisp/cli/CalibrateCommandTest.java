package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cost.CostTable;

/**
 * `tdisp calibrate` without KVM, and what a measured table does to the other commands.
 * The measured table here is made by hand, so none of this needs /dev/kvm.
 */
class CalibrateCommandTest {
    @TempDir Path tmp;

    static final double MEASURED_EXTRA = 5400;

    /** The built-in table with a measured-nested kvm.exit_to_user.extra, as calibrate would write it. */
    private Path measuredTable() throws Exception {
        Map<String, CostTable.Row> rows = new LinkedHashMap<>(CostTable.defaults().rows());
        CostTable.Row d = rows.get("kvm.exit_to_user.extra");
        rows.put(d.name(), new CostTable.Row(d.name(), MEASURED_EXTRA, 5300, 5500, d.unit(), d.appliesTo(), CostTable.MEASURED_NESTED,
                "tdisp calibrate (hand-made for a test); JMH avgt: 5400.0 +- 100.0 ns"));
        Path p = tmp.resolve("costs-measured.csv");
        Files.writeString(p, CostTable.render(rows.values()));
        return p;
    }

    /** modeled_ns and user_exits of happy-bringup on sev-tio, per strategy. */
    private Map<String, long[]> compare(String... extra) throws Exception {
        Path out = Files.createTempDirectory(tmp, "cmp");
        List<String> args = new java.util.ArrayList<>(List.of("compare", "--strategies-dir", Cli.STRATEGIES, "--strategies", "kvm-direct,iommufd-v5",
                "--platforms", "sev-tio", "--scenarios", "happy-bringup", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<String, long[]> m = new LinkedHashMap<>();
        for (CSVRecord rec : Cli.csvRecords(out.resolve("correctness.csv"))) {
            m.put(rec.get("strategy"), new long[] {Long.parseLong(rec.get("modeled_ns")), Long.parseLong(rec.get("user_exits"))});
        }
        return m;
    }

    @Test
    void withoutKvmItSaysSoInOneLineAndExitsUnavailable() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("calibrate", "--quick", "--kvm-device", tmp.resolve("no-such-kvm").toString(), "--strategies-dir", Cli.STRATEGIES,
                "--out", out.toString());
        assertEquals(ExitCodes.UNAVAILABLE, r.code());
        assertEquals(69, ExitCodes.UNAVAILABLE, "EX_UNAVAILABLE of sysexits.h");
        Cli.assertCleanFailure(r, out, "calibrate", "unavailable", "no-such-kvm", "No such file or directory");
        assertTrue(!Files.exists(out), "nothing written");
    }

    @Test
    void badRunKnobsAreBadInputBeforeAnyDeviceIsOpened() throws Exception {
        Cli.Result r = Cli.run("calibrate", "--forks", "0", "--kvm-device", tmp.resolve("no-such-kvm").toString(), "--out", tmp.toString());
        assertEquals(2, r.code());
        Cli.assertCleanFailure(r, tmp, "--forks");
        Cli.Result t = Cli.run("calibrate", "--iteration-time", "soon", "--out", tmp.toString());
        assertEquals(2, t.code());
        Cli.assertCleanFailure(t, tmp, "--iteration-time");
    }

    @Test
    void compareWithAMeasuredTableMovesTheRoutingDeltaByTheMeasuredExitLeg() throws Exception {
        Path measured = measuredTable();
        Map<String, long[]> est = compare();
        Map<String, long[]> meas = compare("--costs", measured.toString());
        long extraExits = est.get("iommufd-v5")[1] - est.get("kvm-direct")[1];
        assertTrue(extraExits > 0, "the vDEVICE routing exits to the VMM more often");
        long deltaEst = est.get("iommufd-v5")[0] - est.get("kvm-direct")[0];
        long deltaMeas = meas.get("iommufd-v5")[0] - meas.get("kvm-direct")[0];
        double defaultExtra = CostTable.defaults().value("kvm.exit_to_user.extra");
        assertEquals(Math.round(extraExits * (MEASURED_EXTRA - defaultExtra)), deltaMeas - deltaEst);
    }

    @Test
    void nestedLeavesTheMeasuredNestedExitLegAsMeasured() throws Exception {
        Path measured = measuredTable();
        Map<String, long[]> plain = compare("--costs", measured.toString());
        Map<String, long[]> nested = compare("--costs", measured.toString(), "--nested");
        Map<String, long[]> estNested = compare("--nested");
        long extraExits = plain.get("iommufd-v5")[1] - plain.get("kvm-direct")[1];
        long dPlain = plain.get("iommufd-v5")[0] - plain.get("kvm-direct")[0];
        long dNested = nested.get("iommufd-v5")[0] - nested.get("kvm-direct")[0];
        long dEstNested = estNested.get("iommufd-v5")[0] - estNested.get("kvm-direct")[0];
        // the exit-to-VMM leg is the same with and without --nested; only the estimated VMGEXIT scales,
        // and both strategies take the same VMGEXITs, so the routing delta does not move
        assertEquals(dPlain, dNested);
        CostTable d = CostTable.defaults();
        double mult = d.value("nested.exit.multiplier");
        assertEquals(Math.round(extraExits * (mult * d.value("kvm.exit_to_user.extra") - MEASURED_EXTRA)), dEstNested - dNested);
    }

    @Test
    void benchRefusesABadCostTableBeforeStartingJmh() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "name,default\n");
        Cli.Result r = Cli.run("bench", "--costs", bad.toString(), "--strategies-dir", Cli.STRATEGIES, "--out", tmp.resolve("b").toString());
        assertEquals(2, r.code());
        Cli.assertCleanFailure(r, tmp.resolve("b"), "bad.csv:1");
    }

    @Test
    void benchHandsItsCostOptionsToTheForksInOneArgumentList() throws Exception {
        CostFlags f = new CostFlags();
        f.costs = measuredTable();
        f.nested = true;
        CatalogOptions c = new CatalogOptions();
        c.strategiesDir = java.nio.file.Path.of("strategies");
        List<String> a = List.of(BenchCommand.forkArguments("home", c, f));
        assertEquals(List.of("-Dtdisp.home=home", "-Dtdisp.strategies=" + c.strategiesDir.toAbsolutePath(), "-Dtdisp.costs=" + f.costs.toAbsolutePath(), "-Dtdisp.nested=true", "-Dtdisp.ibpb=false"), a);
    }
}
