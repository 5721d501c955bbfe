package org.bfabench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bfabench.harness.bench.BenchRecord;
import org.bfabench.harness.bench.ThroughputBench;
import org.bfabench.harness.board.BoardCsv;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.nightly.BoardComparison;
import org.bfabench.harness.nightly.BoardTable;
import org.bfabench.harness.nightly.Candidate;
import org.bfabench.harness.nightly.Nightly;
import org.bfabench.harness.nightly.NightlyStep;
import org.bfabench.harness.nightly.StepOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightlyCommandTest {
    @TempDir
    Path tmp;

    private static final String HEADER = String.join(",", BoardCsv.COLUMNS) + "\n";

    /** A row in the real column order; only the compared statistics vary. */
    private static String row(String defense, String attack, String cleanMean, String cleanStd, String flipsMean,
            String ciLow, String ciHigh) {
        return String.join(",", "fashion-mnist", "cnn-small", defense, attack, "5", cleanMean, cleanStd, flipsMean, "3.1",
                flipsMean, "10", ciLow, ciHigh, "0", "500", "42.00", "", "1000", "125", "4047", "276.1", "1.00", "10;11;12;13;14",
                "conv0:30;fc:30", "", "ok", "0.1.0", "abc", "1.0", "fashion-mnist@1;cnn-small@1", "gridsha", "datasha",
                "1;2;3;4;5") + "\n";
    }

    /** Stands in for regenerating a board: "the run" writes a hand-made board, then compares it like GridStep. */
    private record HandMadeBoard(Path baselineCsv, Path regenerated, String board) implements NightlyStep {
        @Override
        public Candidate candidate() {
            return new Candidate("fmnist-standard", Optional.of(Duration.ofMinutes(40)), "test");
        }

        @Override
        public StepOutcome run() {
            try {
                Files.createDirectories(regenerated.getParent());
                Files.writeString(regenerated, board);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            var changes = BoardComparison.compare("fmnist-standard", BoardTable.read(baselineCsv), BoardTable.read(regenerated));
            return new StepOutcome("fmnist-standard", "regenerated", 0, changes, List.of(), "");
        }
    }

    @Test
    void aDoctoredBoardGivesExactlyTheMovedMissingAndNewRowsAndExitFour() throws Exception {
        Path baseline = Files.createDirectories(tmp.resolve("committed"));
        Path baselineCsv = Files.writeString(baseline.resolve("fmnist-standard.csv"), HEADER
                + row("binary-weights", "random-flip", "85.00", "0.50", "300.0", "250.0", "350.0")
                + row("quantized-4bit", "pbfa", "90.00", "0.40", "40.0", "30.0", "52.0")
                + row("quantized-8bit", "pbfa", "91.00", "0.30", "20.0", "15.0", "26.0"));
        Path boards = tmp.resolve("out/leaderboards");
        String regenerated = HEADER
                + row("bnn", "pbfa", "80.00", "1.00", "120.0", "100.0", "140.0")
                + row("quantized-4bit", "pbfa", "90.90", "0.60", "45.0", "33.0", "60.0")
                + row("quantized-8bit", "pbfa", "91.20", "0.30", "31.5", "25.0", "38.0");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Nightly.Result result = new Nightly(Clock.systemUTC(), new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(List.of(new HandMadeBoard(baselineCsv, boards.resolve("fmnist-standard.csv"), regenerated)),
                        Optional.of(Duration.ofHours(1)), boards, baseline);

        assertEquals(boards.resolve("regressions.csv"), result.report().csv());
        assertEquals("""
                grid,dataset,model,defense,attack,kind,metric,previous,current,allowed
                fmnist-standard,fashion-mnist,cnn-small,binary-weights,random-flip,missing_row,,,,
                fmnist-standard,fashion-mnist,cnn-small,bnn,pbfa,new_row,,,,
                fmnist-standard,fashion-mnist,cnn-small,quantized-8bit,pbfa,flips_outside_ci,flips_to_random_mean,20.0,31.5,"[15.0, 26.0]"
                """, Files.readString(result.report().csv()));
        String md = Files.readString(result.report().markdown());
        assertTrue(md.contains("**2 regression(s), 0 failed cell(s), 0 step(s) that could not run.**"), md);
        assertTrue(md.contains("| fashion-mnist | cnn-small | quantized-8bit | pbfa | flips to random moved outside the "
                + "previous 95 % CI | flips_to_random_mean | 20.0 | 31.5 | [15.0, 26.0] |"), md);
        assertFalse(md.contains("quantized-4bit"), "a move within the CI and the accuracy tolerance is not reported: " + md);
        assertEquals(2, result.regressions(), "the new row is listed but does not regress");
        assertEquals(ExitCodes.REGRESSED, ExitCodes.ofNightly(result.errors().size(), result.cellsFailed(), result.regressions()));
    }

    @Test
    void exitCodesRankUserErrorsOverFailedCellsOverRegressions() {
        assertEquals(ExitCodes.OK, ExitCodes.ofNightly(0, 0, 0));
        assertEquals(ExitCodes.REGRESSED, ExitCodes.ofNightly(0, 0, 1));
        assertEquals(ExitCodes.CELLS_FAILED, ExitCodes.ofNightly(0, 2, 1));
        assertEquals(ExitCodes.USER_ERROR, ExitCodes.ofNightly(1, 2, 1));
        assertEquals(4, ExitCodes.REGRESSED);
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), tmp);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Result r, String... needles) {
        assertEquals(ExitCodes.USER_ERROR, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
        for (String n : needles) {
            assertTrue(r.err().contains(n), "'" + n + "' missing from: " + r.err());
        }
    }

    @Test
    void anUnknownGridInGridsExitsTwoWithOneLineListingTheBundledGrids() throws Exception {
        Path baseline = Files.createDirectories(tmp.resolve("committed"));
        Result r = run("nightly", "--grids", "fmnist-quick,no-such-grid", "--baseline", baseline.toString(),
                "--out", tmp.resolve("out").toString());
        assertOneLine(r, "--grids", "no-such-grid");
        for (String name : GridLoader.bundledNames()) {
            assertTrue(r.err().contains(name), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("out/leaderboards")), "nothing ran");
    }

    @Test
    void aMalformedTimeBudgetOrAMissingBaselineExitsTwoNamingTheOption() {
        assertOneLine(run("nightly", "--grids", "smoke", "--time-budget", "soon", "--baseline", tmp.toString()),
                "--time-budget", "soon");
        assertOneLine(run("nightly", "--grids", "smoke", "--baseline", tmp.resolve("nope").toString()),
                "--baseline", "nope");
    }

    @Test
    void theBenchmarksFollowTheGridsAndWithoutARecordOfTheLastBenchAreSkippedUnderABudgetUnlessNoBench() throws Exception {
        Path baseline = Files.createDirectories(tmp.resolve("committed"));
        Result with = run("nightly", "--grids", "smoke", "--time-budget", "1s", "--baseline", baseline.toString(),
                "--out", tmp.resolve("a").toString());
        assertEquals(ExitCodes.OK, with.exit(), with.toString());
        List<String> planned = with.out().lines().filter(l -> l.startsWith("nightly: ")).toList();
        assertEquals(2, planned.size(), with.out());
        assertTrue(planned.get(0).startsWith("nightly: smoke "), planned.get(0));
        assertTrue(planned.get(1).startsWith("nightly: throughput ") && planned.get(1).contains("SKIPPED: cost unknown under a "
                + "time budget (no " + baseline.resolve("throughput.run.json")), planned.get(1));
        assertTrue(Files.readString(tmp.resolve("a/leaderboards/regressions.md")).contains("| throughput | skipped: "));

        Result without = run("nightly", "--grids", "smoke", "--time-budget", "1s", "--no-bench", "--baseline",
                baseline.toString(), "--out", tmp.resolve("b").toString());
        assertEquals(ExitCodes.OK, without.exit(), without.toString());
        assertFalse(without.out().contains("throughput"), without.out());
        assertFalse(Files.readString(tmp.resolve("b/leaderboards/regressions.md")).contains("| throughput |"));
    }

    @Test
    void theCommittedRecordOfTheDefaultBenchEstimatesTheStepAgainstTheBudget() throws Exception {
        Path baseline = Files.createDirectories(tmp.resolve("committed"));
        new BenchRecord(900.0, false, ThroughputBench.defaultPlan(false), 23, 0, "2026-11-25T06:16:15Z")
                .write(baseline.resolve(BenchRecord.FILE));
        Result r = run("nightly", "--grids", "smoke", "--time-budget", "10m", "--baseline", baseline.toString(),
                "--out", tmp.resolve("a").toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("nightly: throughput") && l.endsWith(
                "SKIPPED: estimated 15m00s > 10m00s left of the time budget")), r.out());
    }
}
