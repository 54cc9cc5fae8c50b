package tdisp.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import tdisp.report.AtomicFiles;

/**
 * SIGINT and SIGTERM. The JVM runs shutdown hooks on either signal; ours asks the running
 * command to stop. compare, check, explore and rediscover write their partial result
 * (marked interrupted) and the hook waits for it; every other command (trace, sweep, bench,
 * calibrate, report, diff, replay, list) cannot stop part-way, so it ends at once after its
 * staging files are removed, having written nothing. Either way the process ends with 3
 * (incomplete), never the JVM's 130, so every ending is in the exit-code table.
 */
final class Interrupt {
    private Interrupt() {}

    /** How long the hook waits for a partial result to be written. */
    private static final long WRITE_GRACE_SECONDS = 30;

    private static volatile boolean requested;
    private static volatile boolean interruptible;
    private static volatile boolean finished;
    private static volatile int code = ExitCodes.INCOMPLETE;
    private static final CountDownLatch DONE = new CountDownLatch(1);

    /** Installed by main() only: in-process tests never see a signal. */
    static void installHook(PrintWriter out, PrintWriter err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished) return;
            requested = true;
            if (interruptible && !nothingPartial) {
                err.println("tdisp: interrupted; writing the partial result");
                err.flush();
                try {
                    DONE.await(WRITE_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            else {
                err.println("tdisp: interrupted; nothing written");
                err.flush();
            }
            AtomicFiles.abandonStaging();
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(finished ? code : ExitCodes.INCOMPLETE);
        }, "tdisp-interrupt"));
    }

    /** The command checks {@link #requested()} and writes a partial result when it is set. */
    static void interruptible() { interruptible = true; }

    private static volatile boolean nothingPartial;

    /**
     * A command that runs others in-process (report) and writes nothing of its own on a
     * signal: the compare it runs must not make the hook promise a partial result.
     */
    static void nothingPartial() { nothingPartial = true; }

    /** True once a signal (or a test) asked the run to stop. */
    static boolean requested() { return requested; }

    /** The same request as the explorer polls it (passed to the search, not kept in its config). */
    static final tdisp.explore.Cancel CANCEL = Interrupt::requested;

    /** Asks the run to stop, as a signal would (tests). */
    static void request() {
        requested = true;
    }

    /** Clears a request (tests run commands one after another in one JVM). */
    static void reset() {
        requested = false;
    }

    /** Ends the process with the command's exit code, also when a signal hook is waiting. */
    static void exit(int rc) {
        code = rc;
        finished = true;
        DONE.countDown();
        System.exit(rc);
    }
}
