package tdisp.calibrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tdisp.cost.CostTable;

/**
 * Turns the calibration benchmarks' JMH scores into cost-table rows. Each row is a fixed
 * linear combination of scores (the JNA call subtracted everywhere), so its error is the
 * scores' 99.9% half-widths added in quadrature. The rows are the ones the routing delta
 * charges (CostModel): {@code kvm.exit_to_user.extra}, {@code ioctl.roundtrip},
 * {@code uaccess.copy}, plus {@code vmexit.roundtrip.inkernel} and
 * {@code syscall.roundtrip} for reading them against.
 */
public final class Calibration {
    /** Above this relative error a row says why. */
    public static final double ERROR_BOUND = 0.05;
    /** Above this per-instruction cost the guest's code was not run natively but emulated. */
    static final double EMULATED_NS_PER_INSTRUCTION = 20;
    /** Non-exiting instructions per turn of the BUSY loop (xor, dec, jnz). */
    static final int BUSY_INSTRUCTIONS = 3;

    public static final String NULL_CALL = "NativeCallBench.jnaNullCall";
    public static final String GETPPID = "NativeCallBench.getppidSyscall";
    public static final String IOCTL = "IoctlBench.kvmGetApiVersion";
    public static final String CPUID = "KvmExitBench.cpuidExitInKernel";
    public static final String BUSY = "KvmExitBench.loopWithoutExit";
    public static final String OUT = "KvmExitBench.exitToUserspaceAndBack";
    public static final String WRITE_SMALL = "UserCopyBench.copyFromUser:64";
    public static final String WRITE_PAGE = "UserCopyBench.copyFromUser:4096";
    public static final String READ_SMALL = "UserCopyBench.copyToUser:64";
    public static final String READ_PAGE = "UserCopyBench.copyToUser:4096";
    public static final String WRITE_LARGE = "UserCopyBench.copyFromUser:65536";
    public static final String READ_LARGE = "UserCopyBench.copyToUser:65536";
    public static final List<String> BENCHMARKS = List.of(NULL_CALL, GETPPID, IOCTL, CPUID, BUSY, OUT, WRITE_SMALL, WRITE_PAGE, WRITE_LARGE,
            READ_SMALL, READ_PAGE, READ_LARGE);

    /** The uaccess.copy slope runs from 64 bytes to 64 KiB. */
    private static final double KIB_BETWEEN_SIZES = (65536 - 64) / 1024.0;

    private Calibration() {}

    /** A JMH average-time score in ns and its 99.9% confidence half-width. */
    public record Score(double ns, double error) {}

    private record Term(double coef, String key) {}

    /** One derived figure: value, error, and how it was computed from which scores. */
    public record Figure(String name, double value, double error, String formula, String noisiest) {
        public double relativeError() { return value == 0 ? Double.POSITIVE_INFINITY : error / Math.abs(value); }

        public boolean withinBound() { return relativeError() <= ERROR_BOUND; }
    }

    /** A measured cost row and the figure behind it. */
    public record Measured(CostTable.Row row, Figure figure, String note) {}

    public record Result(List<Measured> rows, List<Figure> figures, boolean emulatedGuest) {}

    private static Figure combine(String name, Map<String, Score> s, Term... terms) {
        double v = 0, var = 0, worst = -1;
        String noisiest = "";
        StringBuilder f = new StringBuilder();
        for (Term t : terms) {
            Score sc = s.get(t.key());
            if (sc == null) throw new IllegalArgumentException("no JMH score for " + t.key());
            double e = sc.error(); // NaN (too few iterations for JMH to give one) stays NaN
            v += t.coef() * sc.ns();
            double part = t.coef() * t.coef() * e * e;
            var += part;
            if (part > worst) {
                worst = part;
                noisiest = String.format(Locale.ROOT, "%s (+- %.1f, %.1f%% of its score)", t.key(), e, 100 * e / sc.ns());
            }
            if (f.length() > 0 || t.coef() < 0) f.append(t.coef() < 0 ? " - " : " + ");
            double c = Math.abs(t.coef());
            if (c != 1) f.append(String.format(Locale.ROOT, "%.4g", c)).append(" x ");
            f.append(t.key()).append(' ').append(fmt(sc.ns())).append(" +- ").append(fmt(e));
        }
        return new Figure(name, v, Math.sqrt(var), f.toString(), noisiest);
    }

    /**
     * Derives the measured rows from scores keyed {@code Class.method} (and
     * {@code :bytes} for UserCopyBench). {@code base} supplies each row's unit and
     * applies_to; {@code how} (version and JMH knobs) and {@code host} go into its source.
     */
    public static Result derive(Map<String, Score> s, CostTable base, HostInfo host, String how) {
        double k = 1 / (2 * KIB_BETWEEN_SIZES);
        Figure busyPerInstr = combine("real-mode instruction without exit", s, new Term(1.0 / BUSY_INSTRUCTIONS, BUSY));
        boolean emulated = busyPerInstr.value() > EMULATED_NS_PER_INSTRUCTION;
        Map<String, Figure> rows = new LinkedHashMap<>();
        rows.put("vmexit.roundtrip.inkernel", combine("vmexit.roundtrip.inkernel", s, new Term(1, CPUID), new Term(-1, BUSY)));
        rows.put("kvm.exit_to_user.extra", combine("kvm.exit_to_user.extra", s, new Term(1, OUT), new Term(-1, NULL_CALL),
                new Term(-1, CPUID), new Term(1 - 1.0 / BUSY_INSTRUCTIONS, BUSY)));
        rows.put("ioctl.roundtrip", combine("ioctl.roundtrip", s, new Term(1, IOCTL), new Term(-1, NULL_CALL)));
        rows.put("syscall.roundtrip", combine("syscall.roundtrip", s, new Term(1, GETPPID), new Term(-1, NULL_CALL)));
        rows.put("uaccess.copy", combine("uaccess.copy", s, new Term(k, WRITE_LARGE), new Term(-k, WRITE_SMALL), new Term(k, READ_LARGE), new Term(-k, READ_SMALL)));

        List<Figure> figures = new ArrayList<>();
        figures.add(combine("JNA direct call (subtracted)", s, new Term(1, NULL_CALL)));
        figures.add(combine("KVM_RUN to userspace and back", s, new Term(1, OUT), new Term(-1, NULL_CALL)));
        figures.add(busyPerInstr);
        double page = 4096 / (4096.0 - 64);
        figures.add(combine("4 KiB copy_from_user (pwrite)", s, new Term(page, WRITE_PAGE), new Term(-page, WRITE_SMALL)));
        figures.add(combine("4 KiB copy_to_user (pread)", s, new Term(page, READ_PAGE), new Term(-page, READ_SMALL)));

        String grade = host.nested() ? CostTable.MEASURED_NESTED : CostTable.MEASURED;
        List<Measured> out = new ArrayList<>();
        for (Figure f : rows.values()) {
            CostTable.Row b = base.rows().get(f.name());
            String note = note(f, emulated, busyPerInstr, host);
            double v = Math.max(0, round1(f.value()));
            double err = Double.isNaN(f.error()) ? 0 : round1(f.error());
            String source = "tdisp calibrate (" + how + ") on " + host.describe() + "; JMH avgt, 99.9% half-widths: "
                    + f.formula() + " = " + fmt(f.value()) + " +- " + fmt(f.error()) + " " + b.unit().token()
                    + " (" + String.format(Locale.ROOT, "%.1f", 100 * f.relativeError()) + "%)" + (note.isEmpty() ? "" : "; " + note);
            CostTable.Row row = new CostTable.Row(f.name(), v, Math.max(0, round1(v - err)), round1(v + err), b.unit(), b.appliesTo(), grade, source);
            out.add(new Measured(row, f, note));
        }
        return new Result(out, figures, emulated);
    }

    private static String note(Figure f, boolean emulated, Figure busyPerInstr, HostInfo host) {
        List<String> why = new ArrayList<>();
        if (f.value() < 0) why.add("negative difference, written as 0");
        String perInstr = "guest real-mode code is emulated by this host's KVM (" + fmt(busyPerInstr.value()) + " ns per instruction)";
        if (emulated && f.name().equals("vmexit.roundtrip.inkernel")) {
            why.add(perInstr + ", so this is KVM answering CPUID in the kernel, not a hardware VM exit");
        } else if (emulated && f.name().equals("kvm.exit_to_user.extra")) {
            why.add(perInstr + "; the emulated OUT and jmp are taken off as one in-kernel exit and one instruction");
        }
        if (Double.isNaN(f.error())) {
            why.add("no error estimate: JMH gives none for fewer than 3 iterations");
        } else if (!f.withinBound()) {
            why.add(String.format(Locale.ROOT, "error %.1f%% exceeds 5%%: most of it is the spread of %s, run with load average %s on %d cores",
                    100 * f.relativeError(), f.noisiest(), host.loadAverage(), Runtime.getRuntime().availableProcessors()));
        }
        return String.join("; ", why);
    }

    /** The base table with the measured rows put in place of its estimates, in its own row order. */
    public static String table(CostTable base, List<Measured> measured) {
        Map<String, CostTable.Row> rows = new LinkedHashMap<>(base.rows());
        for (Measured m : measured) rows.put(m.row().name(), m.row());
        return CostTable.render(rows.values());
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }

    static String fmt(double v) { return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v); }
}
