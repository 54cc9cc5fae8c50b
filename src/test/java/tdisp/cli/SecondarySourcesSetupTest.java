package tdisp.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.report.Provenance;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 21, point 6: the setup block of every compare-like output (the report's too, which
 * builds it with Setup.run) names the strategies that rest on second-hand sources, and only
 * those: v7 is known from a digest's summary and the linux-cca integration branch.
 */
class SecondarySourcesSetupTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    @Test
    void theSetupBlockNamesTheStrategiesThatRestOnSecondHandSources() {
        String all = Setup.run(Provenance.builder(), 1, CATALOG.all(), List.of(), List.of()).build().text();
        String line = all.lines().filter(l -> l.contains("secondary")).findFirst().orElseThrow(() -> new AssertionError(all));
        assertTrue(line.contains("iommufd-v7"), line);
        for (String older : List.of("iommufd-v5", "iommufd-typed-op", "vfio-ioctl", "kvm-direct", "iommufd-rfc-v2", "split-sdte-mmio")) {
            assertFalse(line.contains(older + ",") || line.contains(older + ":"), older + " rests on posted patches: " + line);
        }
        String v5 = Setup.run(Provenance.builder(), 1, List.of(CATALOG.get("iommufd-v5")), List.of(), List.of()).build().text();
        assertFalse(v5.contains("secondary"), v5);
    }
}
