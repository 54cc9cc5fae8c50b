package tdisp.report.chart;

import java.util.List;

/**
 * A trace as a sequence diagram: one vertical lane per actor, one row per event, an arrow
 * when control moves from one lane to another and a dot when it stays. Time and the acting
 * thread sit left of the lanes (an arrow starts where the same thread last was), the event in kernel names right of them, so no label ever
 * crosses a lane and the width follows from character counts alone. Violations are red.
 */
public final class SequenceDiagram {
    private static final double ROW = 18;
    private static final double LANE_W = 78;
    private static final double PAD = 10;
    private static final int MAX_TEXT = 80;
    private static final String LIFELINE = "#bbb";
    private static final String ARROW = "#333";
    private static final String BAD = "#c00";

    private SequenceDiagram() {}

    /** One event: its time label, the thread that ran it, its lane, its text. */
    public record Row(String time, String thread, int lane, String text, boolean violation) {}

    /**
     * A label cut at spaces into pieces of at most MAX_TEXT characters (a word longer than
     * that is cut hard): every piece is drawn, on rows of its own, so no label is cut off.
     */
    static List<String> pieces(String text) {
        List<String> out = new java.util.ArrayList<>();
        String rest = text;
        while (rest.length() > MAX_TEXT) {
            int cut = rest.lastIndexOf(' ', MAX_TEXT);
            if (cut <= 0) cut = MAX_TEXT;
            out.add(rest.substring(0, cut));
            rest = "    " + rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    public static String render(String title, List<String> lanes, List<Row> rows) {
        int timeChars = 4, threadChars = 6, textChars = 10, lines = 0;
        for (Row r : rows) {
            timeChars = Math.max(timeChars, r.time().length());
            threadChars = Math.max(threadChars, r.thread().length());
            for (String piece : pieces(r.text())) textChars = Math.max(textChars, piece.length());
            lines += pieces(r.text()).size();
        }
        double xTime = PAD + Svg.textWidth(timeChars);
        double xThread = xTime + PAD;
        double lane0 = xThread + Svg.textWidth(threadChars) + PAD + LANE_W / 2;
        double xText = lane0 + LANE_W * (lanes.size() - 0.5) + PAD;
        double width = Math.max(xText + Svg.textWidth(textChars) + PAD, PAD * 2 + Svg.textWidth(title));
        double top = 56;
        double height = top + ROW * lines + PAD * 2;
        Svg svg = new Svg(width, height, title);
        svg.bold(PAD, 20, "start", title);
        svg.text(xTime, top - 8, "end", "#555", "us");
        svg.text(xThread, top - 8, "start", "#555", "thread");
        for (int i = 0; i < lanes.size(); i++) {
            double x = lane0 + i * LANE_W;
            svg.rect(x - LANE_W / 2 + 3, 28, LANE_W - 6, 18, "#eef", "stroke=\"#99a\"");
            svg.text(x, 41, "middle", "#000", lanes.get(i));
            svg.line(x, 46, x, height - PAD, LIFELINE, 1);
        }
        // control moves within a thread: an arrow starts at that thread's last lane, not at
        // the lane of whichever thread ran the row before
        java.util.Map<String, Integer> last = new java.util.HashMap<>();
        int line = 0;
        for (int k = 0; k < rows.size(); k++) {
            Row r = rows.get(k);
            int prev = last.getOrDefault(r.thread(), -1);
            double y = top + line * ROW + ROW / 2;
            List<String> texts = pieces(r.text());
            line += texts.size();
            double x = lane0 + r.lane() * LANE_W;
            String color = r.violation() ? BAD : ARROW;
            svg.text(xTime, y + 4, "end", "#555", r.time());
            svg.text(xThread, y + 4, "start", "#555", r.thread());
            if (prev >= 0 && prev != r.lane() && !r.violation()) {
                double from = lane0 + prev * LANE_W, dir = Math.signum(x - from);
                svg.line(from, y, x - dir * 6, y, color, 1.5);
                svg.polygon(new double[] {x, x - dir * 7, x - dir * 7}, new double[] {y, y - 4, y + 4}, color);
            } else {
                svg.circle(x, y, r.violation() ? 5 : 3, color);
            }
            for (int i = 0; i < texts.size(); i++) svg.text(xText, y + 4 + i * ROW, "start", r.violation() ? BAD : "#000", texts.get(i));
            last.put(r.thread(), r.lane());
        }
        return svg.render();
    }
}
