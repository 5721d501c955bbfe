package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./bfabench} in a child process on the packaged build ({@code BFABENCH_SKIP_BUILD=1}: no
 * Maven inside Maven), for what only a real process shows: the console of logback, kill -9, the JVM's
 * own memory limit.
 */
final class Launch {
    private Launch() {
    }

    static Path root() {
        return Path.of(System.getProperty("bfabench.root", "../..")).toAbsolutePath().normalize();
    }

    static void assumeBuilt() {
        assumeTrue(Files.isDirectory(root().resolve("harness/target/lib")),
                "needs the packaged harness (harness/target/lib); run the whole reactor, e.g. ./mvnw -B verify");
    }

    /** A process builder for {@code ./bfabench args} in {@code workDir} with a 512 MB heap. */
    static ProcessBuilder builder(Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(root().resolve("bfabench").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("BFABENCH_SKIP_BUILD", "1");
        pb.environment().put("BFABENCH_JAVA_OPTS", "-Xmx512m");
        return pb;
    }

    /** Runs to the end; stdout and stderr go to files in {@code workDir}. */
    static Cli.Result run(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = workDir.resolve("launch.stdout");
        Path err = workDir.resolve("launch.stderr");
        Process p = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "bfabench did not finish");
        return new Cli.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
