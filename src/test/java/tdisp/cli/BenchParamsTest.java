package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 23.5: {@code tdisp bench} hands JMH the strategies and platforms from the catalogue
 * and the registry (JmhParams); the benchmarks' own {@code @Param} lists, which a bare JMH
 * run uses, must say the same, so a new strategy or platform cannot silently miss a bench.
 */
class BenchParamsTest {
    private static final Pattern PARAM = Pattern.compile("@Param\\(\\{([^}]*)\\}\\)\\s*public\\s+String\\s+(\\w+)\\s*;");

    @Test
    void everyBenchListsEveryShippedStrategyAndPlatformInCatalogueOrder() throws IOException {
        List<String> strategies = StrategyCatalog.load(Path.of(Cli.STRATEGIES)).all().stream().map(Strategy::id).toList();
        List<String> platforms = Platforms.shipped().stream().map(Platform::id).toList();
        List<String> seen = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("benchmarks/tdisp/bench"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = PARAM.matcher(Files.readString(f));
                while (m.find()) {
                    List<String> values = Arrays.stream(m.group(1).split(",")).map(s -> s.strip().replace("\"", "")).filter(s -> !s.isEmpty()).toList();
                    String field = m.group(2);
                    seen.add(f.getFileName() + " " + field);
                    List<String> want = switch (field) {
                        case "strategy" -> strategies;
                        case "platform" -> platforms;
                        default -> values;
                    };
                    if (!values.equals(want)) bad.add(f.getFileName() + " @Param " + field + " " + values + ", want " + want);
                }
            }
        }
        assertTrue(seen.size() >= 7, "found the benches' @Params: " + seen);
        assertEquals(List.of(), bad);
    }

    @Test
    void benchRunsEachPlatformOverTheStrategiesThatBringUpThere() {
        StrategyCatalog catalog = StrategyCatalog.load(Path.of(Cli.STRATEGIES));
        List<JmhParams> params = JmhParams.of(Platforms.all(), catalog.all());
        assertEquals(Platforms.all().stream().map(Platform::id).toList(), params.stream().map(JmhParams::platform).toList());
        for (JmhParams p : params) {
            List<String> all = new ArrayList<>(p.strategies());
            all.addAll(p.notMeasured());
            assertEquals(catalog.all().size(), all.size(), p.platform());
            assertTrue(p.strategies().contains("vfio-ioctl"), p.platform() + " brings up the reference strategy");
        }
    }
}
