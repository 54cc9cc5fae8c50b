package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explore --actions / --skip-actions through the CLI: the report says so, the reproduce line repeats it, bad globs exit 2. */
class ExploreActionsCliTest {
    @TempDir Path tmp;

    private Cli.Result explore(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("explore", "--strategies-dir", STRATEGIES, "--strategy", "iommufd-v5",
                "--platform", "sev-tio", "--start", "happy-bringup", "--depth", "3", "--progress", "none", "--out", out.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void aSkippedAlphabetIsReportedRepeatedInTheReproduceLineAndNeverTaken() throws IOException {
        Path out = tmp.resolve("skip");
        Cli.Result r = explore(out, "--skip-actions", "* tamper-request,* capture-request,* replay-request");
        assertTrue(r.code() <= 1, r.err());
        String txt = Files.readString(out.resolve("explore.txt"));
        assertTrue(txt.contains("actions: skipping * tamper-request, * capture-request, *"), txt);
        assertTrue(txt.contains("--skip-actions '* tamper-request'") && txt.contains("--skip-actions '* capture-request'"),
                "a long quoted list repeats its option, so the reproduce line wraps:\n" + txt);
        for (String line : txt.split("\n")) assertTrue(line.length() <= 72, "over 72 columns: " + line);
        assertTrue(Files.readString(out.resolve("explore.run-info")).contains(" actions=skipping_*_tamper-request,"));
        try (Stream<Path> files = Files.list(out.resolve("cex"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".replay")).toList()) {
                String replay = Files.readString(f);
                String searched = replay.substring(replay.indexOf("# the search started here"));
                assertFalse(searched.contains("tamper-request") || searched.contains("capture-request"), f + ":\n" + searched);
            }
        }
        Path whole = tmp.resolve("whole");
        assertTrue(explore(whole).code() <= 1);
        assertTrue(distinct(out) < distinct(whole), distinct(out) + " vs " + distinct(whole));
        assertFalse(Files.readString(whole.resolve("explore.txt")).contains("   actions:"), "the whole alphabet prints no actions line");
    }

    @Test
    void aGlobThatMatchesNothingExitsTwoNamingItAndWritesNothing() throws IOException {
        Path out = tmp.resolve("bad");
        Cli.assertCleanFailure(explore(out, "--skip-actions", "* tamper-request,vmm9 *"), out, "--skip-actions vmm9 *: matches no action");
        Cli.assertCleanFailure(explore(out, "--actions", "guest0 continue"), out, "--actions guest0 continue: matches no action");
        Cli.assertCleanFailure(explore(out, "--actions", "guest0 *", "--skip-actions", "guest0 *"), out, "leave no action to search");
    }

    private static long distinct(Path dir) throws IOException {
        String txt = Files.readString(dir.resolve("explore.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("generated, ([0-9,]+) distinct").matcher(txt);
        assertTrue(m.find(), txt);
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
