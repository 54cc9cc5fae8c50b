package tdisp.report.chart;

import java.util.Locale;

/**
 * A small SVG writer for the report's charts and sequence diagrams. The bytes depend only on
 * what is drawn: elements in drawing order, coordinates at one decimal, no generated ids.
 * Layout never asks a font how wide a string is: every width is a character count times
 * {@link #CHAR_W}, the advance of a 12 px monospace font (0.6 em), and the text is set in a
 * fixed monospace font-family stack, so a machine without those fonts draws the same boxes.
 */
public final class Svg {
    /** Monospace fonts first, the generic family last: any of them advances about 0.6 em. */
    public static final String FONT = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";
    public static final double FONT_SIZE = 12;
    public static final double CHAR_W = 7.2;

    /** Series colours (Okabe-Ito, readable by colour-blind readers), then the fixed roles. */
    static final String[] SERIES = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"};

    private final StringBuilder body = new StringBuilder();
    private final double width;
    private final double height;
    private final String title;

    public Svg(double width, double height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
    }

    /** Width of {@code chars} characters of the report font. */
    public static double textWidth(int chars) { return chars * CHAR_W; }

    public static double textWidth(String s) { return textWidth(s.length()); }

    public Svg rect(double x, double y, double w, double h, String fill, String extra) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(Math.max(0, w)))
                .append("\" height=\"").append(n(Math.max(0, h))).append("\" fill=\"").append(fill).append('"');
        if (!extra.isEmpty()) body.append(' ').append(extra);
        body.append("/>\n");
        return this;
    }

    public Svg line(double x1, double y1, double x2, double y2, String stroke, double w) {
        body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(w)).append("\"/>\n");
        return this;
    }

    public Svg dashed(double x1, double y1, double x2, double y2, String stroke) {
        body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-dasharray=\"4 3\"/>\n");
        return this;
    }

    public Svg circle(double cx, double cy, double r, String fill) {
        body.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    public Svg polyline(double[] xs, double[] ys, String stroke) {
        body.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < xs.length; i++) body.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        body.append("\"/>\n");
        return this;
    }

    public Svg polygon(double[] xs, double[] ys, String fill) {
        body.append("<polygon fill=\"").append(fill).append("\" points=\"");
        for (int i = 0; i < xs.length; i++) body.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        body.append("\"/>\n");
        return this;
    }

    /** Text at (x, baseline y); anchor is start, middle or end. */
    public Svg text(double x, double y, String anchor, String fill, String s) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"');
        if (!anchor.equals("start")) body.append(" text-anchor=\"").append(anchor).append('"');
        if (!fill.equals("#000")) body.append(" fill=\"").append(fill).append('"');
        body.append('>').append(Xml.escape(s)).append("</text>\n");
        return this;
    }

    public Svg bold(double x, double y, String anchor, String s) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-weight=\"bold\"");
        if (!anchor.equals("start")) body.append(" text-anchor=\"").append(anchor).append('"');
        body.append('>').append(Xml.escape(s)).append("</text>\n");
        return this;
    }

    /** The whole element: a standalone SVG file's content and what the HTML page inlines. */
    public String render() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + n(width) + "\" height=\"" + n(height)
                + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" role=\"img\" font-family=\"" + Xml.escape(FONT)
                + "\" font-size=\"" + n(FONT_SIZE) + "\">\n<title>" + Xml.escape(title) + "</title>\n"
                + "<rect x=\"0\" y=\"0\" width=\"" + n(width) + "\" height=\"" + n(height) + "\" fill=\"#fff\"/>\n"
                + body + "</svg>\n";
    }

    static String series(int i) { return SERIES[Math.floorMod(i, SERIES.length)]; }

    /** One decimal, no trailing ".0", never a locale's comma. */
    static String n(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("coordinate " + v);
        long r = Math.round(v * 10);
        return r % 10 == 0 ? Long.toString(r / 10) : String.format(Locale.ROOT, "%.1f", r / 10.0);
    }
}
