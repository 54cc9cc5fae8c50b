package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.ExplorerConfig;

/** Issue 23: the explorer's bounds have one set of defaults, the config builder's, and the CLI reads them. */
class ExploreDefaultsTest {
    private static String defaultOf(String cmd, String option) {
        java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
        CommandSpec spec = Main.commandLine(sink, sink).getSubcommands().get(cmd).getCommandSpec();
        return spec.findOption(option).defaultValue();
    }

    @Test
    void exploreAndRediscoverTakeTheirDefaultsFromTheConfigBuilder() {
        ExplorerConfig d = ExplorerConfig.builder().build();
        assertEquals(ExplorerConfig.DEFAULT_DEPTH, d.maxDepth());
        assertEquals(ExplorerConfig.DEFAULT_EXACT_STATES, d.exactLimit());
        for (String cmd : new String[] {"explore", "rediscover"}) {
            assertEquals(String.valueOf(d.maxDepth()), defaultOf(cmd, "--depth"), cmd);
            assertEquals(String.valueOf(d.exactLimit()), defaultOf(cmd, "--exact-states"), cmd);
        }
    }

    /** The same for the mode, the walks, partial-order reduction, the seed and the preemption bound. */
    @Test
    void explorersOtherOptionsParseToTheBuildersDefaults() {
        ExplorerConfig d = ExplorerConfig.builder().build();
        for (String cmd : new String[] {"explore", "rediscover"}) {
            assertEquals(d.mode().name().toLowerCase(java.util.Locale.ROOT), defaultOf(cmd, "--mode"), cmd);
            assertEquals(String.valueOf(d.walks()), defaultOf(cmd, "--walks"), cmd);
            assertEquals(d.por() ? "on" : "off", defaultOf(cmd, "--por"), cmd);
            assertEquals(String.valueOf(d.seed()), defaultOf(cmd, "--seed"), cmd);
            assertEquals(String.valueOf(ExplorerConfig.DEFAULT_PREEMPTIONS), defaultOf(cmd, "--preemptions"), cmd);
        }
    }

    @Test
    void reportSearchesToItsOwnNamedDepth() {
        assertEquals(String.valueOf(ExplorerConfig.REPORT_DEPTH), defaultOf("report", "--explore-depth"));
    }
}
