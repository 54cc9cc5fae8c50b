package tdisp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import tdisp.explore.ReplayFile;
import tdisp.report.Provenance;
import tdisp.strategy.Knob;
import tdisp.strategy.Strategy;
import tdisp.world.Invariants;

/** tdisp replay FILE: re-executes a counterexample and prints its trace in kernel names. */
@Command(name = "replay", description = "Re-run a replay file written by explore or rediscover and print its trace; "
        + "exit 1 if the expected violation does not reproduce. The file carries every knob value; its strategy line "
        + "must name a descriptor whose knobs (with the file's set lines) are those values, and its expect line an "
        + "invariant or 'goal', or the file is refused (exit 2).")
final class ReplayCommand implements Callable<Integer>, Validated {
    @Parameters(index = "0", paramLabel = "FILE", description = "replay file (cex/*.replay)") Path file;
    @Mixin CatalogOptions catalog = new CatalogOptions();
    @Spec CommandSpec spec;

    private ReplayFile parsed;

    @Override
    public void validate() {
        InputFiles.check(file, "replay file");
        parsed = ReplayFile.parse(file);
        confirmExpect();
        confirmStrategy();
    }

    /** The expect line names what the run must show: an invariant the model checks, or the goal. */
    private void confirmExpect() {
        List<String> known = Invariants.ids();
        if (parsed.expect().equals("goal") || known.contains(parsed.expect())) return;
        throw new UsageException(where("expect") + "expect '" + parsed.expect() + "': not an invariant (" + known.get(0) + ".."
                + known.get(known.size() - 1) + ") or 'goal'; the file cannot be confirmed");
    }

    /**
     * The knob lines decide what runs; the strategy line only names it. A file edited to name
     * another strategy would "reproduce" under a false name, so the named descriptor, with
     * the file's set lines, must give the same knob values.
     */
    private void confirmStrategy() {
        Strategy s;
        try {
            s = catalog.catalog().get(parsed.strategy()).withOverrides(parsed.sets());
        } catch (RuntimeException e) {
            if (!Main.isInputError(e)) throw e;
            throw new UsageException(where("strategy") + "strategy '" + parsed.strategy() + "' cannot be confirmed: " + e.getMessage());
        }
        Map<Knob, String> want = s.knobs().tokens();
        for (Knob k : Knob.values()) {
            String a = want.get(k), b = parsed.knobs().get(k);
            if (a != null && b != null && !a.equals(b)) {
                throw new UsageException(where("knob " + k.key() + "=") + "knob " + k.key() + "=" + b + " is not strategy " + s.id()
                        + "'s (" + a + (parsed.sets().isEmpty() ? "" : " with its set lines") + "); the file cannot be confirmed");
            }
        }
    }

    /** "FILE:LINE: " of the first line starting with {@code prefix}, or "FILE: ". */
    private String where(String prefix) {
        try {
            List<String> lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().startsWith(prefix)) return file + ":" + (i + 1) + ": ";
        } catch (IOException e) {
            // the line number is a courtesy; the message names the file anyway
        }
        return file + ": ";
    }

    @Override
    public Integer call() {
        ReplayFile.Outcome o = parsed.run();
        spec.commandLine().getOut().print(Provenance.replay(file.getFileName().toString()).text() + "\n" + o.text());
        return o.reproduced() ? ExitCodes.OK : ExitCodes.NO;
    }
}
