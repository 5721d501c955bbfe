package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./bfabench} launcher in a child process, on the harness jar and {@code harness/target/lib}
 * that the reactor build has just packaged ({@code BFABENCH_SKIP_BUILD=1}: no Maven inside Maven).
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private static Path root() {
        return Path.of(System.getProperty("bfabench.root", "../..")).toAbsolutePath().normalize();
    }

    private Cli.Result launch(String... args) throws IOException, InterruptedException {
        Path root = root();
        assumeTrue(Files.isDirectory(root.resolve("harness/target/lib")),
                "needs the packaged harness (harness/target/lib); run the whole reactor, e.g. ./mvnw -B verify");
        var cmd = new java.util.ArrayList<String>();
        cmd.add(root.resolve("bfabench").toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
        pb.environment().put("BFABENCH_SKIP_BUILD", "1");
        pb.environment().put("BFABENCH_JAVA_OPTS", "-Xmx512m");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "launcher did not finish");
        return new Cli.Result(p.exitValue(), Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherListsTheBuiltInPluginsAndExitsZero() throws Exception {
        Cli.Result r = launch("list");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("pbfa ") && l.contains("built-in")), r.toString());
    }

    @Test
    void theLauncherPassesExitCodeTwoAndOneLineThroughForAnUnknownGrid() throws Exception {
        Cli.Result r = launch("run", "--grid", "no-such-grid", "--out", tmp.resolve("out").toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("bfabench: grid 'no-such-grid'"), r.toString());
    }
}
