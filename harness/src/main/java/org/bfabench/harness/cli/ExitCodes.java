package org.bfabench.harness.cli;

import org.bfabench.spi.BenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where outcomes become exit codes and failures become console lines.
 *
 * <ul>
 * <li>{@value #OK} — success;</li>
 * <li>{@value #UNEXPECTED} — an unexpected error (a bug): one line naming the log file, which holds the
 *     stack trace;</li>
 * <li>{@value #USER_ERROR} — a {@link BenchException} anywhere in the cause chain (bad input, missing
 *     data, unknown id, bad option): one line {@code bfabench: <message>}, the stack trace only in the
 *     log file;</li>
 * <li>{@value #CELLS_FAILED} — the run finished but some cell ended FAILED or TIMEOUT.</li>
 * <li>{@value #REGRESSED} — {@code nightly} only: a regenerated board moved against the committed one
 *     (a cell outside its previous CI or accuracy tolerance, or a missing row).</li>
 * </ul>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int UNEXPECTED = 1;
    public static final int USER_ERROR = 2;
    public static final int CELLS_FAILED = 3;
    public static final int REGRESSED = 4;

    private static final Logger failures = LoggerFactory.getLogger(LogFile.FAILURES);

    private ExitCodes() {
    }

    /** Exit code of a finished run. */
    static int ofRun(int cellsFailed) {
        return cellsFailed > 0 ? CELLS_FAILED : OK;
    }

    /**
     * Exit code of a nightly: a step that could not run (user error) before failed cells before
     * regressions, because each hides the next (a failed cell also moves its row).
     */
    static int ofNightly(int stepsNotRun, int cellsFailed, long regressions) {
        return stepsNotRun > 0 ? USER_ERROR : cellsFailed > 0 ? CELLS_FAILED : regressions > 0 ? REGRESSED : OK;
    }

    /** Exit code for a command-line syntax problem (unknown option, missing value). */
    static int ofUsage(String message, String command, Session session) {
        session.err().println("bfabench: " + oneLine(message) + " (see 'bfabench" + (command.isEmpty() ? "" : " " + command)
                + " --help')");
        return USER_ERROR;
    }

    /** Prints one line for {@code failure}, logs its stack trace to the log file, and returns the exit code. */
    static int ofFailure(Throwable failure, Session session) {
        Throwable t = failure;
        while (t != null && !(t instanceof BenchException)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        if (t instanceof BenchException user) {
            session.logPath();
            failures.error("bfabench: {}", user.getMessage(), failure);
            session.err().println("bfabench: " + oneLine(user.getMessage()));
            return USER_ERROR;
        }
        String log = session.logPath().toString();
        failures.error("unexpected error", failure);
        session.err().println("bfabench: unexpected error: " + oneLine(String.valueOf(failure))
                + " — this is a bug; the stack trace is in " + log);
        return UNEXPECTED;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
