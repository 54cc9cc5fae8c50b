package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import tdisp.explore.ExplorerConfig;

/** Issue 23: the explorer's bounds have one set of defaults, the config builder's, and the CLI reads them. */
class ExploreDefaultsTest {
    @Test
    void exploreAndRediscoverTakeTheirDefaultsFromTheConfigBuilder() {
        ExplorerConfig d = ExplorerConfig.builder().build();
        ExploreCommand explore = new ExploreCommand();
        new CommandLine(explore).parseArgs("--strategy", "iommufd-v5", "--platform", "sev-tio");
        RediscoverCommand rediscover = new RediscoverCommand();
        new CommandLine(rediscover).parseArgs();
        for (ExploreCommand.Bounds b : new ExploreCommand.Bounds[] {explore.bounds, rediscover.bounds}) {
            assertEquals(d.maxDepth(), b.depth);
            assertEquals(d.exactLimit(), b.exactStates);
        }
        assertEquals(ExplorerConfig.DEFAULT_DEPTH, d.maxDepth());
        assertEquals(ExplorerConfig.DEFAULT_EXACT_STATES, d.exactLimit());
    }

    @Test
    void reportSearchesToItsOwnNamedDepth() {
        ReportCommand report = new ReportCommand();
        new CommandLine(report).parseArgs();
        assertEquals(ExplorerConfig.REPORT_DEPTH, report.exploreDepth);
    }
}
