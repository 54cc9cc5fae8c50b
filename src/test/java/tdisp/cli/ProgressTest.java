package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Issue 15: a bar redrawn in one terminal row, or plain lines with the stable prefixes. */
class ProgressTest {
    @Test
    void theBarRedrawsOneRowWithTheShareDone() {
        StringWriter w = new StringWriter();
        Progress p = Progress.of(Progress.Mode.BAR, new PrintWriter(w), "sweep", Duration.ofSeconds(1));
        p.at(5, 10);
        p.finish();
        String[] rows = w.toString().split("\r");
        assertTrue(rows[1].startsWith("sweep [##########..........] 5/10 "), rows[1]);
        for (int i = 1; i < rows.length; i++) assertTrue(rows[i].strip().length() <= 72, rows[i]);
        assertTrue(w.toString().endsWith("\n"), "the bar ends with its line");
    }

    @Test
    void linesModeKeepsThePrefixAndPassesExplorerLinesThrough() {
        StringWriter w = new StringWriter();
        Progress p = Progress.of(Progress.Mode.LINES, new PrintWriter(w), "rediscover", Duration.ofHours(1));
        p.total(6);
        p.begin("tdx-zap-while-bound-bug (vfio-ioctl on tdx-connect)");
        p.sink().println("explore: 1 generated");
        p.step();
        p.finish();
        assertEquals("rediscover: tdx-zap-while-bound-bug (vfio-ioctl on tdx-connect)\nexplore: 1 generated\n",
                w.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void noneShowsNothing() {
        StringWriter w = new StringWriter();
        Progress p = Progress.of(Progress.Mode.NONE, new PrintWriter(w), "bench", Duration.ofSeconds(1));
        p.begin("x");
        p.step();
        p.finish();
        assertEquals(null, p.sink());
        assertEquals("", w.toString());
    }
}
