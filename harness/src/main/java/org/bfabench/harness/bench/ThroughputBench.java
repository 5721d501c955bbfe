package org.bfabench.harness.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.bfabench.harness.board.InferenceThroughput;
import org.bfabench.harness.board.ThroughputJoin;
import org.bfabench.spi.BenchException;

/**
 * The JMH model-level benchmarks as {@code bfabench bench} and the nightly run them: plans the JMH
 * invocations, runs each out of process ({@code java -jar benchmarks.jar}, through {@link Processes}),
 * reads its {@code -rf json} result, writes {@code DIR/leaderboards/throughput.csv} ({@link ThroughputTable})
 * and {@code throughput.run.json} ({@link BenchRecord}), and joins the inference figures into the boards
 * of that directory ({@link ThroughputJoin}: only their {@code infer_img_per_s} columns change).
 *
 * <p>Settings for a noisy 2-core machine: one fork, the benchmarks' own iteration counts (at least 5
 * measurement iterations); {@code quick} is 1 warm-up and 3 short iterations, a smoke run. JMH's console
 * output goes to {@code DIR/.bfabench/bench/<method>.txt}, its JSON next to it.
 */
public final class ThroughputBench {
    public static final List<String> MODELS = List.of("cnn-small", "vgg-small", "resnet20");
    public static final List<String> DEFENSES = List.of("quantized-8bit", "quantized-4bit", "binary-weights", "bnn", "ra-bnn");
    /** Defenses whose models binarize activations, so their float path differs from the XNOR path. */
    public static final List<String> BINARY_ACTIVATIONS = List.of("bnn", "ra-bnn");
    private static final String BENCH = "org.bfabench.benchmarks.defended.";

    private final Processes processes;
    private final PrintStream console;
    private final Clock clock;

    public ThroughputBench(Processes processes, PrintStream console, Clock clock) {
        this.processes = processes;
        this.console = console;
        this.clock = clock;
    }

    /**
     * What a bench run did.
     *
     * @param table   the throughput table written
     * @param rows    its rows
     * @param missing planned configurations JMH gave no result for ({@code <method> <model>/<defense>})
     * @param work    where the JMH logs and JSON are
     * @param joined  the boards the inference figures were joined into, and the ones that could not be
     * @param wall    the wall time of the JMH runs (also in {@link BenchRecord#FILE})
     */
    public record Result(Path table, List<ThroughputTable.Row> rows, List<String> missing, Path work,
            ThroughputJoin.Result joined, Duration wall) {
        public Result {
            rows = List.copyOf(rows);
            missing = List.copyOf(missing);
        }
    }

    /**
     * The JMH invocations: inference through {@code DefendedModel.predict} for models × defenses, the float
     * path for the defenses with binary activations, and seconds per PBS iteration and per training step
     * for resnet20 / quantized-8bit (cnn-small when {@code quick}).
     */
    public static List<JmhRun> plan(List<String> models, List<String> defenses, boolean quick) {
        List<String> binary = defenses.stream().filter(BINARY_ACTIVATIONS::contains).toList();
        List<String> attacked = quick ? List.of("cnn-small") : List.of("resnet20");
        List<JmhRun> runs = new ArrayList<>();
        runs.add(new JmhRun("inference, DefendedModel.predict", "InferenceBenchmark.model", models, defenses, false));
        if (!binary.isEmpty()) {
            runs.add(new JmhRun("inference, float path", "InferenceBenchmark.floatPath", models, binary, false));
        }
        runs.add(new JmhRun("seconds per PBS iteration", "PbsIterationBenchmark.pbs", attacked, List.of("quantized-8bit"), true));
        runs.add(new JmhRun("seconds per training step", "TrainStepBenchmark.trainStep", attacked, List.of("quantized-8bit"),
                true));
        return runs;
    }

    /** The default plan: cnn-small, vgg-small, resnet20 × the five built-in defenses ({@code quick}: cnn-small only). */
    public static List<JmhRun> defaultPlan(boolean quick) {
        return plan(quick ? List.of("cnn-small") : MODELS, DEFENSES, quick);
    }

    /**
     * Runs {@code runs} with the benchmarks {@code jar}, writes {@code outDir/leaderboards/throughput.csv} and
     * {@code throughput.run.json}, and joins the inference figures into the boards there. A configuration
     * JMH skips (e.g. out of memory; JMH goes on with the next) is listed in {@link Result#missing()}.
     */
    public Result run(Path jar, List<JmhRun> runs, boolean quick, Path outDir) {
        Path work = outDir.resolve(".bfabench").resolve("bench");
        Instant start = clock.instant();
        String date = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        List<ThroughputTable.Row> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try {
            Files.createDirectories(work);
            for (int i = 0; i < runs.size(); i++) {
                JmhRun run = runs.get(i);
                console.printf("bench %d/%d: %s (%d configurations) ...%n", i + 1, runs.size(), run.label(), run.configurations());
                Path json = work.resolve(run.method() + ".json");
                Files.deleteIfExists(json);
                processes.run(command(jar, run, json, quick), work.resolve(run.method() + ".txt"), "JMH " + run.method());
                if (!Files.isRegularFile(json)) {
                    throw new BenchException("JMH " + run.method() + " wrote no result file " + json + "; see its log "
                            + work.resolve(run.method() + ".txt"));
                }
                List<ThroughputTable.Row> got = ThroughputTable.read(json, date);
                for (String model : run.models()) {
                    for (String defense : run.defenses()) {
                        if (got.stream().noneMatch(r -> r.model().equals(model) && r.defense().equals(defense))) {
                            missing.add(run.method() + " " + model + "/" + defense);
                        }
                    }
                }
                rows.addAll(got);
            }
        } catch (IOException e) {
            throw new BenchException("cannot write under " + work + " (" + e.getMessage() + "); check --out", e);
        }
        Duration wall = Duration.between(start, clock.instant());
        Path table = outDir.resolve("leaderboards").resolve(InferenceThroughput.FILE);
        ThroughputTable.write(table, rows);
        int planned = runs.stream().mapToInt(JmhRun::configurations).sum();
        new BenchRecord(wall.toMillis() / 1000.0, quick, runs, planned, missing.size(), date)
                .write(table.resolveSibling(BenchRecord.FILE));
        return new Result(table, rows, missing, work, ThroughputJoin.rejoinAll(table.getParent()), wall);
    }

    /** {@code java -jar benchmarks.jar ^<method>$ -p model=… -p defense=… -f 1 -rf json -rff <json>}. */
    static List<String> command(Path jar, JmhRun run, Path json, boolean quick) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(),
                "^" + BENCH.replace(".", "\\.") + run.method().replace(".", "\\.") + "$",
                "-p", "model=" + String.join(",", run.models()), "-p", "defense=" + String.join(",", run.defenses()),
                "-f", "1", "-rf", "json", "-rff", json.toString()));
        if (quick) {
            cmd.addAll(run.singleShot() ? List.of("-wi", "1", "-i", "3") : List.of("-wi", "1", "-w", "1", "-i", "3", "-r", "1"));
        }
        return cmd;
    }
}
