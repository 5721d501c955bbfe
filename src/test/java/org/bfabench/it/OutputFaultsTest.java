package org.bfabench.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bfabench.harness.io.Json;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output directory that cannot be written (a file where a directory must be, a write that fails in
 * the middle of a run) ends the run with exit 2 and one line naming the path, and never costs a finished
 * result. Files stand in for read-only directories because CI runs as root, for whom chmod changes nothing.
 */
class OutputFaultsTest {
    /** Two cells sharing one tiny model. */
    private static final String GRID = """
            name: faults
            datasets: [fashion-mnist]
            models: [mlp]
            defenses: [quantized-8bit]
            attacks: [random-flip, pbfa]
            seeds: [1]
            training: {epochs: 1, batch_size: 64, train_limit: 500, test_limit: 200}
            attack: {flip_budget: 5, eval_size: 100}
            """;

    @TempDir
    Path tmp;
    private Path grid;
    private Path out;

    @BeforeEach
    void gridFile() throws IOException {
        assumeTrue(Cli.fashionMnistInstalled(), "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)");
        grid = Files.writeString(tmp.resolve("faults.yaml"), GRID);
        out = tmp.resolve("out");
    }

    private Cli.Result run() {
        return Cli.run(tmp, "run", "--grid", grid.toString(), "--out", out.toString(), "--offline");
    }

    private Path store() {
        return out.resolve(".bfabench/store/faults");
    }

    private List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(store())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void assertOneLineNaming(Cli.Result r, Path path) {
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("bfabench: "), r.toString());
        assertTrue(r.err().contains(path.toString()), "the line names " + path + ":\n" + r);
    }

    @Test
    void unwritableLeaderboardsThenAFailingRecordWriteStopWithOneLineAndKeepEveryFinishedCell() throws Exception {
        Files.createDirectories(out);
        Path leaderboards = Files.writeString(out.resolve("leaderboards"), "in the way\n");
        Cli.Result blocked = run();
        assertOneLineNaming(blocked, leaderboards);
        assertTrue(blocked.err().contains("--out"), "says what to do: " + blocked.err());
        List<Path> finished = records();
        assertEquals(2, finished.size(), "both cells finished before the board failed");
        for (Path f : finished) {
            assertEquals(CellStatus.OK, Json.mapper().readValue(f.toFile(), CellRecord.class).status(), f.toString());
        }

        // a write that fails mid-run (as on a full disk): one cell's record path is unwritable
        Files.delete(leaderboards);
        Path kept = finished.get(0);
        byte[] keptBytes = Files.readAllBytes(kept);
        Path blockedRecord = finished.get(1);
        Files.delete(blockedRecord);
        Files.createDirectories(blockedRecord.resolve("not-empty"));
        Cli.Result failedWrite = run();
        assertOneLineNaming(failedWrite, blockedRecord);
        assertArrayEquals(keptBytes, Files.readAllBytes(kept), "a finished record is untouched");

        Files.delete(blockedRecord.resolve("not-empty"));
        Files.delete(blockedRecord);
        Cli.Result resumed = run();
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.out().contains("(1 cells run, 1 reused"), resumed.toString());
        assertEquals(1 + 2, Files.readString(out.resolve("leaderboards/faults.csv")).lines().count());
    }

    @Test
    void aModelCacheThatCannotBeCreatedStopsTheRunBeforeTrainingWithOneLine() throws Exception {
        Files.createDirectories(out.resolve(".bfabench"));
        Path cache = Files.writeString(out.resolve(".bfabench/cache"), "in the way\n");
        Cli.Result r = run();
        assertOneLineNaming(r, cache);
        assertEquals(List.of(), records(), "no cell was run or recorded");
    }

    /**
     * A cell that fails (here: an option the defense rejects at training time) puts its one
     * {@code FAILED} line on the console, and its stack trace only in the log file.
     */
    @Test
    void aFailedCellShowsOneLineOnTheConsoleOfTheLauncherAndItsStackTraceOnlyInTheLog() throws Exception {
        Launch.assumeBuilt();
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), GRID.replace("name: faults", "name: bad")
                .replace("defenses: [quantized-8bit]", "defenses: [{id: quantized-8bit, options: {learning_rate: 0.1}}]"));
        Cli.Result r = Launch.run(tmp, "run", "--grid", bad.toString(), "--out", out.toString(), "--offline");
        String err = r.err();
        assertEquals(3, r.exit(), err);
        List<String> failedLines = err.lines().filter(l -> l.matches("^\\[\\d/2] .*FAILED: .*learning_rate.*")).toList();
        assertEquals(2, failedLines.size(), err);
        assertFalse(err.lines().anyMatch(l -> l.startsWith("\tat ") || !l.startsWith("[") && l.contains("Exception")),
                "no stack trace on the console:\n" + err);
        String log = Files.readString(out.resolve(".bfabench/bfabench.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("\tat org.bfabench."), "the stack trace is in the log file");
    }
}
