package org.bfabench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.bfabench.harness.board.BoardCsv;
import org.bfabench.spi.BenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchTest {
    private static final String JVM = "17.0.15 OpenJDK 64-Bit Server VM";

    @TempDir
    Path tmp;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-25T06:16:15.400Z"));
    private final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** A board row in the real column order, inference columns empty. */
    static String boardRow(String model, String defense) {
        return String.join(",", "fashion-mnist", model, defense, "pbfa", "5", "90.00", "0.40", "40.0", "3.1", "40.0", "30",
                "30.0", "52.0", "0", "500", "42.00", "", "1000", "125", "", "", "1.00", "10;11;12;13;14", "conv0:30;fc:30", "",
                "ok", "0.1.0", "abc", "1.0", "fashion-mnist@1;cnn-small@1", "gridsha", "datasha", "1;2;3;4;5") + "\n";
    }

    private static Optional<JmhStandIn.Measured> measured(JmhStandIn.Config c) {
        return switch (c.method() + " " + c.defense()) {
            case "InferenceBenchmark.model quantized-8bit" -> Optional.of(new JmhStandIn.Measured(4047.31, 276.123,
                    3950.0, 4100.5, 3990.2, 4120.0, 4075.8));
            case "InferenceBenchmark.model bnn" -> Optional.of(new JmhStandIn.Measured(3735.2, 379.24, 3600, 3700, 3800, 3735, 3840));
            case "InferenceBenchmark.floatPath bnn" -> Optional.of(new JmhStandIn.Measured(3954.0, 434.6, 3900, 4000, 3962));
            case "PbsIterationBenchmark.pbs quantized-8bit" -> Optional.of(new JmhStandIn.Measured(3.33418518605,
                    1.1221662632865206, 2.961188886, 3.65034380275, 3.594193739, 3.31128690125, 3.15391260125));
            // JMH could not compute an error from one sample: it writes "NaN"
            case "TrainStepBenchmark.trainStep quantized-8bit" -> Optional.of(new JmhStandIn.Measured(0.9028, Double.NaN, 0.9028));
            default -> throw new AssertionError("not planned: " + c);
        };
    }

    @Test
    void aBenchWritesTheTableAndItsWallTimeAndJoinsTheModelPathFigureIntoTheBoardNextToIt() throws Exception {
        Path boards = Files.createDirectories(tmp.resolve("leaderboards"));
        Files.writeString(boards.resolve("g.csv"), String.join(",", BoardCsv.COLUMNS) + "\n"
                + boardRow("cnn-small", "bnn") + boardRow("cnn-small", "quantized-8bit") + boardRow("vgg-small", "bnn"));
        JmhStandIn jmh = new JmhStandIn(ThroughputBenchTest::measured, () -> clock.advance(Duration.ofSeconds(200)));
        List<JmhRun> plan = ThroughputBench.plan(List.of("cnn-small"), List.of("quantized-8bit", "bnn"), false);

        ThroughputBench.Result r = new ThroughputBench(jmh, console, clock).run(tmp.resolve("benchmarks.jar"), plan, false, tmp);

        String date = "2026-11-25T06:16:15Z";
        assertEquals(List.of(String.join(",", ThroughputTable.HEADER),
                "inference,cnn-small,quantized-8bit,model,img/s,4047,276.1,5," + JVM + "," + date,
                "inference,cnn-small,bnn,model,img/s,3735,379.2,5," + JVM + "," + date,
                "inference,cnn-small,bnn,float,img/s,3954,434.6,3," + JVM + "," + date,
                "pbs_iteration,resnet20,quantized-8bit,attack,s/iteration,3.334,1.122,5," + JVM + "," + date,
                "train_step,resnet20,quantized-8bit,training,s/step,0.9028,,1," + JVM + "," + date),
                Files.readAllLines(boards.resolve("throughput.csv")));
        assertEquals(List.of(), r.missing());
        assertEquals(Duration.ofSeconds(800), r.wall(), "four JMH runs of 200 s each");

        BenchRecord record = BenchRecord.read(boards.resolve(BenchRecord.FILE));
        assertEquals(800.0, record.wallSeconds());
        assertEquals(5, record.configurations());
        assertTrue(record.ran(plan, false));
        assertFalse(record.ran(plan, true), "a --quick record does not describe the full run");
        assertFalse(record.ran(ThroughputBench.defaultPlan(false), false));

        List<CSVRecord> board = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(boards.resolve("g.csv")))).getRecords();
        assertEquals(List.of("cnn-small/bnn 3735 379.2", "cnn-small/quantized-8bit 4047 276.1", "vgg-small/bnn  "),
                board.stream().map(b -> b.get("model") + "/" + b.get("defense") + " " + b.get("infer_img_per_s") + " "
                        + b.get("infer_img_per_s_error")).toList());
        assertEquals(List.of(boards.resolve("g.csv")), r.joined().joined());

        List<String> first = jmh.commands().get(0);
        assertEquals(List.of("-jar", tmp.resolve("benchmarks.jar").toString(),
                "^org\\.bfabench\\.benchmarks\\.defended\\.InferenceBenchmark\\.model$", "-p", "model=cnn-small", "-p",
                "defense=quantized-8bit,bnn", "-f", "1", "-rf", "json", "-rff",
                tmp.resolve(".bfabench/bench/InferenceBenchmark.model.json").toString()), first.subList(2, first.size()));
    }

    @Test
    void aConfigurationJmhGaveNoResultForIsListedAsMissingAndLeftOutOfTheTable() throws Exception {
        JmhStandIn jmh = new JmhStandIn(c -> c.method().equals("InferenceBenchmark.floatPath") ? Optional.empty()
                : measured(c), () -> { });
        List<JmhRun> plan = ThroughputBench.plan(List.of("cnn-small"), List.of("quantized-8bit", "bnn"), true);

        ThroughputBench.Result r = new ThroughputBench(jmh, console, clock).run(tmp.resolve("b.jar"), plan, true, tmp);

        assertEquals(List.of("InferenceBenchmark.floatPath cnn-small/bnn"), r.missing());
        assertEquals(4, r.rows().size());
        assertEquals(1, BenchRecord.read(tmp.resolve("leaderboards/" + BenchRecord.FILE)).missing());
        assertTrue(jmh.commands().get(2).containsAll(List.of("-wi", "1", "-i", "3")), "quick: short single-shot runs");
        assertEquals("model=cnn-small", jmh.commands().get(2).get(jmh.commands().get(2).indexOf("-p") + 1),
                "quick: the attack and training benchmarks on cnn-small");
    }

    @Test
    void aJmhRunThatWritesNoResultFileIsAUserErrorNamingItsLogAndKeepsThePreviousTable() throws Exception {
        Path table = Files.createDirectories(tmp.resolve("leaderboards")).resolve("throughput.csv");
        Files.writeString(table, "previous");
        Processes crashed = (command, log, what) -> { };
        BenchException e = assertThrows(BenchException.class, () -> new ThroughputBench(crashed, console, clock)
                .run(tmp.resolve("b.jar"), ThroughputBench.defaultPlan(true), true, tmp));
        assertTrue(e.getMessage().contains("InferenceBenchmark.model.txt"), e.getMessage());
        assertEquals("previous", Files.readString(table));
    }
}
