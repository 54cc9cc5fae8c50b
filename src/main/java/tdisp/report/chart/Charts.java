package tdisp.report.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleFunction;

/**
 * The report's charts as SVG: horizontal bars with a range whisker (modeled latency with the
 * cost table's low..high, bench ratios with error bars), log-log lines (sweep makespan
 * against device count) and swing bars (the sensitivity ranking). Each takes panels of
 * plain values, so a chart is drawn the same way whether the numbers were run or read.
 */
public final class Charts {
    private static final double PAD = 10;
    private static final double ROW = 18;
    private static final double PLOT_W = 360;
    private static final String AXIS = "#555";
    private static final String GRID = "#ddd";
    private static final String WHISKER = "#222";

    private Charts() {}

    /** One bar: a value and, unless NaN, a range drawn as a whisker; the note follows the value. */
    public record Bar(String label, double value, double low, double high, String note, int series) {
        /** Coloured by its row. */
        public Bar(String label, double value, double low, double high, String note) { this(label, value, low, high, note, -1); }
    }

    public record BarPanel(String name, List<Bar> bars) {
        public BarPanel { bars = List.copyOf(bars); }
    }

    /** One line of a line chart: points sorted by x. */
    public record Series(String label, double[] xs, double[] ys, int series) {
        /** Coloured by its place in the legend. */
        public Series(String label, double[] xs, double[] ys) { this(label, xs, ys, -1); }
    }

    public record LinePanel(String name, List<Series> series) {
        public LinePanel { series = List.copyOf(series); }
    }

    /** One cost row moved to its low and to its high end: the value at each end. */
    public record Swing(String label, double low, double high, String note) {}

    public record SwingPanel(String name, double base, List<Swing> rows) {
        public SwingPanel { rows = List.copyOf(rows); }
    }

    /**
     * Bars from zero with whiskers; a panel per group, each with its own scale.
     *
     * @param ref a value to mark with a dashed line in every panel (1.0 for ratios), or NaN
     */
    public static String rangeBars(String title, String axis, List<BarPanel> panels, double ref, DoubleFunction<String> fmt) {
        return rangeBars(title, axis, panels, ref, fmt, false);
    }

    /**
     * As above; with {@code log} the axis is logarithmic (decades), for ranges that span
     * orders of magnitude, and bars start at the axis' first decade.
     */
    public static String rangeBars(String title, String axis, List<BarPanel> panels, double ref, DoubleFunction<String> fmt, boolean log) {
        int labelChars = 0, noteChars = 0;
        for (BarPanel p : panels) {
            labelChars = Math.max(labelChars, p.name().length() - 2);
            for (Bar b : p.bars()) {
                labelChars = Math.max(labelChars, b.label().length());
                noteChars = Math.max(noteChars, valueNote(b, fmt).length());
            }
        }
        double x0 = PAD + Svg.textWidth(labelChars) + PAD;
        double width = x0 + PLOT_W + PAD + Svg.textWidth(Math.max(noteChars, axis.length() / 2)) + PAD;
        width = Math.max(width, PAD * 2 + Svg.textWidth(title));
        double height = 30;
        for (BarPanel p : panels) height += ROW * (p.bars().size() + 3);
        height += ROW;
        Svg svg = new Svg(width, height, title);
        svg.bold(PAD, 20, "start", title);
        double y = 30;
        for (BarPanel p : panels) {
            double max = Double.isNaN(ref) ? 0 : ref, min = Double.MAX_VALUE;
            for (Bar b : p.bars()) {
                max = Math.max(max, Math.max(b.value(), Double.isNaN(b.high()) ? 0 : b.high()));
                min = Math.min(min, Math.min(b.value(), Double.isNaN(b.low()) ? b.value() : b.low()));
            }
            Scale sc = log ? Scale.log(min, max, x0) : Scale.linear(nice(max), x0);
            svg.bold(PAD, y + 14, "start", p.name());
            y += ROW;
            double top = y;
            for (int i = 0; i < p.bars().size(); i++) {
                Bar b = p.bars().get(i);
                double cy = y + ROW / 2;
                svg.text(x0 - PAD, cy + 4, "end", "#000", b.label());
                svg.rect(x0, y + 3, sc.x(b.value()) - x0, ROW - 6, Svg.series(b.series() < 0 ? i : b.series()), "");
                double right = b.value();
                if (!Double.isNaN(b.low()) && !Double.isNaN(b.high())) {
                    double lo = sc.x(b.low()), hi = sc.x(b.high());
                    svg.line(lo, cy, hi, cy, WHISKER, 1.5);
                    svg.line(lo, cy - 5, lo, cy + 5, WHISKER, 1.5);
                    svg.line(hi, cy - 5, hi, cy + 5, WHISKER, 1.5);
                    right = Math.max(right, b.high());
                }
                svg.text(sc.x(right) + 6, cy + 4, "start", "#000", valueNote(b, fmt));
                y += ROW;
            }
            if (!Double.isNaN(ref)) svg.dashed(sc.x(ref), top, sc.x(ref), y, AXIS);
            svg.line(x0, y, x0 + PLOT_W, y, AXIS, 1);
            double lastRight = Double.NEGATIVE_INFINITY;
            for (double v : sc.ticks()) {
                double x = sc.x(v);
                svg.line(x, y, x, y + 4, AXIS, 1);
                // Many decades make long labels: keep a tick's mark but drop a label that would run into the previous one.
                String label = fmt.apply(v);
                double half = Svg.textWidth(label.length()) / 2;
                if (x - half < lastRight + 4) continue;
                svg.text(x, y + 16, "middle", AXIS, label);
                lastRight = x + half;
            }
            svg.text(x0 + PLOT_W, y + 30, "end", AXIS, axis);
            y += ROW * 2;
        }
        return svg.render();
    }

    private static String valueNote(Bar b, DoubleFunction<String> fmt) {
        String s = fmt.apply(b.value());
        if (!Double.isNaN(b.low()) && !Double.isNaN(b.high())) s += " [" + fmt.apply(b.low()) + ".." + fmt.apply(b.high()) + "]";
        return b.note().isEmpty() ? s : s + " " + b.note();
    }

    /** Value to x: linear from 0 to max, or log10 over whole decades. */
    private record Scale(boolean log, double lo, double hi, double x0) {
        static Scale linear(double max, double x0) { return new Scale(false, 0, max, x0); }

        static Scale log(double min, double max, double x0) {
            double lo = Math.floor(Math.log10(Math.max(min, 1e-9))), hi = Math.max(Math.ceil(Math.log10(Math.max(max, 1e-9))), lo + 1);
            return new Scale(true, lo, hi, x0);
        }

        double x(double v) {
            double f = log ? (Math.log10(Math.max(v, Math.pow(10, lo))) - lo) / (hi - lo) : Math.max(0, v) / hi;
            return x0 + f * PLOT_W;
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) for (double d = lo; d <= hi; d++) t.add(Math.pow(10, d));
            else for (int i = 0; i <= 4; i++) t.add(hi * i / 4);
            return t;
        }
    }

    /** Log-log lines, a panel per group; one legend below for the series of every panel. */
    public static String lines(String title, String xAxis, String yAxis, List<LinePanel> panels, DoubleFunction<String> fmt) {
        double plotH = 180, left = PAD + Svg.textWidth(9) + PAD;
        List<String> legend = new ArrayList<>();
        java.util.Map<String, Integer> colour = new java.util.HashMap<>();
        for (LinePanel p : panels) {
            for (Series s : p.series()) {
                if (legend.contains(s.label())) continue;
                colour.put(s.label(), s.series() < 0 ? legend.size() : s.series());
                legend.add(s.label());
            }
        }
        int legendChars = legend.stream().mapToInt(String::length).max().orElse(0);
        double width = Math.max(left + PLOT_W + PAD * 3 + Svg.textWidth(legendChars) + 30, PAD * 2 + Svg.textWidth(title));
        double height = 30 + panels.size() * (plotH + ROW * 5) + ROW * 2;
        Svg svg = new Svg(width, height, title);
        svg.bold(PAD, 20, "start", title);
        double y = 30;
        for (LinePanel p : panels) {
            TreeSet<Double> xs = new TreeSet<>();
            double ymin = Double.MAX_VALUE, ymax = 0;
            for (Series s : p.series()) {
                for (int i = 0; i < s.xs().length; i++) {
                    if (s.xs()[i] <= 0 || s.ys()[i] <= 0) throw new IllegalArgumentException("log chart needs positive values: " + s.label());
                    xs.add(s.xs()[i]);
                    ymin = Math.min(ymin, s.ys()[i]);
                    ymax = Math.max(ymax, s.ys()[i]);
                }
            }
            svg.bold(PAD, y + 14, "start", p.name());
            double top = y + ROW * 2 + 6;
            if (xs.isEmpty()) {
                svg.text(left, top + 20, "start", AXIS, "no points");
                y += plotH + ROW * 5;
                continue;
            }
            double lx0 = Math.log(xs.first()), lx1 = Math.max(Math.log(xs.last()), lx0 + 1e-9);
            double ly0 = Math.floor(Math.log10(ymin)), ly1 = Math.max(Math.ceil(Math.log10(ymax)), ly0 + 1);
            java.util.function.DoubleUnaryOperator fx = v -> left + (Math.log(v) - lx0) / (lx1 - lx0) * PLOT_W;
            java.util.function.DoubleUnaryOperator fy = v -> top + plotH - (Math.log10(v) - ly0) / (ly1 - ly0) * plotH;
            for (double d = ly0; d <= ly1; d++) {
                double v = Math.pow(10, d), yy = fy.applyAsDouble(v);
                svg.line(left, yy, left + PLOT_W, yy, GRID, 1);
                svg.text(left - 6, yy + 4, "end", AXIS, fmt.apply(v));
            }
            for (double x : xs) {
                double xx = fx.applyAsDouble(x);
                svg.line(xx, top + plotH, xx, top + plotH + 4, AXIS, 1);
                svg.text(xx, top + plotH + 16, "middle", AXIS, plain(x));
            }
            svg.line(left, top + plotH, left + PLOT_W, top + plotH, AXIS, 1);
            svg.line(left, top, left, top + plotH, AXIS, 1);
            for (Series s : p.series()) {
                String c = Svg.series(colour.get(s.label()));
                double[] px = new double[s.xs().length], py = new double[s.xs().length];
                for (int i = 0; i < px.length; i++) {
                    px[i] = fx.applyAsDouble(s.xs()[i]);
                    py[i] = fy.applyAsDouble(s.ys()[i]);
                }
                svg.polyline(px, py, c);
                for (int i = 0; i < px.length; i++) svg.circle(px[i], py[i], 3, c);
            }
            svg.text(left + PLOT_W, top + plotH + 32, "end", AXIS, xAxis);
            svg.text(left, top - 10, "start", AXIS, yAxis);
            y += plotH + ROW * 5;
        }
        double lx = left + PLOT_W + PAD * 2, ly = 30 + ROW * 2 + 6;
        for (int i = 0; i < legend.size(); i++) {
            svg.rect(lx, ly + i * ROW, 12, 12, Svg.series(colour.get(legend.get(i))), "");
            svg.text(lx + 18, ly + i * ROW + 11, "start", "#000", legend.get(i));
        }
        // equal makespans draw one line over another: say so rather than offset them
        svg.text(lx, ly + legend.size() * ROW + 11, "start", AXIS, "(later lines cover");
        svg.text(lx, ly + legend.size() * ROW + 25, "start", AXIS, "equal earlier ones)");
        return svg.render();
    }

    /**
     * Swing bars: per row, from the panel's base value to the value at the row's low end
     * (upper half) and at its high end (lower half).
     */
    public static String tornado(String title, String axis, List<SwingPanel> panels, DoubleFunction<String> fmt) {
        int labelChars = 0, noteChars = 0;
        for (SwingPanel p : panels) {
            labelChars = Math.max(labelChars, p.name().length() - 2);
            for (Swing s : p.rows()) {
                labelChars = Math.max(labelChars, s.label().length());
                noteChars = Math.max(noteChars, swingNote(s, fmt).length());
            }
        }
        double x0 = PAD + Svg.textWidth(labelChars) + PAD;
        double width = Math.max(x0 + PLOT_W + PAD + Svg.textWidth(Math.max(noteChars, 24)) + PAD, PAD * 2 + Svg.textWidth(title));
        double height = 30 + ROW * 2;
        for (SwingPanel p : panels) height += ROW * (Math.max(1, p.rows().size()) + 3);
        Svg svg = new Svg(width, height, title);
        svg.bold(PAD, 20, "start", title);
        svg.rect(PAD, 28, 12, 8, Svg.series(0), "");
        svg.text(PAD + 16, 36, "start", "#000", "row at its low end");
        svg.rect(PAD + 170, 28, 12, 8, Svg.series(1), "");
        svg.text(PAD + 186, 36, "start", "#000", "row at its high end");
        double y = 30 + ROW;
        for (SwingPanel p : panels) {
            double lo = p.base(), hi = p.base();
            for (Swing s : p.rows()) {
                lo = Math.min(lo, Math.min(s.low(), s.high()));
                hi = Math.max(hi, Math.max(s.low(), s.high()));
            }
            hi = nice(hi);
            lo = lo > 0 && lo < hi / 2 ? 0 : Math.max(0, lo - (hi - lo) * 0.1);
            double span = Math.max(hi - lo, 1e-9), fLo = lo;
            java.util.function.DoubleUnaryOperator fx = v -> x0 + (v - fLo) / span * PLOT_W;
            svg.bold(PAD, y + 14, "start", p.name());
            y += ROW;
            double top = y;
            if (p.rows().isEmpty()) {
                svg.text(x0, y + 13, "start", AXIS, "no cost row moves the makespans");
                y += ROW;
            }
            for (Swing s : p.rows()) {
                double b = fx.applyAsDouble(p.base()), l = fx.applyAsDouble(s.low()), h = fx.applyAsDouble(s.high());
                svg.text(x0 - PAD, y + 13, "end", "#000", s.label());
                svg.rect(Math.min(b, l), y + 2, Math.abs(l - b), 7, Svg.series(0), "");
                svg.rect(Math.min(b, h), y + 9, Math.abs(h - b), 7, Svg.series(1), "");
                svg.text(x0 + PLOT_W + 6, y + 13, "start", "#000", swingNote(s, fmt));
                y += ROW;
            }
            double bx = fx.applyAsDouble(p.base());
            svg.dashed(bx, top, bx, y, AXIS);
            svg.line(x0, y, x0 + PLOT_W, y, AXIS, 1);
            for (int t = 0; t <= 4; t++) {
                double v = lo + span * t / 4, x = fx.applyAsDouble(v);
                svg.line(x, y, x, y + 4, AXIS, 1);
                svg.text(x, y + 16, "middle", AXIS, fmt.apply(v));
            }
            svg.text(x0 + PLOT_W, y + 30, "end", AXIS, axis + "; dashed: default " + fmt.apply(p.base()));
            y += ROW * 2;
        }
        return svg.render();
    }

    private static String swingNote(Swing s, DoubleFunction<String> fmt) {
        String v = fmt.apply(s.low()) + " / " + fmt.apply(s.high());
        return s.note().isEmpty() ? v : v + " " + s.note();
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above v (an axis end). */
    static double nice(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v * (1 - 1e-12)) return m * p;
        return 10 * p;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
