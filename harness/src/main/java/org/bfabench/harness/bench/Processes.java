package org.bfabench.harness.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bfabench.spi.BenchException;

/**
 * Runs an external command to completion, its output going to a log file. The benchmarks run out of
 * process ({@code java -jar benchmarks.jar}) because they need the plugin modules, which the harness must
 * not have on its class path; this seam is the one place a process starts, so a test can stand in for
 * JMH by writing the result file JMH would write.
 */
@FunctionalInterface
public interface Processes {
    /**
     * @param command the command line
     * @param log     where its standard output and error go
     * @param what    what it is, for the failure message
     * @throws BenchException when it cannot start or exits non-zero
     */
    void run(List<String> command, Path log, String what);

    /** Real processes; {@code OMP_WAIT_POLICY=passive} so idle native threads do not spin on 2 shared cores. */
    Processes SYSTEM = (command, log, what) -> {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
        try {
            Process p = pb.start();
            int code = p.waitFor();
            if (code != 0) {
                throw new BenchException(what + " failed with exit code " + code + "; see " + log);
            }
        } catch (IOException e) {
            throw new BenchException("cannot start " + command.get(0) + " (" + e.getMessage() + "); check JAVA_HOME", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(what + " was interrupted; rerun 'bfabench bench'", e);
        }
    };
}
