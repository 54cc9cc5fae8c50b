package tdisp.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.calibrate.Calibration;
import tdisp.calibrate.HostInfo;
import tdisp.calibrate.RoutingDelta;
import tdisp.cost.CostTable;

/** calibrate.txt: measured rows beside the estimates, the figures behind them, the routing delta; 72 columns. */
public final class CalibrationReport {
    private CalibrationReport() {}

    public static String text(Calibration.Result r, CostTable base, HostInfo host, String how, List<RoutingDelta.Line> delta, Path table,
            Map<String, Calibration.Score> wall, Map<String, Calibration.Score> cpu) {
        StringBuilder sb = new StringBuilder();
        sb.append("tdisp calibrate: host costs measured with JMH\n");
        wrap(sb, "run: " + how);
        wrap(sb, "host: " + host.cpuModel() + ", Linux " + host.kernel() + ", " + host.kvmModule());
        wrap(sb, "nested: " + (host.nested() ? "yes" : "no") + " (" + host.nestedEvidence() + "); load average at start " + host.loadAverage());
        Calibration.Figure instr = r.figures().stream().filter(f -> f.name().startsWith("real-mode")).findFirst().orElseThrow();
        wrap(sb, "guest code: " + (r.emulatedGuest() ? "emulated by KVM" : "run natively") + String.format(Locale.ROOT, " (%.1f ns per real-mode instruction)", instr.value()));
        sb.append(String.format(Locale.ROOT, "%n%-26s%10s %9s %7s %8s%n", "row (ns; uaccess ns/KiB)", "measured", "+-", "err", "estimate"));
        for (Calibration.Measured m : r.rows()) {
            Calibration.Figure f = m.figure();
            boolean none = Double.isNaN(f.error());
            sb.append(String.format(Locale.ROOT, "%-26s%10.1f %9s %7s %8.0f%s%n", m.row().name(), m.row().dflt(), none ? "n/a" : String.format(Locale.ROOT, "%.1f", f.error()),
                    none ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * f.relativeError()), base.rows().get(m.row().name()).dflt(),
                    !none && !f.withinBound() ? " >5%" : ""));
        }
        sb.append(String.format(Locale.ROOT, "%n%-40s%10s %10s%n", "figure", "ns", "+-"));
        for (Calibration.Figure f : r.figures()) {
            sb.append(String.format(Locale.ROOT, "%-40s%10.1f %10s%n", f.name(), f.value(), Double.isNaN(f.error()) ? "n/a" : String.format(Locale.ROOT, "%.1f", f.error())));
        }
        sb.append(String.format(Locale.ROOT, "%n%-36s%11s%8s%9s%8s%n", "benchmark (ns/op)", "wall", "+-", "CPU", "+-"));
        for (Map.Entry<String, Calibration.Score> e : wall.entrySet()) {
            Calibration.Score c = cpu.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "%-36s%11.1f%8s%9.1f%8s%n", e.getKey(), e.getValue().ns(), err(e.getValue()), c.ns(), err(c)));
        }
        sb.append("\nmodeled routing delta over one TDI bring-up, minus kvm-direct\n");
        // columns as wide as the longest id, a space apart: "iommufd-typed-op" ran into its platform
        int sw = "strategy".length(), pw = "platform".length();
        for (RoutingDelta.Line l : delta) {
            sw = Math.max(sw, l.strategy().length());
            pw = Math.max(pw, l.platform().length());
        }
        String head = "%-" + (sw + 1) + "s%-" + (pw + 1) + "s";
        sb.append(String.format(Locale.ROOT, head + "%10s%10s%9s%7s%n", "strategy", "platform", "estim. us", "meas. us", "+user ex", "+ioctl"));
        boolean incomplete = false;
        for (RoutingDelta.Line l : delta) {
            if (!l.complete()) {
                // a bring-up that never reaches RUN has no latency to compare: not a measurement
                incomplete = true;
                sb.append(String.format(Locale.ROOT, head + "%10s%10s%9s%7s%n", l.strategy(), l.platform(), "n/a", "n/a", "-", "-"));
                continue;
            }
            sb.append(String.format(Locale.ROOT, head + "%10s%10s%9d%7d%n", l.strategy(), l.platform(), fit(l.estimatedNs() / 1000.0, 9),
                    fit(l.measuredNs() / 1000.0, 9), l.extraUserExits(), l.extraIoctls()));
        }
        if (incomplete) sb.append("n/a: the bring-up never reaches RUN on that platform (see compare)\n");
        sb.append('\n');
        wrap(sb, "notes: rows are CPU time per op (wall-clock includes waiting for a core on a shared host) minus the JNA call; errors are 99.9% half-widths in quadrature. Why a row is off: see its source column in "
                + table.getFileName() + ". Use it: ./tdisp compare --costs " + table + (host.nested() ? " (rows graded measured-nested are not multiplied again by --nested)" : ""));
        return sb.toString();
    }

    /** Two decimals, fewer when the value is wide, and a power of ten past {@code w} characters. */
    static String fit(double v, int w) {
        for (String f : new String[] {"%.2f", "%.1f", "%.0f"}) {
            String t = String.format(Locale.ROOT, f, v);
            if (t.length() <= w) return t;
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String err(Calibration.Score s) {
        return Double.isNaN(s.error()) ? "n/a" : String.format(Locale.ROOT, "%.1f", s.error());
    }

    /** Word-wraps one logical line at 72 columns. */
    private static void wrap(StringBuilder sb, String line) {
        StringBuilder cur = new StringBuilder();
        for (String w : line.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + w.length() > 72) {
                sb.append(cur).append('\n');
                cur.setLength(0);
                cur.append("  ");
            }
            if (cur.length() > 0 && !cur.toString().equals("  ")) cur.append(' ');
            cur.append(w);
        }
        sb.append(cur).append('\n');
    }
}
