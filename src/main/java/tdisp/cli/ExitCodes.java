package tdisp.cli;

/**
 * The exit codes of every tdisp command: one table, printed at the end of each command's
 * --help (Main) and in the README, and enforced by ExitCodeTableTest, which runs each
 * command into each ending. 69 and 70 are sysexits.h's EX_UNAVAILABLE and EX_SOFTWARE, so a
 * CI job can tell "the design is broken" (1) from "the harness is broken" (70) and "this
 * machine cannot run it" (69).
 *
 * <pre>
 * 0  done; the answer is yes
 * 1  done; the answer is no: explore and check found a violated invariant,
 *    rediscover missed a known bug, diff's variant broke an invariant the
 *    base held, replay did not reproduce. compare is a report: it exits 0
 *    with violations in its matrix (check is its exit-1 form); so do
 *    report, trace, sweep, bench, calibrate and list.
 * 2  bad input (arguments, descriptors, cost tables, replay files, special
 *    files): one stderr line naming file:line or the argument; nothing
 *    written
 * 3  stopped early: a signal (SIGINT, SIGTERM), --time, --max-states, the
 *    memory budget or a full --work-dir. compare, check, explore and
 *    rediscover write the partial result, marked ("status:" in the
 *    provenance and INTERRUPTED/INCOMPLETE in the text); the others write
 *    nothing
 * 69 unavailable: the machine lacks what the command needs (/dev/kvm)
 * 70 internal error, a harness bug: one stderr line says where the stack
 *    trace is
 * </pre>
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Done; the answer is yes (no invariant violated, every bug found, the replay reproduces). */
    public static final int OK = 0;
    /** Done; the answer is no: an invariant violated (explore, check, diff), a known bug missed, a replay that does not reproduce. */
    public static final int NO = 1;
    /** Bad input: arguments, descriptors, cost tables, replay files, special files. Nothing was written. */
    public static final int USAGE = 2;
    /**
     * Stopped early (a signal, --time, --max-states, the memory budget or a full --work-dir):
     * the partial result written and marked, or, for the commands that cannot stop part-way,
     * nothing written.
     */
    public static final int INCOMPLETE = 3;
    /** The machine lacks what the command needs (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** Internal error, a harness bug (EX_SOFTWARE): one stderr line says where the detail is. */
    public static final int INTERNAL = 70;

    /** The --help rows (picocli's exitCodeList: "code:text"), the table above in short. */
    static final String HELP_OK = OK + ":done; the answer is yes";
    static final String HELP_NO = NO + ":done; the answer is no: explore/check found a violated invariant, "
            + "rediscover missed a known bug, diff's variant broke one, replay did not reproduce "
            + "(compare is a report and exits 0 with violations; check is its exit-1 form)";
    static final String HELP_USAGE = USAGE + ":bad input (arguments or files); one stderr line; nothing written";
    static final String HELP_INCOMPLETE = INCOMPLETE + ":stopped early (a signal, --time, --max-states, memory, full --work-dir): "
            + "compare, check, explore, rediscover write the partial result, marked; the others write nothing";
    static final String HELP_UNAVAILABLE = UNAVAILABLE + ":unavailable: the machine lacks what the command needs (/dev/kvm)";
    static final String HELP_INTERNAL = INTERNAL + ":internal error (a harness bug); stderr says where the detail is";
}
