package org.bfabench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bfabench.harness.board.InferenceThroughput;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputTableTest {
    private static final String DATE = "2026-11-25T06:00:53Z";

    @TempDir
    Path dir;

    /** One JMH -rf json entry, trimmed to the fields JMH 1.37 writes and the table reads. */
    private static String entry(String method, String unit, String error, String raw) {
        return """
                {"jmhVersion":"1.37","benchmark":"org.bfabench.benchmarks.defended.%s","mode":"thrpt",
                 "jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
                 "params":{"defense":"bnn","model":"cnn-small"},
                 "primaryMetric":{"score":2765.9488651731967,"scoreError":%s,"scoreUnit":"%s","rawData":[%s]}}
                """.formatted(method, error, unit, raw);
    }

    private Path json(String... entries) throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "[" + String.join(",", entries) + "]");
        return f;
    }

    @Test
    void floatPathInferenceBecomesAnImagesPerSecondRowWithErrorAndSampleCount() throws Exception {
        List<ThroughputTable.Row> rows = ThroughputTable.read(json(entry("InferenceBenchmark.floatPath", "ops/s",
                "6511.115658032301", "[3173.27,2508.07,2616.50]")), DATE);
        assertEquals(List.of(new ThroughputTable.Row("inference", "cnn-small", "bnn", "float", "img/s", 2765.9488651731967,
                6511.115658032301, 3, "17.0.15 OpenJDK 64-Bit Server VM", DATE)), rows);
    }

    @Test
    void samplesCountEveryForksMeasurementsAndANanErrorLeavesTheErrorCellEmpty() throws Exception {
        List<ThroughputTable.Row> rows = ThroughputTable.read(json(entry("PbsIterationBenchmark.pbs", "s/op", "\"NaN\"",
                "[1.0,2.0],[3.0]")), DATE);
        assertEquals("pbs_iteration", rows.get(0).benchmark());
        assertEquals("s/iteration", rows.get(0).unit());
        assertEquals(3, rows.get(0).samples());
        assertTrue(Double.isNaN(rows.get(0).scoreError()));
        Path csv = dir.resolve("leaderboards/throughput.csv");
        ThroughputTable.write(csv, rows);
        assertEquals(List.of(String.join(",", ThroughputTable.HEADER),
                "pbs_iteration,cnn-small,bnn,attack,s/iteration,2766,,3,17.0.15 OpenJDK 64-Bit Server VM," + DATE),
                Files.readAllLines(csv));
    }

    @Test
    void aResultInAnotherTimeUnitIsRejectedRatherThanMislabelled() throws Exception {
        Path f = json(entry("TrainStepBenchmark.trainStep", "ms/op", "1.0", "[1.0]"));
        BenchException e = assertThrows(BenchException.class, () -> ThroughputTable.read(f, DATE));
        assertTrue(e.getMessage().contains("ms/op"), e.getMessage());
    }

    @Test
    void anUnknownBenchmarkIsRejected() throws Exception {
        Path f = json(entry("SomethingElse.run", "ops/s", "1.0", "[1.0]"));
        assertThrows(BenchException.class, () -> ThroughputTable.read(f, DATE));
    }

    @Test
    void theFloatPathIsPlannedOnlyForDefensesWithBinaryActivations() {
        List<JmhRun> runs = ThroughputBench.defaultPlan(true);
        assertEquals(List.of("InferenceBenchmark.model", "InferenceBenchmark.floatPath", "PbsIterationBenchmark.pbs",
                "TrainStepBenchmark.trainStep"), runs.stream().map(JmhRun::method).toList());
        assertEquals(ThroughputBench.DEFENSES, runs.get(0).defenses());
        assertEquals(List.of("bnn", "ra-bnn"), runs.get(1).defenses());
        assertEquals(List.of("cnn-small"), runs.get(0).models());
    }

    @Test
    void theBoardsReadTheModelPathInferenceFigureOfTheTableThisCommandWrites() throws Exception {
        Path csv = dir.resolve("leaderboards/throughput.csv");
        ThroughputTable.write(csv, List.of(
                new ThroughputTable.Row("inference", "cnn-small", "bnn", "model", "img/s", 3735.2, 379.24, 5, "jvm", DATE),
                new ThroughputTable.Row("inference", "cnn-small", "bnn", "float", "img/s", 3954.0, 434.6, 5, "jvm", DATE),
                new ThroughputTable.Row("pbs_iteration", "cnn-small", "bnn", "attack", "s/iteration", 3.3, 1.1, 5, "jvm",
                        DATE)));
        InferenceThroughput t = InferenceThroughput.read(csv);
        assertEquals(java.util.Map.of(new InferenceThroughput.ModelDefense("cnn-small", "bnn"),
                new InferenceThroughput.Figure("3735", "379.2")), t.figures());
    }
}
