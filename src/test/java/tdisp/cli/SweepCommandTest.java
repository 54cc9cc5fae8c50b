package tdisp.cli;

import tdisp.platform.Platforms;
import tdisp.report.SweepReport;
import tdisp.sweep.Sweep;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code tdisp sweep}: options, files, errors (registered in tdisp.cli.Main separately). */
class SweepCommandTest {
    record Result(int code, String out, String err) {}

    /** Runs the command through Main, as the launcher does. */
    static Result run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "sweep";
        System.arraycopy(args, 0, all, 1, args.length);
        Cli.Result r = Cli.run(all);
        return new Result(r.code(), r.out(), r.err());
    }

    @Test
    void writesSweepCsvAndTxtAndPrintsTheText(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("res");
        Result r = run("--strategies-dir", "strategies", "--strategies", "kvm-direct,iommufd-v5", "--devices", "1,8", "--vms", "1",
                "--sensitivity-devices", "8", "--sensitivity-vms", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String txt = Files.readString(out.resolve("sweep.txt"), StandardCharsets.UTF_8);
        String csv = Files.readString(out.resolve("sweep.csv"), StandardCharsets.UTF_8);
        assertTrue(r.out().startsWith(txt), r.out());
        assertEquals(txt, r.out(), "stdout is the table, nothing else");
        assertTrue(r.err().startsWith("tdisp: wrote "), r.err());
        assertTrue(Cli.body(csv).startsWith(String.join(",", SweepReport.HEADER) + "\n"));
        assertEquals(2 * 2 * tdisp.platform.Platforms.all().size(), csv.lines().filter(l -> l.startsWith("point,")).count());
        assertTrue(txt.contains("S1 = kvm-direct") && txt.contains("S2 = iommufd-v5"), txt);
        try (var s = Files.list(out)) {
            assertEquals(List.of(".tdisp-output", "sweep.csv", "sweep.txt"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void defaultsAreTheIssuesGridAndAnExplicitListReplacesThem() {
        SweepCommand c = new SweepCommand();
        new CommandLine(c).parseArgs("--strategies-dir", "strategies");
        Sweep.Config cfg = c.config();
        assertEquals(List.of(1, 8, 64, 512, 4096), cfg.devices());
        assertEquals(List.of(1, 8), cfg.vms());
        assertEquals(64, cfg.sensitivityDevices());
        assertEquals(8, cfg.sensitivityVms());
        assertEquals(tdisp.platform.Platforms.all(), cfg.platforms());
        assertEquals(0, cfg.startJitterNs());
        SweepCommand d = new SweepCommand();
        new CommandLine(d).parseArgs("--strategies-dir", "strategies", "--devices", "3,3,9", "--vms", "2", "--platforms", "tdx-connect");
        assertEquals(List.of(3, 9), d.config().devices());
        assertEquals(List.of(2), d.config().vms());
        assertEquals(List.of(Platforms.get("tdx-connect")), d.config().platforms());
    }

    /**
     * Issue 23 (style.md section 3): the command's defaults are Sweep.Config's, declared once. A
     * parse with no option gives the config the builder gives with nothing set (the cost table
     * compared by what it is: CostTable has no value equality), and the help shows those values.
     */
    @Test
    void aParseWithNoOptionIsTheBuildersDefaultConfig() {
        SweepCommand c = new SweepCommand();
        new CommandLine(c).parseArgs("--strategies-dir", "strategies");
        Sweep.Config parsed = c.config();
        Sweep.Config defaults = Sweep.Config.defaults(parsed.strategies(), parsed.platforms());
        assertEquals(defaults.costs().describe(), parsed.costs().describe());
        assertEquals(defaults.costs().nested(), parsed.costs().nested());
        assertEquals(defaults.costs().ibpb(), parsed.costs().ibpb());
        assertEquals(Sweep.Config.builder(parsed.strategies(), parsed.platforms()).costs(parsed.costs()).build(), parsed);
        var spec = new CommandLine(new SweepCommand()).getCommandSpec();
        assertEquals("1,8,64,512,4096", spec.findOption("--devices").defaultValue(), "the grid the results were made with");
        assertEquals(List.of(1, 8, 64, 512, 4096), defaults.devices());
        assertEquals(String.valueOf(defaults.sensitivityDevices()), spec.findOption("--sensitivity-devices").defaultValue());
        assertEquals(String.valueOf(defaults.seed()), spec.findOption("--seed").defaultValue());
    }

    @Test
    void badArgumentsAreOneLineExitTwoAndWriteNothing(@TempDir Path dir) {
        Path out = dir.resolve("res");
        String[][] bad = {
            {"--devices", "0"}, {"--devices", "4097"}, {"--vms", "0"}, {"--platforms", "arm-cca"},
            {"--strategies", "nope"}, {"--start-jitter", "-1"}, {"--sensitivity-devices", "5000"},
            {"--costs", dir.resolve("missing.csv").toString()}, {"--devices", "x"}, {"--tie-ns", "-3"},
        };
        for (String[] b : bad) {
            String[] args = new String[b.length + 4];
            args[0] = "--strategies-dir";
            args[1] = "strategies";
            args[2] = "--out";
            args[3] = out.toString();
            System.arraycopy(b, 0, args, 4, b.length);
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
            assertFalse(Files.exists(out), String.join(" ", b));
        }
        assertTrue(run("--strategies-dir", "strategies", "--out", out.toString(), "--devices", "4097").err().contains("--devices: 4097"));
    }
}
