package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.harness.bench.MovingClock;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.progress.ProgressFactory;
import org.bfabench.harness.run.BuildInfo;
import org.bfabench.harness.run.GridRunner;
import org.bfabench.harness.run.RunOptions;
import org.bfabench.harness.run.fixtures.FixtureRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NightlyTest {
    private static final String GRID = """
            name: unit
            datasets: [blobs]
            models: [linear]
            defenses: [logistic-8bit]
            attacks: [random-flip, greedy-bit]
            seeds: [1, 2]
            training: {epochs: 2, batch_size: 32, train_limit: 300, test_limit: 150}
            attack: {flip_budget: 30, eval_size: 100}
            reference_defense: logistic-8bit
            """;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    private GridStep step(Path outDir, Path baseline) {
        GridSpec grid = GridLoader.parse(GRID.getBytes(StandardCharsets.UTF_8), "unit.yaml", "unit");
        GridRunner runner = new GridRunner(new FixtureRegistry(), ProgressFactory.NONE, out,
                new BuildInfo("test-version", "0123456789abcdef0123456789abcdef01234567"));
        return new GridStep(grid, runner, RunOptions.in(outDir), baseline);
    }

    @Test
    void regeneratingFromScratchWithTheSameCodeReproducesTheCommittedBoardSoNothingRegresses() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Nightly nightly = new Nightly(Clock.systemUTC(), out);
        Nightly.Result first = nightly.run(List.of(step(tmp.resolve("night1"), empty)), Optional.empty(),
                tmp.resolve("night1/leaderboards"), empty);
        assertTrue(first.outcomes().get(0).notes().get(0).startsWith("no committed board"), first.toString());
        assertEquals(0, first.regressions());

        Path committed = tmp.resolve("night1/leaderboards");
        GridStep second = step(tmp.resolve("night2"), committed);
        assertTrue(second.candidate().estimate().isPresent(), "night 1's unit.run.json gives the cost: " + second.candidate());
        Nightly.Result result = nightly.run(List.of(second), Optional.of(Duration.ofHours(1)),
                tmp.resolve("night2/leaderboards"), committed);

        assertEquals(List.of(), result.outcomes().get(0).changes());
        assertEquals(List.of(), result.outcomes().get(0).notes());
        assertEquals(0, result.cellsFailed());
        assertEquals(String.join(",", RegressionReport.COLUMNS) + "\n", Files.readString(result.report().csv()));
        assertTrue(Files.readString(result.report().markdown()).contains("**Nothing regressed.**"));
        assertEquals(Files.readString(committed.resolve("unit.csv")), Files.readString(tmp.resolve("night2/leaderboards/unit.csv")),
                "a fresh store, same seeds: a byte-identical board");
    }

    private record TimedStep(String name, Duration estimate, Duration takes, MovingClock clock, List<String> ran)
            implements NightlyStep {
        @Override
        public Candidate candidate() {
            return new Candidate(name, Optional.of(estimate), "test");
        }

        @Override
        public StepOutcome run() {
            ran.add(name);
            clock.advance(takes);
            return new StepOutcome(name, "ran", 0, List.of(), List.of(), "");
        }
    }

    @Test
    void aStepThatRanLongerThanEstimatedPushesOutALaterStepThatNoLongerFits() {
        MovingClock clock = new MovingClock(Instant.parse("2026-01-01T02:00:00Z"));
        List<String> ran = new ArrayList<>();
        List<NightlyStep> steps = List.of(
                new TimedStep("a", Duration.ofMinutes(20), Duration.ofMinutes(45), clock, ran),
                new TimedStep("big", Duration.ofMinutes(50), Duration.ofMinutes(1), clock, ran),
                new TimedStep("b", Duration.ofMinutes(20), Duration.ofMinutes(5), clock, ran),
                new TimedStep("c", Duration.ofMinutes(10), Duration.ofMinutes(5), clock, ran));
        Nightly.Result r = new Nightly(clock, out).run(steps, Optional.of(Duration.ofHours(1)), tmp.resolve("lb"), tmp);

        assertEquals(List.of("a", "c"), ran, "planned: a, b, c (big never fits); after a took 45m only 15m are left");
        assertEquals(List.of("big", "b"), r.skipped().stream().map(d -> d.candidate().name()).toList());
        assertTrue(r.skipped().get(1).reason().contains("earlier steps ran longer than estimated"), r.skipped().get(1).reason());
    }
}
