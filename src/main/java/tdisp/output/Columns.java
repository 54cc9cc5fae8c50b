package tdisp.output;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fits text to 72 columns, the width of a reply on the kernel lists. A long line breaks at
 * a space, else after a ',' or ';' (knob lists), and continues indented the way kernel code
 * continues a statement: under the event of a trace line ("  8.160 us [guest0 ] "), after
 * the tag of a "# knobs" comment, or four columns past the line's own indent.
 */
public final class Columns {
    public static final int WIDTH = 72;

    private static final Pattern TRACE = Pattern.compile("^\\s*-?[0-9.]+ us \\[[^\\]]*\\] ");
    private static final Pattern COMMENT = Pattern.compile("^# [a-z][a-zA-Z-]* ");

    private Columns() {}

    /** Every line of {@code text} wrapped to {@link #WIDTH}; line ends kept as they were. */
    public static String wrap(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 64);
        int i = 0;
        while (i < text.length()) {
            int nl = text.indexOf('\n', i);
            int end = nl < 0 ? text.length() : nl;
            wrapLine(text.substring(i, end), sb);
            if (nl >= 0) sb.append('\n');
            i = end + 1;
        }
        return sb.toString();
    }

    /** One line (no '\n') wrapped; continuation lines joined with '\n'. */
    public static String wrapLine(String line) {
        StringBuilder sb = new StringBuilder();
        wrapLine(line, sb);
        return sb.toString();
    }

    /** One line wrapped with continuation lines starting with {@code cont} (a hanging indent). */
    public static String wrapLine(String line, String cont) {
        StringBuilder sb = new StringBuilder();
        wrapLine(line, cont, sb);
        return sb.toString();
    }

    private static void wrapLine(String line, StringBuilder sb) {
        wrapLine(line, line.length() <= WIDTH ? "" : continuation(line), sb);
    }

    private static void wrapLine(String line, String cont, StringBuilder sb) {
        if (line.length() <= WIDTH) {
            sb.append(line);
            return;
        }
        String rest = line;
        boolean first = true;
        while (true) {
            int min = first ? Math.min(cont.length() + 8, WIDTH / 2) : cont.length() + 8;
            if (rest.length() <= WIDTH) {
                sb.append(rest);
                return;
            }
            int cut = breakAt(rest, min);
            if (cut <= cont.length()) cut = WIDTH;
            sb.append(rest, 0, cut).append('\n');
            int next = cut;
            while (next < rest.length() && rest.charAt(next) == ' ') next++;
            rest = cont + rest.substring(next);
            first = false;
        }
    }

    /** Index to cut at: after the last fitting space or separator, or hard at the width. */
    private static int breakAt(String s, int min) {
        for (int i = WIDTH; i > min; i--) if (s.charAt(i) == ' ') return stripEnd(s, i);
        for (int i = WIDTH; i > min; i--) {
            char c = s.charAt(i - 1);
            if (c == ';' || c == ',' || c == '(' || c == '|') return i;
        }
        return WIDTH;
    }

    private static int stripEnd(String s, int i) {
        while (i > 0 && s.charAt(i - 1) == ' ') i--;
        return i;
    }

    private static String continuation(String line) {
        Matcher t = TRACE.matcher(line);
        if (t.find() && t.end() <= WIDTH / 2) return " ".repeat(t.end() + 4);
        Matcher c = COMMENT.matcher(line);
        if (c.find() && c.end() <= WIDTH / 3) return "#" + " ".repeat(c.end() - 1);
        if (line.startsWith("#")) return "#   ";
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') indent++;
        return " ".repeat(Math.min(indent, WIDTH / 3) + 4);
    }

    /** The widest line of {@code text} (tests and the 72-column check). */
    public static int widest(String text) {
        return text.lines().mapToInt(String::length).max().orElse(0);
    }
}
