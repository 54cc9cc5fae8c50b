package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import tdisp.cli.Cli;

/**
 * Issue 13: generated malformed descriptors, cost tables, replay files and argument lists
 * (1,050 cases, from one fixed seed so a failure reproduces), each run through the CLI
 * in-process: exit 2, exactly one line on stderr, nothing on stdout, and no file created or
 * changed. Every case is malformed by construction: a mutation that always breaks a rule,
 * applied to a valid input.
 */
class Issue13FuzzTest {
    static final long SEED = 13;
    static final int PER_FILE_KIND = 250;
    static final int ARGUMENT_LISTS = 300;

    @TempDir static Path tmp;
    static String desc;
    static String costs;
    static String replay;

    @BeforeAll
    static void validInputs() throws IOException {
        desc = Files.readString(Path.of(Cli.STRATEGIES, "iommufd-v5.desc"));
        costs = Issue13CostBoundsTest.shipped();
        Path x = tmp.resolve("seed-explore");
        Cli.Result r = Cli.run("explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--set", "vfio.last-close=close-device-first",
                "--vms", "1", "--devices", "1", "--depth", "3", "--progress", "none", "--out", x.toString());
        assertEquals(1, r.code(), "explore exits 1 on the I1 it finds: " + r.err());
        try (Stream<Path> s = Files.list(x.resolve("cex"))) {
            replay = Files.readString(s.filter(p -> p.toString().endsWith("-I1-1.replay")).findFirst().orElseThrow());
        }
        assertEquals(0, Cli.run("replay", Files.writeString(tmp.resolve("valid.replay"), replay).toString()).code(), "the base replay is valid");
    }

    // ---- mutations that always break a rule ----

    private static String junk(SplittableRandom r) {
        String[] pieces = {"zz", "Q", "-", "9", "x_", "kvmm", "on off", "\u00e9"};
        StringBuilder sb = new StringBuilder("zz");
        for (int i = r.nextInt(1, 4); i > 0; i--) sb.append(pieces[r.nextInt(pieces.length)]);
        return sb.toString();
    }

    private static List<String> lines(String s) { return new ArrayList<>(List.of(s.split("\n", -1))); }

    private static int randomLine(SplittableRandom r, List<String> ls, java.util.function.Predicate<String> p) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < ls.size(); i++) if (p.test(ls.get(i))) idx.add(i);
        return idx.get(r.nextInt(idx.size()));
    }

    private static byte[] withByte(String text, SplittableRandom r, byte b, java.util.function.Predicate<String> where) {
        List<String> ls = lines(text);
        int i = randomLine(r, ls, where);
        String l = ls.get(i);
        int at = r.nextInt(l.length() + 1);
        byte[] before = (String.join("\n", ls.subList(0, i)) + (i > 0 ? "\n" : "") + l.substring(0, at)).getBytes(StandardCharsets.UTF_8);
        byte[] after = (l.substring(at) + "\n" + String.join("\n", ls.subList(i + 1, ls.size()))).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[before.length + 1 + after.length];
        System.arraycopy(before, 0, out, 0, before.length);
        out[before.length] = b;
        System.arraycopy(after, 0, out, before.length + 1, after.length);
        return out;
    }

    static byte[] badDescriptor(SplittableRandom r) {
        List<String> ls = lines(desc);
        java.util.function.Predicate<String> knob = l -> !l.startsWith("#") && l.contains("=") && !l.startsWith("id") && !l.startsWith("title") && !l.startsWith("source");
        switch (r.nextInt(9)) {
            case 0 -> { int i = randomLine(r, ls, knob); ls.set(i, ls.get(i).substring(0, ls.get(i).indexOf('=') + 1) + " " + junk(r)); }
            case 1 -> ls.add(r.nextInt(ls.size()), junk(r).replace(" ", "") + ".key = on");
            case 2 -> ls.removeIf(l -> l.startsWith("id "));
            case 3 -> { int i = randomLine(r, ls, knob); ls.add(i + 1, ls.get(i)); }
            case 4 -> { int i = randomLine(r, ls, l -> l.startsWith("id ")); ls.set(i, "id = iommufd" + ",;= /".charAt(r.nextInt(5)) + "v5"); }
            case 5 -> { int last = randomLine(r, ls, l -> l.startsWith("bind.entry")); return String.join("\n", ls.subList(0, last)).getBytes(StandardCharsets.UTF_8); }
            case 6 -> { return withByte(desc, r, (byte) 0, l -> !l.isEmpty()); }
            case 7 -> { return withByte(desc, r, (byte) 0xff, l -> true); }
            default -> { int i = randomLine(r, ls, knob); ls.set(i, ls.get(i).replace("=", " ")); }
        }
        return String.join("\n", ls).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] badCostTable(SplittableRandom r) {
        List<String> ls = lines(costs);
        java.util.function.Predicate<String> row = l -> !l.isEmpty() && !l.startsWith("name,");
        String[] required = {"ioctl.roundtrip", "psp.cmd.simple", "snp.vmgexit.roundtrip", "seamcall.tdi_op", "vmm.dispatch", "doe.poll_interval"};
        String[] badNumbers = {"abc", "-1", "1e300", "9e18", "NaN", "Infinity", "", "0x10", "1,5", "--3"};
        switch (r.nextInt(9)) {
            case 0, 1 -> {
                int i = randomLine(r, ls, row);
                String[] f = ls.get(i).split(",", -1);
                f[1 + r.nextInt(3)] = badNumbers[r.nextInt(badNumbers.length)];
                if (f[1].isEmpty() && f[2].isEmpty()) f[3] = "-7";
                ls.set(i, String.join(",", f));
            }
            case 2 -> { int i = randomLine(r, ls, row); String[] f = ls.get(i).split(",", -1); f[4] = junk(r).replace(" ", ""); ls.set(i, String.join(",", f)); }
            case 3 -> { String gone = required[r.nextInt(required.length)]; ls.removeIf(l -> l.startsWith(gone + ",")); }
            case 4 -> { int i = randomLine(r, ls, row); ls.add(i + 1, ls.get(i)); }
            case 5 -> { int i = randomLine(r, ls, row); ls.set(i, r.nextBoolean() ? ls.get(i) + ",extra" : ls.get(i).substring(0, ls.get(i).lastIndexOf(','))); }
            case 6 -> ls.set(0, ls.get(0).replace(r.nextBoolean() ? "default" : "unit", junk(r).replace(" ", "")));
            case 7 -> { return withByte(costs, r, r.nextBoolean() ? (byte) 0 : (byte) 0xff, l -> !l.isEmpty()); }
            default -> {
                int i = randomLine(r, ls, row);
                String[] f = ls.get(i).split(",", -1);
                double hi = Double.parseDouble(f[3]);
                f[1] = String.valueOf((long) (hi * 2 + 1));
                ls.set(i, String.join(",", f));
            }
        }
        return String.join("\n", ls).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] badReplay(SplittableRandom r) {
        List<String> ls = lines(replay);
        java.util.function.Predicate<String> fact = l -> !l.isEmpty() && !l.startsWith("#");
        switch (r.nextInt(14)) {
            case 0 -> ls.removeIf(l -> l.equals("end"));
            case 1 -> ls.removeIf(l -> l.startsWith("format "));
            case 2 -> ls.replaceAll(l -> l.startsWith("format ") ? "format " + new String[] {"1", "3", "x", "2.0"}[r.nextInt(4)] : l);
            case 3 -> ls.add(1 + r.nextInt(ls.size() - 2), junk(r).replace(" ", "") + " 1");
            case 4 -> { int i = randomLine(r, ls, l -> l.startsWith("knob ")); ls.set(i, ls.get(i).substring(0, ls.get(i).indexOf('=') + 1) + junk(r)); }
            case 5 -> ls.replaceAll(l -> l.startsWith("vms ") ? "vms " + new String[] {"0", "99", "x", "-1"}[r.nextInt(4)] : l);
            case 6 -> ls.replaceAll(l -> l.startsWith("seed ") ? "seed " + junk(r) : l);
            case 7 -> ls.replaceAll(l -> l.startsWith("preemptions ") ? "preemptions -" + r.nextInt(2, 100) : l);
            case 8 -> ls.replaceAll(l -> l.startsWith("platform ") ? "platform " + junk(r).replace(" ", "") : l);
            case 9 -> { int i = randomLine(r, ls, l -> l.startsWith("action ")); ls.set(i, "action " + junk(r)); }
            case 10 -> { int i = randomLine(r, ls, fact); ls.add(i + 1, ls.get(i).startsWith("action") || ls.get(i).startsWith("set") ? "strategy x" : ls.get(i)); if (ls.get(i).startsWith("end")) ls.add("vms 1"); }
            case 11 -> ls.add(ls.lastIndexOf("end") + 1, "action guest0 BIND");
            case 12 -> { return withByte(replay, r, r.nextBoolean() ? (byte) 0 : (byte) 0xff, l -> !l.isEmpty()); }
            default -> { int cut = randomLine(r, ls, fact); return String.join("\n", ls.subList(0, cut)).getBytes(StandardCharsets.UTF_8); }
        }
        return String.join("\n", ls).getBytes(StandardCharsets.UTF_8);
    }

    /** A command with the options it needs to start, plus one bad argument. */
    static List<String> badArguments(SplittableRandom r, Path out) {
        String[][] base = {
            {"compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", out.toString()},
            {"check", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--out", out.toString()},
            {"trace", "--strategy", "vfio-ioctl", "--platform", "sev-tio", "--scenario", "happy-bringup"},
            {"explore", "--strategy", "iommufd-v5", "--platform", "sev-tio", "--vms", "1", "--devices", "1", "--depth", "1", "--out", out.toString()},
            {"rediscover", "--vms", "1", "--devices", "1", "--depth", "1", "--out", out.toString()},
            {"sweep", "--devices", "1", "--vms", "1", "--no-sensitivity", "--out", out.toString()},
            {"bench", "--benchmarks", "BindUnbindBench", "--forks", "1", "--iterations", "1", "--out", out.toString()},
            {"list"},
        };
        String[][] bad = {
            {"--" + junk(r).replace(" ", "")}, {"--seed", junk(r)}, {"--depth", "0"}, {"--depth", junk(r)},
            {"--time", "5 parsecs"}, {"--time", "-3s"}, {"--platform", junk(r)}, {"--platforms", "sev-tio," + junk(r)},
            {"--strategy", junk(r)}, {"--strategies", "iommufd-v5," + junk(r)}, {"--scenario", junk(r)}, {"--scenarios", junk(r) + "*"},
            {"--set", junk(r)}, {"--set", junk(r).replace(" ", "") + "=on"}, {"--set", "bind.entry=" + junk(r)}, {"--mode", junk(r)},
            {"--progress", junk(r)}, {"--devices", "0"}, {"--vms", "9"}, {"--fault", junk(r)}, {"--benchmarks", junk(r)},
            {"--error-share", "-1"}, {"--max-states", "-" + r.nextInt(1, 1000)}, {"--walks", "-1"}, {"--preemptions", "-2"},
            {"--exact-states", "-5"}, {"--costs", out.resolveSibling("no-such-costs.csv").toString()},
            {"--strategies-dir", out.resolveSibling("no-such-dir").toString()}, {"--out", out.resolveSibling("a-file").toString()},
            {"--start-jitter", "-1"}, {"--forks", "0"}, {"--iterations", "0"}, {junk(r).replace(" ", "")},
        };
        String[] b = base[r.nextInt(base.length)];
        List<String> args = new ArrayList<>(List.of(b));
        String[] x = bad[r.nextInt(bad.length)];
        int at = 1 + r.nextInt(args.size());
        // Insert at an option boundary: never between an option and its value.
        while (at < args.size() && !args.get(at).startsWith("--")) at++;
        args.addAll(at, List.of(x));
        return args;
    }

    // ---- the contract ----

    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) return m;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    private static void assertOneLineExit2NothingWritten(List<String> args, Path work, Path out) throws IOException {
        Map<String, String> before = snapshot(work);
        boolean scratch = Files.exists(Path.of("tdisp-out"));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        String shown = String.join(" ", args).replace("\0", "\\0");
        assertEquals(2, r.code(), () -> shown + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        assertEquals(1, r.err().lines().count(), () -> shown + ": stderr must be one line:\n" + r.err());
        assertTrue(r.err().startsWith("tdisp: "), r.err());
        assertEquals("", r.out(), shown);
        assertFalse(Files.exists(out), () -> shown + ": " + out + " created");
        assertEquals(before, snapshot(work), () -> shown + ": files created or changed");
        assertEquals(scratch, Files.exists(Path.of("tdisp-out")), shown + ": tdisp-out/ created");
    }

    private static Stream<DynamicTest> files(String kind, int n, Function<SplittableRandom, byte[]> gen,
                                             Function<Path, List<String>> command, String fileName) {
        SplittableRandom r = new SplittableRandom(SEED + kind.hashCode());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] content = gen.apply(r);
            int k = i;
            tests.add(DynamicTest.dynamicTest(kind + " " + k, () -> {
                Path work = Files.createDirectories(tmp.resolve(kind + "-" + k));
                Path f = Files.createDirectories(work.resolve("in")).resolve(fileName);
                Files.write(f, content);
                Path out = work.resolve("out");
                List<String> args = new ArrayList<>(command.apply(f));
                args.add("--out");
                args.add(out.toString());
                if (args.get(0).equals("replay") || args.get(0).equals("list")) args.subList(args.size() - 2, args.size()).clear();
                assertOneLineExit2NothingWritten(args, work, out);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> malformedDescriptors() {
        return files("descriptor", PER_FILE_KIND, Issue13FuzzTest::badDescriptor,
                f -> List.of("list", "--strategies-dir", f.getParent().toString()), "iommufd-v5.desc");
    }

    @TestFactory
    Stream<DynamicTest> malformedCostTables() {
        return files("costs", PER_FILE_KIND, Issue13FuzzTest::badCostTable,
                f -> List.of("compare", "--strategies", "vfio-ioctl", "--scenarios", "happy-bringup", "--costs", f.toString()), "costs.csv");
    }

    @TestFactory
    Stream<DynamicTest> malformedReplayFiles() {
        return files("replay", PER_FILE_KIND, Issue13FuzzTest::badReplay, f -> List.of("replay", f.toString()), "x.replay");
    }

    @TestFactory
    Stream<DynamicTest> malformedArgumentLists() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED);
        Path work = Files.createDirectories(tmp.resolve("args"));
        Files.writeString(work.resolve("a-file"), "not a directory\n");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < ARGUMENT_LISTS; i++) {
            Path out = work.resolve("out");
            List<String> args = badArguments(r, out);
            tests.add(DynamicTest.dynamicTest("args " + i + ": " + String.join(" ", args), () -> assertOneLineExit2NothingWritten(args, work, out)));
        }
        return tests.stream();
    }
}
