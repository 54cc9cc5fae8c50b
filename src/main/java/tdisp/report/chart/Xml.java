package tdisp.report.chart;

/** Escaping for text that lands in HTML or SVG (element content and quoted attributes alike). */
public final class Xml {
    private Xml() {}

    /** &amp; &lt; &gt; &quot; &#39; escaped; control characters XML forbids become U+FFFD. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }
}
