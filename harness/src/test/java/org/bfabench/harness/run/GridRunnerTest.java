package org.bfabench.harness.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.board.BoardCsv;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.progress.ProgressFactory;
import org.bfabench.harness.run.fixtures.FixtureRegistry;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridRunnerTest {
    private static final BuildInfo BUILD = new BuildInfo("test-version", "0123456789abcdef0123456789abcdef01234567");
    private static final String GRID = """
            name: unit
            datasets: [blobs]
            models: [linear]
            defenses: [logistic-8bit, logistic-nograd]
            attacks: [random-flip, greedy-bit]
            seeds: [1, 2, 3]
            training: {epochs: 3, batch_size: 32, train_limit: 400, test_limit: 200}
            attack: {flip_budget: 40, eval_size: 100}
            reference_defense: logistic-8bit
            """;

    @TempDir
    Path tmp;

    private final FixtureRegistry registry = new FixtureRegistry();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private GridRunner runner() {
        return new GridRunner(registry, ProgressFactory.NONE, new PrintStream(console, true, StandardCharsets.UTF_8), BUILD);
    }

    private static GridSpec grid(String yaml) {
        return GridLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "unit.yaml", "unit");
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(file)).getRecords();
    }

    private static Map<String, CSVRecord> byDefenseAttack(Path file) throws IOException {
        return csv(file).stream().collect(Collectors.toMap(r -> r.get("defense") + "/" + r.get("attack"), r -> r));
    }

    @Test
    void oneRowPerCombinationEachModelTrainedOnceAndGradientAttackOnGradientFreeSurfaceIsNotApplicable() throws IOException {
        RunSummary s = runner().run(grid(GRID), RunOptions.in(tmp));

        assertEquals(tmp.resolve("leaderboards/unit.csv"), s.leaderboard());
        assertEquals(12, s.cellsRun());
        assertEquals(0, s.cellsReused());
        assertEquals(0, s.cellsFailed());
        assertEquals(3, s.cellsNotApplicable());
        assertEquals(3, registry.logistic().trainings(), "one model per seed, shared by both attacks");
        String header = Files.readAllLines(s.leaderboard()).get(0);
        assertEquals(String.join(",", BoardCsv.COLUMNS), header);

        Map<String, CSVRecord> rows = byDefenseAttack(s.leaderboard());
        assertEquals(4, rows.size());
        CSVRecord na = rows.get("logistic-nograd/greedy-bit");
        assertEquals("0", na.get("seeds"));
        assertTrue(na.get("status").startsWith("n/a (attack 'greedy-bit' needs gradients"), na.get("status"));
        CSVRecord q8 = rows.get("logistic-8bit/random-flip");
        assertEquals("ok", q8.get("status"));
        assertEquals("3", q8.get("seeds"));
        assertEquals("1;2;3", q8.get("seed_list"));
        assertEquals("1.00", q8.get("resistance_vs_reference"));
        assertTrue(Double.parseDouble(q8.get("clean_acc_mean")) > 60, "a linear model separates the blobs: " + q8.get("clean_acc_mean"));
        assertEquals("blobs@1.0.0;linear@1.0.0;logistic-8bit@1.0.0;random-flip@1.0.0", q8.get("plugins"));
        assertEquals(BUILD.gitCommit(), q8.get("git_commit"));
        assertEquals("512", q8.get("weight_bits"));
        assertEquals("64", q8.get("params"));
        assertEquals("4", q8.get("widths"));
        assertEquals(grid(GRID).sha256(), q8.get("grid_sha256"));

        // the row's statistics are those of the stored records (a censored seed counts as the budget)
        ResultStore store = ResultStore.open(tmp.resolve(".bfabench/store/unit"));
        List<CellRecord> cells = store.readAll().stream()
                .filter(r -> r.config().defense().id().equals("logistic-8bit") && r.config().attack().id().equals("random-flip"))
                .toList();
        assertEquals(3, cells.size());
        double mean = cells.stream().mapToDouble(r -> r.result().censored() ? 40 : r.result().flips()).average().orElseThrow();
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f", mean), q8.get("flips_to_random_mean"));
        for (CellRecord r : cells) {
            assertEquals(CellStatus.OK, r.status(), r.message());
            Path trace = tmp.resolve("leaderboards/unit/traces/blobs/linear/logistic-8bit/random-flip/seed-"
                    + r.config().trainSeed() + ".csv.gz");
            assertEquals(r.result().flips() + 1, gunzipLines(trace).size(), "header + one row per flip");
        }
        assertTrue(Files.size(tmp.resolve("leaderboards/unit.png")) > 1000);
        assertTrue(Files.readString(tmp.resolve("leaderboards/README.md")).contains("flips_to_random_ci_low"));
        assertTrue(Files.readString(tmp.resolve("leaderboards/unit.run.json")).contains("attack_seconds_per_flip"));
    }

    @Test
    void gradientGuidedFlipsHurtMoreThanRandomFlipsAfterTenFlips() throws IOException {
        RunSummary s = runner().run(grid(GRID), RunOptions.in(tmp));
        Map<String, CSVRecord> rows = byDefenseAttack(s.leaderboard());
        double greedy = Double.parseDouble(rows.get("logistic-8bit/greedy-bit").get("acc_after_10_mean"));
        double random = Double.parseDouble(rows.get("logistic-8bit/random-flip").get("acc_after_10_mean"));
        assertTrue(greedy < random - 10, "greedy " + greedy + "% vs random " + random + "% after 10 flips");
    }

    @Test
    void shardsMergedGiveTheByteIdenticalBoardOfOneRun() throws IOException {
        Path whole = tmp.resolve("whole");
        runner().run(grid(GRID), RunOptions.in(whole));
        int cells = 0;
        List<Path> outs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("shard" + i);
            outs.add(out);
            RunOptions o = new RunOptions(out, Optional.empty(), true, Optional.of(new Shard(i, 3)), Optional.empty());
            cells += runner().run(grid(GRID), o).cellsRun();
        }
        assertEquals(12, cells, "the shards partition the cells");

        Path merged = tmp.resolve("merged");
        RunSummary m = Merger.merge(outs, merged);
        assertEquals(12, m.cellsReused());
        assertArrayEquals(Files.readAllBytes(whole.resolve("leaderboards/unit.csv")),
                Files.readAllBytes(merged.resolve("leaderboards/unit.csv")));
    }

    @Test
    void resumingAfterAnInterruptedRunRecomputesOnlyMissingCellsAndGivesTheSameBoard() throws IOException {
        GridRunner runner = runner();
        RunSummary first = runner.run(grid(GRID), RunOptions.in(tmp));
        byte[] board = Files.readAllBytes(first.leaderboard());
        Path store = tmp.resolve(".bfabench/store/unit");
        List<Path> records;
        try (var files = Files.list(store)) {
            records = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        Files.delete(records.get(0));
        Files.delete(records.get(5));
        Files.delete(records.get(7));
        Path halfWritten = store.resolve(records.get(5).getFileName() + ".partial-999-1.tmp");
        Files.writeString(halfWritten, "{\"format\": 1, \"key\": \"trunc");
        int trainings = registry.logistic().trainings();

        RunSummary second = runner.run(grid(GRID), RunOptions.in(tmp));

        assertEquals(3, second.cellsRun());
        assertEquals(9, second.cellsReused());
        assertFalse(Files.exists(halfWritten), "half-written temp files are cleaned on start");
        assertEquals(trainings, registry.logistic().trainings(), "models come from the model cache");
        assertArrayEquals(board, Files.readAllBytes(second.leaderboard()));
    }

    @Test
    void aPluginThatThrowsFailsOnlyItsCellAndIsRetriedByTheNextRun() throws IOException {
        GridSpec g = grid(GRID.replace("attacks: [random-flip, greedy-bit]", "attacks: [broken, random-flip]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [logistic-8bit]")
                .replace("seeds: [1, 2, 3]", "seeds: [1]"));
        RunSummary s = runner().run(g, RunOptions.in(tmp));

        assertEquals(1, s.cellsFailed());
        Map<String, CSVRecord> rows = byDefenseAttack(s.leaderboard());
        assertEquals("failed:1", rows.get("logistic-8bit/broken").get("status"));
        assertEquals("ok", rows.get("logistic-8bit/random-flip").get("status"));
        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("FAILED: IllegalStateException: broken attack: index out of its mind"), out);
        assertFalse(out.contains("second line of detail"), "only the first line goes to the console");

        RunSummary again = runner().run(g, RunOptions.in(tmp));
        assertEquals(1, again.cellsRun(), "FAILED cells are retried, OK cells reused");
        assertEquals(1, again.cellsReused());
    }

    @Test
    void anAttackThatHangsIsAbandonedAsTimeoutAndTheNextAttackRunsOnAFreshCopyOfTheModel() throws IOException {
        GridSpec g = grid(GRID.replace("attacks: [random-flip, greedy-bit]", "attacks: [stuck, random-flip]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [logistic-8bit]")
                .replace("seeds: [1, 2, 3]", "seeds: [1]"));
        RunOptions o = new RunOptions(tmp, Optional.empty(), true, Optional.empty(), Optional.of(Duration.ofMillis(700)));
        RunSummary s = runner().run(g, o);

        assertEquals(1, s.cellsFailed());
        Map<String, CSVRecord> rows = byDefenseAttack(s.leaderboard());
        assertEquals("timeout:1", rows.get("logistic-8bit/stuck").get("status"));
        assertEquals("ok", rows.get("logistic-8bit/random-flip").get("status"));
        assertEquals(1, registry.logistic().trainings(), "the model was reloaded from the cache, not retrained");

        // the random-flip cell equals the one of a run without the hanging attack
        Path clean = tmp.resolve("clean");
        GridSpec alone = grid(GRID.replace("attacks: [random-flip, greedy-bit]", "attacks: [random-flip]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [logistic-8bit]")
                .replace("seeds: [1, 2, 3]", "seeds: [1]"));
        runner().run(alone, RunOptions.in(clean));
        assertEquals(byDefenseAttack(clean.resolve("leaderboards/unit.csv")).get("logistic-8bit/random-flip")
                .get("flips_per_seed"), rows.get("logistic-8bit/random-flip").get("flips_per_seed"));
    }

    @Test
    void modelsWithoutSurfaceAndUnsupportedArchitecturesAreNotApplicable() throws IOException {
        GridSpec g = grid(GRID.replace("models: [linear]", "models: [linear, tiny-conv]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [float-logistic, logistic-8bit]")
                .replace("attacks: [random-flip, greedy-bit]", "attacks: [random-flip]")
                .replace("seeds: [1, 2, 3]", "seeds: [1]")
                .replace("reference_defense: logistic-8bit", ""));
        RunSummary s = runner().run(g, RunOptions.in(tmp));

        assertEquals(4, s.cellsRun());
        assertEquals(3, s.cellsNotApplicable());
        assertEquals(0, s.cellsFailed());
        List<CSVRecord> rows = csv(s.leaderboard());
        Map<String, String> status = rows.stream()
                .collect(Collectors.toMap(r -> r.get("model") + "/" + r.get("defense"), r -> r.get("status")));
        assertEquals("n/a (defense 'float-logistic' built a model without an attack surface)", status.get("linear/float-logistic"));
        assertEquals("n/a (defense 'logistic-8bit' cannot build model 'tiny-conv')", status.get("tiny-conv/logistic-8bit"));
        assertEquals("ok", status.get("linear/logistic-8bit"));
    }

    @Test
    void attackSeedsAttackOneTrainedModelOncePerAttackSeed() throws IOException {
        GridSpec g = grid(GRID.replace("seeds: [1, 2, 3]", "seeds: [1]\nattack_seeds: [7, 8]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [logistic-8bit]")
                .replace("attacks: [random-flip, greedy-bit]", "attacks: [random-flip]"));
        RunSummary s = runner().run(g, RunOptions.in(tmp));
        assertEquals(2, s.cellsRun());
        assertEquals(1, registry.logistic().trainings());
        CSVRecord row = csv(s.leaderboard()).get(0);
        assertEquals("2", row.get("seeds"));
        assertEquals("1/7;1/8", row.get("seed_list"));
        assertTrue(Files.exists(tmp.resolve("leaderboards/unit/traces/blobs/linear/logistic-8bit/random-flip/seed-1-8.csv.gz")));
    }

    @Test
    void aDefenseThatThrowsWhileTrainingFailsEveryCellOfThatModel() throws IOException {
        GridSpec g = grid(GRID.replace("defenses: [logistic-8bit, logistic-nograd]",
                "defenses: [{id: logistic-8bit, options: {fail_training: true}}, logistic-nograd]")
                .replace("seeds: [1, 2, 3]", "seeds: [1]"));
        RunSummary s = runner().run(g, RunOptions.in(tmp));
        assertEquals(2, s.cellsFailed());
        Map<String, CSVRecord> rows = byDefenseAttack(s.leaderboard());
        assertEquals("failed:1", rows.get("logistic-8bit/random-flip").get("status"));
        assertEquals("ok", rows.get("logistic-nograd/random-flip").get("status"));
        ResultStore store = ResultStore.open(tmp.resolve(".bfabench/store/unit"));
        assertTrue(store.readAll().stream().filter(r -> r.status() == CellStatus.FAILED)
                .allMatch(r -> r.message().equals("training: IllegalArgumentException: learning rate schedule diverged")));
    }

    @Test
    void guiceBuildsTheRunnerFromARegistryBinding() {
        GridRunner r = com.google.inject.Guice.createInjector(b -> b.bind(org.bfabench.harness.plugin.PluginRegistry.class)
                .toInstance(registry)).getInstance(GridRunner.class);
        assertTrue(r != null);
    }

    @Test
    void mergingStoresOfDifferentGridFilesIsRefused() {
        String one = GRID.replace("seeds: [1, 2, 3]", "seeds: [1]").replace("attacks: [random-flip, greedy-bit]", "attacks: [random-flip]")
                .replace("defenses: [logistic-8bit, logistic-nograd]", "defenses: [logistic-8bit]");
        runner().run(grid(one), RunOptions.in(tmp.resolve("a")));
        runner().run(grid(one.replace("flip_budget: 40", "flip_budget: 41")), RunOptions.in(tmp.resolve("b")));
        String m = org.junit.jupiter.api.Assertions.assertThrows(org.bfabench.spi.BenchException.class,
                () -> Merger.merge(List.of(tmp.resolve("a"), tmp.resolve("b")), tmp.resolve("m"))).getMessage();
        assertTrue(m.startsWith("merge: the stores hold results of different grids or grid files"), m);
    }

    private static List<String> gunzipLines(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
