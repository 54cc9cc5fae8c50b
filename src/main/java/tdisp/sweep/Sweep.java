package tdisp.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tdisp.cost.CostOptions;
import tdisp.cost.CostTable;
import tdisp.platform.Platform;
import tdisp.strategy.Strategy;

/**
 * The contention-and-scale sweep: for every strategy and platform one {@link BringUp}
 * capture, then {@link BootSim} points over (devices, VMs), then a sensitivity pass that
 * moves each cost row the recipes use to its low and its high (every other row at its
 * default) at one (devices, VMs) point and records how the strategies rank by makespan.
 * Deterministic: the same configuration gives the same report.
 */
public final class Sweep {
    /**
     * What to run. Lists are used in the order given (callers deduplicate). Built with
     * {@link #builder}: every setting but the selection has a default ({@link Builder}'s
     * constants, which the sweep command's options show too). The compact constructor checks
     * each value and names it by its setting.
     */
    public record Config(List<Strategy> strategies, List<Platform> platforms, List<Integer> devices, List<Integer> vms,
            long seed, long startJitterNs, CostOptions costs, BringUp.DoeScope doe, int sensitivityDevices,
            int sensitivityVms, boolean sensitivity, long tieNs) {
        public Config {
            strategies = List.copyOf(strategies);
            platforms = List.copyOf(platforms);
            devices = List.copyOf(devices);
            vms = List.copyOf(vms);
            if (strategies.isEmpty()) throw new IllegalArgumentException("no strategies selected");
            if (platforms.isEmpty()) throw new IllegalArgumentException("no platforms selected");
            if (devices.isEmpty()) throw new BadSetting("devices", "empty list");
            if (vms.isEmpty()) throw new BadSetting("vms", "empty list");
            for (int d : devices) checkCount("devices", d);
            for (int v : vms) checkCount("vms", v);
            checkCount("sensitivity-devices", sensitivityDevices);
            checkCount("sensitivity-vms", sensitivityVms);
            if (startJitterNs < 0) throw new BadSetting("start-jitter", "must be >= 0 ns, got " + startJitterNs);
            if (tieNs < 0) throw new BadSetting("tie-ns", "must be >= 0, got " + tieNs);
        }

        private static void checkCount(String setting, int n) {
            if (n < 1 || n > BootSim.MAX_DEVICES) throw new BadSetting(setting, n + " is out of range 1.." + BootSim.MAX_DEVICES);
        }

        /** A builder for these strategies and platforms, every other setting at its default. */
        public static Builder builder(List<Strategy> strategies, List<Platform> platforms) { return new Builder(strategies, platforms); }

        /** The defaults of the sweep command for these strategies and platforms. */
        public static Config defaults(List<Strategy> strategies, List<Platform> platforms) { return builder(strategies, platforms).build(); }
    }

    /**
     * A setting out of range, named by the setting (its builder method, in kebab case):
     * the caller names it as its user knows it (the sweep command: the option of that name).
     */
    public static final class BadSetting extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String setting;
        private final String problem;

        BadSetting(String setting, String problem) {
            super(setting + ": " + problem);
            this.setting = setting;
            this.problem = problem;
        }

        public String setting() { return setting; }

        public String problem() { return problem; }
    }

    /**
     * Builds a {@link Config}; the defaults are the sweep command's. Each default is declared
     * once, as the string its option shows (picocli takes only constant strings) or as a
     * constant the option's string is made from, and the builder's value is read from it.
     */
    public static final class Builder {
        /** {@code --devices}'s default, as the option spells it. */
        public static final String DEVICES_OPTION = "1,8,64,512,4096";
        /** {@code --vms}'s default, as the option spells it. */
        public static final String VMS_OPTION = "1,8";
        public static final List<Integer> DEVICES = counts(DEVICES_OPTION);
        public static final List<Integer> VMS = counts(VMS_OPTION);
        public static final int SENSITIVITY_DEVICES = 64;
        public static final int SENSITIVITY_VMS = 8;
        public static final long START_JITTER_NS = 0;
        /** 0: equal makespans only tie. */
        public static final long TIE_NS = 0;
        public static final long SEED = tdisp.world.WorldConfig.DEFAULT_SEED;

        private final List<Strategy> strategies;
        private final List<Platform> platforms;
        private List<Integer> devices = DEVICES;
        private List<Integer> vms = VMS;
        private long seed = SEED;
        private long startJitterNs = START_JITTER_NS;
        private CostOptions costs = CostOptions.defaults();
        private BringUp.DoeScope doe = BringUp.DoeScope.DEVICE;
        private int sensitivityDevices = SENSITIVITY_DEVICES;
        private int sensitivityVms = SENSITIVITY_VMS;
        private boolean sensitivity = true;
        private long tieNs = TIE_NS;

        private static List<Integer> counts(String option) {
            return java.util.Arrays.stream(option.split(",")).map(Integer::valueOf).toList();
        }

        private Builder(List<Strategy> strategies, List<Platform> platforms) {
            this.strategies = strategies;
            this.platforms = platforms;
        }

        public Builder devices(List<Integer> v) { devices = v; return this; }
        public Builder vms(List<Integer> v) { vms = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder startJitterNs(long v) { startJitterNs = v; return this; }
        public Builder costs(CostOptions v) { costs = v; return this; }
        public Builder doe(BringUp.DoeScope v) { doe = v; return this; }
        public Builder sensitivityDevices(int v) { sensitivityDevices = v; return this; }
        public Builder sensitivityVms(int v) { sensitivityVms = v; return this; }
        public Builder sensitivity(boolean v) { sensitivity = v; return this; }
        public Builder tieNs(long v) { tieNs = v; return this; }

        public Config build() {
            return new Config(strategies, platforms, devices, vms, seed, startJitterNs, costs, doe, sensitivityDevices, sensitivityVms,
                    sensitivity, tieNs);
        }
    }

    /** One CSV row: a point, or one strategy's result in a sensitivity run (costRow null = the default table). */
    public record Row(String kind, String strategy, Platform platform, int devices, int vms, BootSim.Result result,
            String costRow, Double costValue, Ranking ranking) {}

    /**
     * Strategies by makespan, fastest first; each group holds the ids (sorted) whose
     * makespan is within {@code tieNs} of the group's fastest (0: equal makespans only).
     * {@code spreadNs} is slowest minus fastest; it is not part of equality.
     */
    public record Ranking(List<List<String>> groups, long spreadNs) {
        public static Ranking of(Map<String, Long> makespans, long tieNs) {
            List<Map.Entry<String, Long>> order = new ArrayList<>(makespans.entrySet());
            order.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            List<List<String>> g = new ArrayList<>();
            List<String> cur = new ArrayList<>();
            long first = 0;
            for (var e : order) {
                if (!cur.isEmpty() && e.getValue() - first > tieNs) {
                    g.add(cur.stream().sorted().toList());
                    cur = new ArrayList<>();
                }
                if (cur.isEmpty()) first = e.getValue();
                cur.add(e.getKey());
            }
            if (!cur.isEmpty()) g.add(cur.stream().sorted().toList());
            long spread = order.isEmpty() ? 0 : order.get(order.size() - 1).getValue() - order.get(0).getValue();
            return new Ranking(List.copyOf(g), spread);
        }

        @Override
        public boolean equals(Object o) { return o instanceof Ranking r && r.groups.equals(groups); }

        @Override
        public int hashCode() { return groups.hashCode(); }

        /** e.g. {@code kvm-direct<iommufd-rfc-v2=iommufd-v5<vfio-ioctl}. */
        public String render(java.util.function.Function<String, String> label) {
            StringBuilder sb = new StringBuilder();
            for (List<String> grp : groups) {
                if (sb.length() > 0) sb.append('<');
                for (int i = 0; i < grp.size(); i++) {
                    if (i > 0) sb.append('=');
                    sb.append(label.apply(grp.get(i)));
                }
            }
            return sb.toString();
        }

        @Override
        public String toString() { return render(s -> s); }
    }

    /** A cost row whose low or high changes the ranking on a platform. */
    public record Finding(Platform platform, String costRow, String end, double value, Ranking ranking) {}

    /**
     * Everything the sweep found. {@code rowsMoved}: per platform, the cost rows that change
     * some recipe. {@code notSwept}: strategy-platform pairs whose bring-up never reaches
     * secure DMA, with why; they have no rows (a failed bring-up has no makespan to compare).
     */
    public record Report(Config config, List<Row> points, List<Row> sensitivity, Map<Platform, Ranking> defaultRanking,
            Map<Platform, List<String>> rowsMoved, List<Finding> findings, List<String> notSwept) {
        public boolean swept(String strategy, Platform p) {
            return points.stream().anyMatch(x -> x.platform() == p && x.strategy().equals(strategy));
        }
    }

    private Sweep() {}

    public static Report run(Config c) {
        return run(c, (done, total) -> { });
    }

    /** Progress of a sweep: simulations done of the total (known once the captures are made). */
    public interface Steps {
        void step(int done, int total);
    }

    /** As {@link #run(Config)}, reporting each boot simulation (the wall clock never enters). */
    public static Report run(Config c, Steps steps) {
        Map<String, BringUp> captures = new LinkedHashMap<>();
        List<String> notSwept = new ArrayList<>();
        for (Platform p : c.platforms()) {
            for (Strategy s : c.strategies()) {
                try {
                    captures.put(key(s.id(), p), BringUp.capture(s, p, c.seed(), c.costs(), c.doe()));
                } catch (BringUp.Incomplete e) {
                    notSwept.add(e.getMessage());
                }
            }
        }
        Map<String, Recipe> base = recipes(captures, c.costs());
        int total = c.platforms().size() * c.devices().size() * c.vms().size()
                + (c.sensitivity() ? c.platforms().size() * (1 + 2 * c.costs().table().rows().size()) : 0);
        int[] done = {0};
        List<Row> points = new ArrayList<>();
        for (Platform p : c.platforms()) {
            for (int n : c.devices()) {
                for (int m : c.vms()) {
                    for (Strategy s : c.strategies()) {
                        if (!base.containsKey(key(s.id(), p))) continue;
                        BootSim.Result r = BootSim.run(base.get(key(s.id(), p)), n, m, c.seed(), c.startJitterNs());
                        points.add(new Row("point", s.id(), p, n, m, r, null, null, null));
                    }
                    steps.step(++done[0], total);
                }
            }
        }
        List<Row> sens = new ArrayList<>();
        Map<Platform, Ranking> defaults = new LinkedHashMap<>();
        Map<Platform, List<String>> moved = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        if (c.sensitivity()) {
            CostTable table = c.costs().table();
            for (Platform p : c.platforms()) {
                Ranking dflt = sensitivityRun(c, p, base, null, null, sens);
                steps.step(++done[0], total);
                defaults.put(p, dflt);
                List<String> used = new ArrayList<>();
                for (CostTable.Row row : table.rows().values()) {
                    double[] values = {row.low(), row.high()};
                    List<Map<String, Recipe>> moves = new ArrayList<>();
                    boolean changes = false;
                    for (double v : values) {
                        CostOptions o = new CostOptions(table.with(row.name(), v), c.costs().nested(), c.costs().ibpb());
                        Map<String, Recipe> rs = recipes(captures, o, p);
                        for (var e : rs.entrySet()) changes |= !e.getValue().sameSegments(base.get(e.getKey()));
                        moves.add(rs);
                    }
                    if (!changes) {
                        done[0] += 2;
                        steps.step(done[0], total);
                        continue;
                    }
                    used.add(row.name());
                    for (int i = 0; i < values.length; i++) {
                        Ranking rk = sensitivityRun(c, p, moves.get(i), row.name(), values[i], sens);
                        if (!rk.equals(dflt)) findings.add(new Finding(p, row.name(), i == 0 ? "low" : "high", values[i], rk));
                        steps.step(++done[0], total);
                    }
                }
                moved.put(p, List.copyOf(used));
            }
        }
        return new Report(c, List.copyOf(points), List.copyOf(sens), defaults, moved, List.copyOf(findings), List.copyOf(notSwept));
    }

    /** Runs every strategy at the sensitivity point with these recipes; appends rows; returns the ranking. */
    private static Ranking sensitivityRun(Config c, Platform p, Map<String, Recipe> recipes, String row, Double value, List<Row> out) {
        Map<String, BootSim.Result> res = new LinkedHashMap<>();
        Map<String, Long> makespans = new LinkedHashMap<>();
        for (Strategy s : c.strategies()) {
            if (!recipes.containsKey(key(s.id(), p))) continue;
            BootSim.Result r = BootSim.run(recipes.get(key(s.id(), p)), c.sensitivityDevices(), c.sensitivityVms(), c.seed(), c.startJitterNs());
            res.put(s.id(), r);
            makespans.put(s.id(), r.makespanNs());
        }
        Ranking rk = Ranking.of(makespans, c.tieNs());
        for (var e : res.entrySet()) {
            out.add(new Row("sensitivity", e.getKey(), p, c.sensitivityDevices(), c.sensitivityVms(), e.getValue(), row, value, rk));
        }
        return rk;
    }

    private static Map<String, Recipe> recipes(Map<String, BringUp> captures, CostOptions o) {
        Map<String, Recipe> out = new LinkedHashMap<>();
        captures.forEach((k, b) -> out.put(k, b.recipe(o)));
        return out;
    }

    private static Map<String, Recipe> recipes(Map<String, BringUp> captures, CostOptions o, Platform p) {
        Map<String, Recipe> out = new LinkedHashMap<>();
        captures.forEach((k, b) -> {
            if (b.platform() == p) out.put(k, b.recipe(o));
        });
        return out;
    }

    static String key(String strategy, Platform p) { return strategy + "|" + p.id(); }
}
