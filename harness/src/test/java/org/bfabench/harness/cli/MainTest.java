package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.plugin.PluginJars;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, tmp);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    private static void assertOneUserErrorLine(Result r, String... needles) {
        assertEquals(ExitCodes.USER_ERROR, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), "exactly one line on stderr: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("bfabench: "), line);
        for (String n : needles) {
            assertTrue(line.contains(n), "'" + n + "' missing from: " + line);
        }
    }

    @Test
    void anUnknownGridNameExitsTwoWithOneLineListingTheBundledGrids() {
        Result r = run("run", "--grid", "no-such-grid", "--out", tmp.toString());
        assertOneUserErrorLine(r, "no-such-grid");
        for (String name : GridLoader.bundledNames()) {
            assertTrue(r.err().contains(name), r.err());
        }
    }

    @Test
    void anUnknownOptionExitsTwoWithOneLineNamingIt() {
        assertOneUserErrorLine(run("run", "--frobnicate"), "--frobnicate", "bfabench run --help");
    }

    @Test
    void noCommandExitsTwo() {
        assertOneUserErrorLine(run(), "command");
    }

    @Test
    void aMalformedGridFileExitsTwoWithOneLineAndTheStackTraceGoesToTheLogFile() throws Exception {
        Path grid = Files.writeString(tmp.resolve("broken.yaml"), "name: broken\ndatasets: [fashion-mnist\nmodels: [mlp]\n");
        Path out = tmp.resolve("out");
        Result r = run("run", "--grid", grid.toString(), "--out", out.toString());
        assertOneUserErrorLine(r, "broken.yaml");
        assertFalse(r.err().contains("\tat "), "no stack trace on the console");
        String log = Files.readString(out.resolve(".bfabench/bfabench.log"));
        assertTrue(log.contains("broken.yaml") && log.contains("\tat "), "the log holds the stack trace:\n" + log);
    }

    @Test
    void aMalformedShardExitsTwo() {
        assertOneUserErrorLine(run("run", "--shard", "4/4", "--out", tmp.toString()), "shard");
    }

    @Test
    void aMalformedCellTimeoutExitsTwo() {
        assertOneUserErrorLine(run("run", "--cell-timeout", "soon", "--out", tmp.toString()), "--cell-timeout", "soon");
    }

    @Test
    void aMissingDataDirectoryExitsTwo() {
        assertOneUserErrorLine(run("run", "--data-dir", tmp.resolve("nope").toString(), "--out", tmp.toString()),
                "--data-dir", "nope");
    }

    @Test
    void aMissingBfabenchDataDirectoryExitsTwo() {
        assertOneUserErrorLine(run(Map.of("BFABENCH_DATA", tmp.resolve("gone").toString()), "run", "--out", tmp.toString()),
                "BFABENCH_DATA", "gone");
    }

    @Test
    void anExplicitPluginsDirectoryThatDoesNotExistExitsTwo() {
        assertOneUserErrorLine(run("list", "--plugins", tmp.resolve("absent").toString()), "--plugins", "absent");
    }

    @Test
    void listShowsThirdPartyComponentsAndWarnsAboutBrokenJarsButStillSucceeds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Path good = PluginJars.jar(dir, "good.jar", PluginJars.attackPlugin("cli.good", SpiVersion.MAJOR, "", "cli-flipper"),
                "cli.good.Plugin");
        PluginJars.jar(dir, "old.jar", PluginJars.attackPlugin("cli.old", 99, "", "old-flipper"), "cli.old.Plugin");
        Result r = run("list", "--plugins", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        String row = r.out().lines().filter(l -> l.startsWith("cli-flipper ")).findFirst().orElseThrow();
        assertTrue(row.matches("cli-flipper\\s+attack\\s+1\\.0\\.0\\s+" + SpiVersion.MAJOR + "\\s+"
                + java.util.regex.Pattern.quote(good.toString()) + "\\s+sequential sign-bit flips.*"), row);
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("bfabench: warning: ") && r.err().contains("old.jar") && r.err().contains("SPI 99"), r.err());
    }

    @Test
    void strictPluginsTurnsAPluginProblemIntoExitTwoLoggingUnderTheWorkingDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        Files.writeString(dir.resolve("junk.jar"), "not a zip");
        Result r = run("list", "--plugins", dir.toString(), "--strict-plugins");
        assertEquals(ExitCodes.USER_ERROR, r.exit(), r.toString());
        assertTrue(r.errLines().get(0).contains("junk.jar"), r.err());
        assertTrue(r.errLines().get(1).contains("--strict-plugins"), r.err());
        assertTrue(Files.readString(tmp.resolve(".bfabench/bfabench.log")).contains("--strict-plugins"));
    }

    @Test
    void aSuccessfulListWritesNoLogFile() {
        assertEquals(ExitCodes.OK, run("list").exit());
        assertFalse(Files.exists(tmp.resolve(".bfabench")));
    }

    @Test
    void aBenchExceptionAnywhereInTheCauseChainIsAUserErrorAndAnythingElseIsUnexpectedNamingTheLog() {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Session s = new Session(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of(), tmp)) {
            s.logUnder(tmp);
            assertEquals(ExitCodes.USER_ERROR, ExitCodes.ofFailure(
                    new IllegalStateException("wrapped", new BenchException("model.npz: truncated\nre-train it")), s));
            assertEquals(ExitCodes.UNEXPECTED, ExitCodes.ofFailure(new ArithmeticException("/ by zero"), s));
        }
        err.toString(StandardCharsets.UTF_8).lines().forEach(lines::add);
        assertEquals(List.of("bfabench: model.npz: truncated re-train it",
                "bfabench: unexpected error: java.lang.ArithmeticException: / by zero — this is a bug; the stack trace is in "
                        + tmp.resolve(".bfabench/bfabench.log").toAbsolutePath().normalize()), lines);
    }

    @Test
    void aRunWithFailedCellsExitsThree() {
        assertEquals(ExitCodes.CELLS_FAILED, ExitCodes.ofRun(1));
        assertEquals(ExitCodes.OK, ExitCodes.ofRun(0));
    }
}
