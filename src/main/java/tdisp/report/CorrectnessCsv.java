package tdisp.report;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import tdisp.scenario.ScenarioResult;

/** correctness.csv: one row per (strategy, platform, scenario), columns fixed by issue #2. */
public final class CorrectnessCsv {
    public static final String[] HEADER = {
        "strategy", "platform", "scenario", "verdict", "violated", "tdi_end_state", "steps",
        "vm_exits", "user_exits", "ioctls", "fw_calls", "modeled_ns", "secure_dma", "knobs", "first_violation"};

    private CorrectnessCsv() {}

    public static String render(List<ScenarioResult> results, java.util.function.Function<String, String> knobsOf) {
        CSVFormat fmt = CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator('\n').build();
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, fmt)) {
            for (ScenarioResult r : results) {
                p.printRecord(r.strategy(), r.platform(), r.scenario(), r.verdict().token(),
                        String.join(";", r.violated()), r.tdiEndState(), r.counters().steps(),
                        r.counters().vmExits(), r.counters().userExits(), r.counters().ioctls(),
                        r.counters().fwCalls(), r.counters().modeledNs(), r.secureDma(), knobsOf.apply(r.strategy()), r.firstViolation());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringWriter does not fail
        }
        return out.toString();
    }
}
