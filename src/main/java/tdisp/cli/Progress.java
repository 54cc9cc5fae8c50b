package tdisp.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a long run on stderr: a bar redrawn in place on a terminal (or with
 * --progress=bar), plain lines otherwise, so logs and `.ci/run`'s grep for stable prefixes
 * ("explore:", "rediscover:") keep working. The model never sees it: only counts
 * and the wall clock flow in.
 */
final class Progress {
    /** How progress is shown; AUTO is BAR when stderr is a terminal (System.console()). */
    enum Mode { AUTO, BAR, LINES, NONE }

    private static final int BAR_CELLS = 20;

    private final Mode mode;
    private final PrintWriter err;
    private final String label;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long total;
    private long done;
    private long nextLine;
    private String detail = "";
    private boolean drawn;
    private long budgetNanos;

    private Progress(Mode mode, PrintWriter err, String label, Duration interval) {
        this.mode = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        this.err = err;
        this.label = label;
        this.intervalNanos = Math.max(1, interval.toNanos());
        this.nextLine = start + intervalNanos;
    }

    static Progress of(Mode mode, PrintWriter err, String label, Duration interval) {
        return new Progress(mode, err, label, interval);
    }

    Mode mode() { return mode; }

    boolean enabled() { return mode != Mode.NONE; }

    /** Milliseconds between plain lines (what the explorer's own line printer is told). */
    long intervalMillis() { return enabled() ? Math.max(1, intervalNanos / 1_000_000) : 0; }

    /** Sets the number of units the whole run has (0 = unknown: counts only, no bar). */
    synchronized void total(long units) { this.total = units; }

    /** A unit is starting: in LINES mode one line "label: what", in BAR mode a redraw. */
    synchronized void begin(String what) {
        detail = what;
        if (mode == Mode.LINES) line(label + ": " + what);
        else if (mode == Mode.BAR) draw();
    }

    /** Units done so far, of {@code units} (for a producer that counts itself, like the sweep). */
    synchronized void at(long doneUnits, long units) {
        total = units;
        done = doneUnits - 1;
        step();
    }

    /** With no unit count (one search), the bar shows the share of a time bound used instead. */
    synchronized void timeBudget(Duration budget) { this.budgetNanos = budget.toNanos(); }

    /** A unit is done. */
    synchronized void step() {
        done++;
        if (mode == Mode.BAR) draw();
        else if (mode == Mode.LINES && System.nanoTime() >= nextLine) {
            nextLine = System.nanoTime() + intervalNanos;
            line(String.format(Locale.ROOT, "%s: %d/%d done, %s elapsed", label, done, total, elapsed()));
        }
    }

    /** The explorer's own progress lines: passed through as lines, or folded into the bar. */
    PrintWriter sink() {
        if (mode == Mode.NONE) return null;
        if (mode == Mode.LINES) return err;
        return new PrintWriter(new Writer() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public void write(char[] buf, int off, int len) {
                synchronized (Progress.this) {
                    for (int i = off; i < off + len; i++) {
                        if (buf[i] == '\n') {
                            detail = pending.toString();
                            pending.setLength(0);
                            draw();
                        } else {
                            pending.append(buf[i]);
                        }
                    }
                }
            }

            @Override
            public void flush() { err.flush(); }

            @Override
            public void close() {}
        }, true);
    }

    /** Ends the bar with a newline (lines need nothing). */
    synchronized void finish() {
        if (mode == Mode.BAR && drawn) {
            draw();
            err.println();
            err.flush();
        }
    }

    private void line(String s) {
        err.println(s);
        err.flush();
    }

    private void draw() {
        StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
        if (total > 0) {
            bar(sb, (double) done / total);
            sb.append(done).append('/').append(total).append(' ');
        } else if (budgetNanos > 0) {
            bar(sb, (double) (System.nanoTime() - start) / budgetNanos);
        }
        sb.append(elapsed()).append(' ').append(detail.startsWith(label + ": ") ? detail.substring(label.length() + 2) : detail);
        // One terminal row: a bar that wraps cannot be redrawn with \r.
        String row = sb.length() > 73 ? sb.substring(0, 73) : sb.toString();
        err.print(row + " ".repeat(73 - row.length()));
        err.flush();
        drawn = true;
    }

    private static void bar(StringBuilder sb, double share) {
        int cells = (int) Math.max(0, Math.min(BAR_CELLS, share * BAR_CELLS));
        sb.append('[').append("#".repeat(cells)).append(".".repeat(BAR_CELLS - cells)).append("] ");
    }

    private String elapsed() {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
