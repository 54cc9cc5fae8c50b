package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: headless Chromium parses the page and draws it. Skipped
 * where no chromium is installed; .ci/run installs Debian's, so CI always runs it.
 */
class ReportBrowserTest {
    static Path chromium() {
        Path usr = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(usr)) return usr;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    static String browse(Path chromium, Path profile, Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(profile.resolveSibling("chromium.err").toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), "chromium: " + Files.readString(profile.resolveSibling("chromium.err")));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void chromiumParsesEveryChartAndDiagramAndDrawsThem(@TempDir Path dir) throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium on this machine");
        Path html = ReportCommandTest.small().resolve("report.html");
        String dom = browse(chromium, dir.resolve("profile"), dir.resolve("dom.html"), "--dump-dom", html.toUri().toString());
        // every figure holds an svg the parser built, with drawn children
        Matcher fig = Pattern.compile("<figure class=\"chart\" data-chart=\"([a-z0-9-]+)\">\\s*<svg[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
        List<String> seen = new ArrayList<>();
        while (fig.find()) {
            String body = fig.group(2);
            assertTrue(body.contains("<rect") && body.contains("<text") && count(body, "<") > 20, fig.group(1) + " is empty");
            seen.add(fig.group(1));
        }
        assertEquals(ReportCommandTest.CHARTS, seen);

        Path png = dir.resolve("page.png");
        browse(chromium, dir.resolve("profile2"), dir.resolve("shot.out"), "--window-size=1400,9000", "--screenshot=" + png,
                html.toUri().toString());
        BufferedImage img = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        boolean seriesBlue = false;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                seriesBlue |= rgb == 0x0072b2;
            }
        }
        assertTrue(colours.size() > 8, "the page is not blank: " + colours.size() + " colours");
        assertTrue(seriesBlue, "the charts' first series colour is on the page");
    }

    /**
     * Issue 25, point 10: opened cold at 1280 x 800, the page shows its answer first (what
     * each routing breaks, where and why) with the diagram starting on the same screen, and no
     * diagram is wider than the page (labels were cut off at its edge). The reference report
     * is rendered from results/; a copy of the page gets a script that measures the layout,
     * since the page itself runs nothing.
     */
    @Test
    void theAnswerIsOnTheFirstScreenAt1280By800AndNoDiagramIsCutOff(@TempDir Path dir) throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium on this machine");
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("report", "--from", "results", "--progress", "none", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.indexOf("<section id=\"answer\">") < html.indexOf("<section id=\"correctness-compare\">")
                && html.indexOf("<section id=\"correctness-compare\">") < html.indexOf("<section id=\"setup\">"),
                "answer, then the matrix, the setup last");
        String probe = "<script>addEventListener('load', () => { const a = document.querySelector('#answer pre').getBoundingClientRect();"
                + " const f = document.querySelector('#answer figure').getBoundingClientRect(); let wide = 0;"
                + " for (const s of document.querySelectorAll('figure svg')) wide = Math.max(wide, s.getBoundingClientRect().right);"
                + " document.body.setAttribute('data-probe', [a.bottom, f.top, wide, innerWidth, innerHeight].map(Math.round).join(',')); });</script>";
        Path page = Files.writeString(out.resolve("probe.html"), html.replace("</body>", probe + "</body>"));
        String dom = browse(chromium, dir.resolve("profile"), dir.resolve("dom.html"), "--window-size=1280,800", "--virtual-time-budget=2000",
                "--dump-dom", page.toUri().toString());
        Matcher m = Pattern.compile("data-probe=\"([0-9,.-]+)\"").matcher(dom);
        assertTrue(m.find(), "the probe ran");
        String[] v = m.group(1).split(",");
        int answerBottom = Integer.parseInt(v[0]), figureTop = Integer.parseInt(v[1]), widest = Integer.parseInt(v[2]);
        int width = Integer.parseInt(v[3]), height = Integer.parseInt(v[4]);
        assertEquals(1280, width);
        assertTrue(answerBottom <= height, "the answer ends at " + answerBottom + " px, below the first screen (" + height + ")");
        assertTrue(figureTop < height, "its diagram starts on the first screen: " + figureTop);
        assertTrue(widest <= width, "a diagram " + widest + " px wide is cut at the page's " + width);
        String answer = html.substring(html.indexOf("<section id=\"answer\">"), html.indexOf("</section>", html.indexOf("<section id=\"answer\">")));
        for (String p : List.of("sev-tio", "tdx-connect", "cca")) assertTrue(answer.contains(p), "the answer names " + p);
        assertTrue(answer.contains("Why: "), "and says why");
        assertTrue(answer.contains("data-chart=\"sequence-1\""), "with its picture");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
