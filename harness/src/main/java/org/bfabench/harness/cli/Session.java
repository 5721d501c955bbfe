package org.bfabench.harness.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One invocation of the CLI: its console streams, its environment and its log file. Passed to every
 * command instead of touching {@code System.out}/{@code System.getenv} directly, so tests run the CLI
 * in-process and read what it printed.
 */
final class Session implements AutoCloseable {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Path workDir;
    private Optional<LogFile> log = Optional.empty();

    /** @param workDir where a failing {@code list} or {@code grids} writes its log (normally the working directory) */
    Session(PrintStream out, PrintStream err, Map<String, String> env, Path workDir) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.workDir = workDir;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /** Sends logs to {@code <outDir>/.bfabench/bfabench.log} from now on. */
    void logUnder(Path outDir) {
        if (log.isEmpty()) {
            log = Optional.of(LogFile.open(outDir));
        }
    }

    /** The log file, attaching the default one (under the working directory) if none is yet. */
    Path logPath() {
        logUnder(workDir);
        return log.orElseThrow().path();
    }

    void warn(String message) {
        err.println("bfabench: warning: " + message);
    }

    @Override
    public void close() {
        log.ifPresent(LogFile::close);
        log = Optional.empty();
        out.flush();
        err.flush();
    }
}
