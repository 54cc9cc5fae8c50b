package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.report.chart.Charts;
import tdisp.report.chart.SequenceDiagram;
import tdisp.report.chart.Svg;
import tdisp.report.chart.Xml;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.sim.Trace;
import tdisp.strategy.StrategyCatalog;

/** The SVG writers: escaped text, locale-free numbers, layout from character counts, lanes from kernel names. */
class ChartsTest {
    @Test
    void textInAnSvgIsEscaped() {
        String svg = Charts.rangeBars("t <&>", "axis", List.of(new Charts.BarPanel("p\"'", List.of(
                new Charts.Bar("<script>x</script>", 1, 0.5, 2, "&")))), Double.NaN, v -> "" + v);
        assertFalse(svg.contains("<script"));
        assertTrue(svg.contains("&lt;script&gt;x&lt;/script&gt;"));
        assertTrue(svg.contains("p&quot;&#39;"));
        assertEquals("a&amp;b&lt;c&gt;&quot;&#39;\ufffd", Xml.escape("a&b<c>\"'\u0001"));
    }

    @Test
    void axisLabelsOfManyDecadesNeverRunIntoEachOther() {
        String svg = Charts.rangeBars("t", "axis", List.of(new Charts.BarPanel("p", List.of(
                new Charts.Bar("a", 1e5, 100, 1e9, "")))), Double.NaN, v -> String.format(Locale.ROOT, "%.0f", v), true);
        // the tick labels: centred text under the axis, one per decade kept
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<text x=\"([0-9.]+)\" y=\"[0-9.]+\" text-anchor=\"middle\"[^>]*>([0-9]+)</text>").matcher(svg);
        double lastRight = Double.NEGATIVE_INFINITY;
        int labels = 0;
        while (m.find()) {
            double x = Double.parseDouble(m.group(1)), half = Svg.textWidth(m.group(2)) / 2;
            assertTrue(x - half >= lastRight, "label " + m.group(2) + " overlaps the one before it");
            lastRight = x + half;
            labels++;
        }
        assertTrue(labels >= 3 && labels < 8, "some decades labelled, not all eight: " + labels);
    }

    @Test
    void numbersDoNotFollowTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String svg = Charts.lines("t", "x", "y", List.of(new Charts.LinePanel("p", List.of(
                    new Charts.Series("s", new double[] {1, 8, 64}, new double[] {1.25, 3.5, 70.125})))), v -> "" + v);
            assertFalse(java.util.regex.Pattern.compile(" (x|y|x1|y1|x2|y2|width|height|cx|cy|r)=\"[^\"]*,").matcher(svg).find(),
                    "no decimal comma in a coordinate");
            assertTrue(svg.matches("(?s).*points=\"[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+.*"), "points as x,y pairs");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void theWidthFollowsTheLongestLabelAtAFixedAdvance() {
        String shortL = Charts.rangeBars("t", "a", List.of(new Charts.BarPanel("p", List.of(new Charts.Bar("ab", 1, Double.NaN, Double.NaN, "")))),
                Double.NaN, v -> "1");
        String longL = Charts.rangeBars("t", "a", List.of(new Charts.BarPanel("p", List.of(new Charts.Bar("ab" + "x".repeat(10), 1, Double.NaN,
                Double.NaN, "")))), Double.NaN, v -> "1");
        assertEquals(10 * Svg.CHAR_W, width(longL) - width(shortL), 0.11);
        assertTrue(shortL.contains("font-family=\"&#39;DejaVu Sans Mono&#39;"), "a fixed monospace stack");
    }

    @Test
    void theCloseOrderTracePutsEachEventOnItsActorsLane() {
        // the run of the tracked results/trace-iommufd-v5-tdx-connect-close-vfio-bound.txt, as records
        List<Trace.Entry> events = ScenarioRunner.run(ScenarioRun.builder(StrategyCatalog.load(Path.of("strategies")).get("iommufd-v5"),
                Platforms.get("tdx-connect"), Scenarios.get("close-vfio-bound")).seed(1).trace(ScenarioRun.Trace.RECORDED).build()).events();
        List<SequenceDiagram.Row> rows = TraceLanes.rows(events);
        assertEquals(events.size(), rows.size());
        assertLane(rows, "vfio_pci_core_disable(dev0) -> pci_clear_master", "VFIO");
        assertLane(rows, "pci_clear_master: Command = 0x0002", "device");
        assertLane(rows, "fw TDH.MMIO.UNMAP = TDX_DEVIF_TDISP_INVALID_STATE [assumption]", "firmware");
        assertLane(rows, "iommufd_vdevice_abort(dev0)", "iommufd");
        assertLane(rows, "pci_tsm_unbind(dev0)", "pci_tsm");
        assertLane(rows, "tdx_sept_drop_private_spte(dev0)", "KVM");
        assertLane(rows, "qemu: close(vfio cdev of dev0)", "VMM");
        assertLane(rows, "VM exit: TDVMCALL(<Service.TDCM>)", "KVM");
        assertLane(rows, "guest: TDG.DMAR.ACCEPT [inferred]", "guest");
        SequenceDiagram.Row i1 = rows.stream().filter(r -> r.text().startsWith("!! I1")).findFirst().orElseThrow();
        assertTrue(i1.violation());
        assertEquals("device", TraceLanes.LANES.get(i1.lane()), "a violation sits where the step that caused it ran");
        List<SequenceDiagram.Row> w = TraceLanes.window(rows, 24, 30);
        assertEquals("qemu: close(vfio cdev of dev0)", w.get(0).text(), "the picture starts at the action that led to the bug");
        String svg = SequenceDiagram.render("close", TraceLanes.LANES, w);
        for (String lane : TraceLanes.LANES) assertTrue(svg.contains(">" + lane + "</text>"), lane);
        assertTrue(svg.contains("fill=\"#c00\""), "violations drawn red");
    }

    private static void assertLane(List<SequenceDiagram.Row> rows, String text, String lane) {
        SequenceDiagram.Row r = rows.stream().filter(x -> x.text().equals(text)).findFirst().orElseThrow(() -> new AssertionError(text));
        assertEquals(lane, TraceLanes.LANES.get(r.lane()), text);
    }

    private static double width(String svg) {
        var m = java.util.regex.Pattern.compile("width=\"([0-9.]+)\"").matcher(svg);
        assertTrue(m.find());
        return Double.parseDouble(m.group(1));
    }
}
