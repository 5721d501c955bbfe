package org.bfabench.harness.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bfabench.harness.bench.BenchRecord;
import org.bfabench.harness.bench.JmhRun;
import org.bfabench.harness.bench.JmhStandIn;
import org.bfabench.harness.bench.MovingClock;
import org.bfabench.harness.bench.ThroughputBench;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.progress.ProgressFactory;
import org.bfabench.harness.run.BuildInfo;
import org.bfabench.harness.run.GridRunner;
import org.bfabench.harness.run.RunOptions;
import org.bfabench.harness.run.fixtures.FixtureRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputStepTest {
    private static final String GRID = """
            name: unit
            datasets: [blobs]
            models: [linear]
            defenses: [logistic-8bit]
            attacks: [random-flip]
            seeds: [1]
            training: {epochs: 2, batch_size: 32, train_limit: 300, test_limit: 150}
            attack: {flip_budget: 20, eval_size: 100}
            reference_defense: logistic-8bit
            """;
    private static final String JVM = "17.0.15 OpenJDK 64-Bit Server VM";
    /** The plan for the grid's model and defense (no binary activations, so no float path). */
    private static final List<JmhRun> PLAN = ThroughputBench.plan(List.of("linear"), List.of("logistic-8bit"), false);

    @TempDir
    Path tmp;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-26T01:30:00Z"));
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    private int jmhRuns;

    /** The stand-in JMH measures: inference 3000 ± 100 img/s, PBS 4.0 ± 0.5 s; the training step fails (no result). */
    private JmhStandIn jmh() {
        return new JmhStandIn(c -> switch (c.method()) {
            case "InferenceBenchmark.model" -> Optional.of(new JmhStandIn.Measured(3000.0, 100.0, 2900, 3000, 3100, 2950, 3050));
            case "PbsIterationBenchmark.pbs" -> Optional.of(new JmhStandIn.Measured(4.0, 0.5, 3.6, 4.0, 4.4, 3.9, 4.1));
            default -> Optional.empty();
        }, () -> {
            jmhRuns++;
            clock.advance(Duration.ofMinutes(3));
        });
    }

    private ThroughputStep step(Path outDir, Path baseline) {
        return new ThroughputStep(new ThroughputBench(jmh(), out, clock), () -> tmp.resolve("benchmarks.jar"), PLAN, outDir,
                baseline);
    }

    private Path committed(String throughputCsv, Optional<Double> wallSeconds, boolean quick) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("committed"));
        Files.writeString(dir.resolve("throughput.csv"), throughputCsv);
        if (wallSeconds.isPresent()) {
            new BenchRecord(wallSeconds.get(), quick, PLAN, 3, 0, "2026-11-25T06:16:15Z").write(dir.resolve(BenchRecord.FILE));
        }
        return dir;
    }

    private static final String COMMITTED_TABLE = """
            benchmark,model,defense,path,unit,score,score_error,samples,jvm,date
            inference,linear,logistic-8bit,model,img/s,4047,276.1,5,%1$s,2026-11-25T06:16:15Z
            pbs_iteration,resnet20,quantized-8bit,attack,s/iteration,3.334,1.122,5,%1$s,2026-11-25T06:16:15Z
            train_step,resnet20,quantized-8bit,training,s/step,0.9028,0.4642,5,%1$s,2026-11-25T06:16:15Z
            """.formatted(JVM);

    @Test
    void afterTheGridTheBenchmarksFillTheRegeneratedBoardAndTheSlowerDisjointConfigurationRegresses() throws Exception {
        Path baseline = committed(COMMITTED_TABLE, Optional.of(540.0), false);
        Files.writeString(baseline.resolve("unit.run.json"), "{\"grid\": \"unit\", \"shard\": \"all\", \"wall_seconds\": 60.0}");
        Path night = tmp.resolve("night");
        GridSpec grid = GridLoader.parse(GRID.getBytes(StandardCharsets.UTF_8), "unit.yaml", "unit");
        GridRunner runner = new GridRunner(new FixtureRegistry(), ProgressFactory.NONE, out,
                new BuildInfo("test-version", "0123456789abcdef0123456789abcdef01234567"));
        ThroughputStep bench = step(night, baseline);
        assertEquals(Optional.of(Duration.ofMinutes(9)), bench.candidate().estimate(), bench.candidate().source());

        Nightly.Result r = new Nightly(clock, out).run(List.of(new GridStep(grid, runner, RunOptions.in(night), baseline), bench),
                Optional.of(Duration.ofMinutes(30)), night.resolve("leaderboards"), baseline);

        assertEquals(3, jmhRuns);
        assertEquals(List.of("unit", "throughput"), r.outcomes().stream().map(StepOutcome::name).toList());
        List<CSVRecord> board = records(night.resolve("leaderboards/unit.csv"));
        assertEquals(List.of("3000 100.0"), board.stream().map(b -> b.get("infer_img_per_s") + " "
                + b.get("infer_img_per_s_error")).toList(), "the regenerated board carries the new inference figure");
        assertEquals("""
                grid,dataset,model,defense,attack,kind,metric,previous,current,allowed
                throughput,,linear,logistic-8bit,,throughput_dropped,inference/model img/s,4047 ± 276.1,3000 ± 100.0,"[3770.9, 4323.1]"
                throughput,,resnet20,quantized-8bit,,missing_row,train_step/training s/step,0.9028 ± 0.4642,,
                """, Files.readString(r.report().csv()));
        assertEquals(2, r.regressions());
        assertEquals(1, r.cellsFailed(), "the training step JMH gave no result for counts as failed");
        String md = Files.readString(r.report().markdown());
        assertTrue(md.contains("| — | linear | logistic-8bit | — | slower: the JMH intervals score ± error of the committed "
                + "and the new run are disjoint | inference/model img/s | 4047 ± 276.1 | 3000 ± 100.0 | [3770.9, 4323.1] |"), md);
        assertTrue(md.contains("no result for TrainStepBenchmark.trainStep resnet20/quantized-8bit"), md);
        assertEquals(540.0, BenchRecord.read(night.resolve("leaderboards/" + BenchRecord.FILE)).wallSeconds(),
                "three JMH runs of 3 minutes, recorded for the next night's estimate");
    }

    private static List<CSVRecord> records(Path csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }

    @Test
    void withoutARecordOfTheLastBenchTheStepIsSkippedUnderABudgetAndRunsWithoutOne() throws Exception {
        Path baseline = committed(COMMITTED_TABLE, Optional.empty(), false);
        ThroughputStep bench = step(tmp.resolve("n1"), baseline);
        assertTrue(bench.candidate().estimate().isEmpty());

        Nightly.Result budgeted = new Nightly(clock, out).run(List.of(bench), Optional.of(Duration.ofHours(5)),
                tmp.resolve("n1/leaderboards"), baseline);
        assertEquals(0, jmhRuns);
        assertEquals("cost unknown under a time budget (no " + baseline.resolve(BenchRecord.FILE) + " to estimate from; run "
                + "'bfabench bench' and commit it)", budgeted.skipped().get(0).reason());
        assertTrue(Files.readString(budgeted.report().markdown()).contains("| throughput | skipped: cost unknown"));

        Nightly.Result unbudgeted = new Nightly(clock, out).run(List.of(step(tmp.resolve("n2"), baseline)), Optional.empty(),
                tmp.resolve("n2/leaderboards"), baseline);
        assertEquals(3, jmhRuns);
        assertEquals(List.of(), unbudgeted.skipped());
        assertTrue(Files.isRegularFile(tmp.resolve("n2/leaderboards/throughput.csv")));
    }

    @Test
    void anEstimateFromTheLastBenchDecidesWhetherItFitsTheBudget() throws Exception {
        Path baseline = committed(COMMITTED_TABLE, Optional.of(900.0), false);
        Nightly.Result tight = new Nightly(clock, out).run(List.of(step(tmp.resolve("n1"), baseline)),
                Optional.of(Duration.ofMinutes(10)), tmp.resolve("n1/leaderboards"), baseline);
        assertEquals(0, jmhRuns);
        assertEquals("estimated 15m00s > 10m00s left of the time budget", tight.skipped().get(0).reason());

        new Nightly(clock, out).run(List.of(step(tmp.resolve("n2"), baseline)), Optional.of(Duration.ofMinutes(15)),
                tmp.resolve("n2/leaderboards"), baseline);
        assertEquals(3, jmhRuns, "15 minutes fit a budget of 15 minutes");
    }

    @Test
    void aRecordOfAQuickOrDifferentBenchGivesNoEstimate() throws Exception {
        Path baseline = committed(COMMITTED_TABLE, Optional.of(120.0), true);
        Candidate quick = step(tmp.resolve("n"), baseline).candidate();
        assertEquals(Optional.empty(), quick.estimate());
        assertTrue(quick.source().contains("--quick"), quick.source());


        new BenchRecord(120.0, false, PLAN, 3, 0, "d").write(baseline.resolve(BenchRecord.FILE));
        assertEquals(Optional.of(Duration.ofMinutes(2)), step(tmp.resolve("n"), baseline).candidate().estimate(),
                "the same full plan is estimated by its record");
        Candidate other = ThroughputStep.candidate(baseline.resolve(BenchRecord.FILE), ThroughputBench.defaultPlan(false));
        assertEquals(Optional.empty(), other.estimate());
        assertTrue(other.source().contains("other models, defenses or benchmarks"), other.source());
    }
}
