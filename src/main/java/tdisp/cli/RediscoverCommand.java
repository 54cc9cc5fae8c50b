package tdisp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import tdisp.explore.Exploration;
import tdisp.rediscover.KnownBug;
import tdisp.rediscover.KnownBugs;
import tdisp.rediscover.Rediscovery;
import tdisp.report.AtomicFiles;
import tdisp.report.RediscoveryReport;

/**
 * tdisp rediscover: the known upstream bugs, each explored twice with the same bounds,
 * once with the knob set to the buggy kernel and once fixed. Exits 1 if the explorer
 * misses a known bug; whatever the fixed runs still find is reported, not hidden.
 */
@Command(name = "rediscover", description = "Explore known upstream bugs (buggy vs fixed knob) and report whether the explorer finds each on its own.")
public final class RediscoverCommand implements Callable<Integer>, Validated {
    @CommandLine.Mixin ExploreCommand.Bounds bounds = new ExploreCommand.Bounds();

    @CommandLine.Option(names = "--check-por", description = "also run every case without partial-order reduction and check that "
            + "both report the same states and violations (invariant, breaking step, shortest length); exit 1 if not")
    boolean checkPor;
    @Spec CommandSpec spec;

    @Override
    public void validate() {
        for (KnownBug c : KnownBugs.ALL) {
            for (List<String> knobs : List.of(c.bug(), c.fix())) {
                List<String> sets = new ArrayList<>(bounds.sets.sets);
                sets.addAll(knobs);
                bounds.catalog.catalog().get(c.strategy()).withOverrides(sets);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dir = bounds.out.dir();
        AtomicFiles.checkWritable(dir);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = bounds.progress.start(err, "rediscover");
        Rediscovery.Request request = new Rediscovery.Request(bounds.catalog.catalog(), bounds.sets.sets, bounds.vms, bounds.layout(),
                bounds.preemptions, bounds.config(progress.intervalMillis()), checkPor, KnownBugs.ALL);
        progress.total(request.planned());
        Interrupt.interruptible();
        Rediscovery.Result result = Rediscovery.run(request, new Rediscovery.Listener() {
            @Override public void begin(String what) { progress.begin(what); }

            @Override public void step() { progress.step(); }

            @Override public tdisp.explore.Explorer.Progress search() { return ExploreCommand.Bounds.listener(progress.sink()); }
        }, Interrupt.CANCEL);
        progress.finish();
        List<Exploration.Outcome> out = result.runs().stream().map(Rediscovery.CaseRun::outcome).toList();
        List<String> missed = result.missed();
        List<RediscoveryReport.Verdict> verdicts = result.runs().stream().map(r -> new RediscoveryReport.Verdict(r.bug().id(), r.buggy(),
                r.found(), r.outcome().run().result().exhausted(), r.bug().invariant(), r.bug().site())).toList();
        List<RediscoveryReport.PorCheck> porChecks = result.runs().stream().filter(r -> r.full() != null)
                .map(r -> RediscoveryReport.PorCheck.of(r.outcome().run(), r.full().run())).toList();
        List<Exploration.Run> runs = out.stream().map(Exploration.Outcome::run).toList();
        boolean incomplete = ExploreCommand.incomplete(runs);
        RediscoveryReport.Ending ending = porChecks.stream().anyMatch(RediscoveryReport.PorCheck::mismatch) ? RediscoveryReport.Ending.POR_MISMATCH
                : result.interrupted() ? RediscoveryReport.Ending.INTERRUPTED
                : !missed.isEmpty() ? RediscoveryReport.Ending.MISSED
                : incomplete ? RediscoveryReport.Ending.FOUND_ALL_INCOMPLETE : RediscoveryReport.Ending.FOUND_ALL;
        String summary = RediscoveryReport.text(verdicts, runs, porChecks, ending, missed, request.planned());
        // write() prints rediscovery.txt, which opens with the summary: stdout is the file.
        int rc = ExploreCommand.write(out, dir, "rediscovery", spec, summary);
        return switch (ending) {
            case POR_MISMATCH -> ExitCodes.NO;
            case INTERRUPTED -> ExitCodes.INCOMPLETE;
            case FOUND_ALL, FOUND_ALL_INCOMPLETE -> rc;
            case MISSED -> rc == ExitCodes.INCOMPLETE ? rc : ExitCodes.NO;
        };
    }
}
