package org.bfabench.harness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bfabench.harness.board.ThroughputJoin;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.spi.BenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bfabench bench}: runs the JMH model-level benchmarks, writes {@code leaderboards/throughput.csv}
 * (columns in {@link ThroughputTable}) and joins its inference figures into the boards of that directory
 * ({@link ThroughputJoin}: only their {@code infer_img_per_s} and {@code infer_img_per_s_error} fields
 * change). Boards written later by run, merge or nightly read the same table themselves.
 *
 * <p>JMH runs out of process, as {@code java -jar benchmarks/target/benchmarks.jar} (built with the Maven
 * wrapper when missing): the benchmarks need the plugin modules on their class path, which the harness
 * must not have (plugins stay behind the SPI), and JMH forks a fresh JVM per benchmark anyway. Each JMH
 * run writes {@code -rf json}, which this command reads; JMH's own console output goes to
 * {@code DIR/.bfabench/bench/*.txt}.
 *
 * <p>What is measured: inference images/s on a batch of 128 CIFAR-shaped (3×32×32) images for every model ×
 * defense, through {@code DefendedModel.predict} (XNOR kernels for bnn/ra-bnn) and, for the defenses with
 * binary activations, also through the float path; seconds per PBS iteration and per training step for
 * resnet20 / quantized-8bit (the settings of the performance issues). {@code --grid} takes the inference
 * models and defenses from a grid; {@code --quick} is a smoke run on cnn-small with short iterations.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH throughput benchmarks (inference img/s, s per PBS iteration, s per training step) "
                + "and write DIR/leaderboards/throughput.csv; the inference figures are joined into the boards in "
                + "DIR/leaderboards (columns infer_img_per_s, infer_img_per_s_error). Takes ~15 minutes on 2 cores (--quick: ~3).")
final class BenchCommand implements Callable<Integer> {
    static final List<String> MODELS = List.of("cnn-small", "vgg-small", "resnet20");
    static final List<String> DEFENSES = List.of("quantized-8bit", "quantized-4bit", "binary-weights", "bnn", "ra-bnn");
    /** Defenses whose models binarize activations, so their float path differs from the XNOR path. */
    static final List<String> BINARY_ACTIVATIONS = List.of("bnn", "ra-bnn");
    private static final String BENCH = "org.bfabench.benchmarks.defended.";

    private final Session session;

    @Option(names = "--grid", paramLabel = "G",
            description = "Benchmark inference of this grid's models and defenses (bundled name or YAML file)"
                    + " instead of cnn-small, vgg-small, resnet20 x the five built-in defenses.")
    String grid;

    @Option(names = "--quick", description = "cnn-small only, 1 warm-up and 3 short measurement iterations;"
            + " a smoke run, not for the committed table.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Writes DIR/leaderboards/throughput.csv (default: the current directory).")
    Path out;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "The JMH benchmarks jar (default: benchmarks/target/benchmarks.jar of this bfabench tree,"
                    + " built with ./mvnw when missing).")
    Path jar;

    BenchCommand(Session session) {
        this.session = session;
    }

    /** One JMH invocation: a benchmark method over models × defenses. */
    record JmhRun(String label, String method, List<String> models, List<String> defenses, boolean singleShot) {
    }

    @Override
    public Integer call() {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        List<JmhRun> runs = plan();
        Path benchmarks = jar == null ? defaultJar() : jar.toAbsolutePath();
        if (!Files.isRegularFile(benchmarks)) {
            throw new BenchException("benchmarks jar " + benchmarks + " does not exist; build it with"
                    + " './mvnw -DskipTests -pl benchmarks -am package' or pass --jar");
        }
        Path work = outDir.resolve(".bfabench").resolve("bench");
        String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<ThroughputTable.Row> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try {
            Files.createDirectories(work);
            for (int i = 0; i < runs.size(); i++) {
                JmhRun run = runs.get(i);
                session.out().printf("bench %d/%d: %s (%d configurations) ...%n", i + 1, runs.size(), run.label(),
                        run.models().size() * run.defenses().size());
                Path json = work.resolve(run.method() + ".json");
                Path log = work.resolve(run.method() + ".txt");
                Files.deleteIfExists(json);
                exec(command(benchmarks, run, json), log, "JMH " + run.method());
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
        Path table = outDir.resolve("leaderboards").resolve("throughput.csv");
        ThroughputTable.write(table, rows);
        session.out().print(ThroughputTable.console(rows));
        session.out().println("throughput table: " + table + " (JMH logs in " + work + ")");
        ThroughputJoin.Result joined = ThroughputJoin.rejoinAll(table.getParent());
        joined.joined().forEach(b -> session.out().println("inference figures joined into " + b));
        joined.problems().forEach(p -> session.warn(p));
        // JMH goes on after a configuration fails (e.g. out of memory); the table then lacks its row
        for (String m : missing) {
            session.warn("no result for " + m + "; its JMH log in " + work + " says why");
        }
        return missing.isEmpty() ? ExitCodes.OK : ExitCodes.CELLS_FAILED;
    }

    List<JmhRun> plan() {
        List<String> models = quick ? List.of("cnn-small") : MODELS;
        List<String> defenses = DEFENSES;
        if (grid != null) {
            GridSpec spec = GridLoader.load(grid);
            models = spec.models().stream().map(ComponentRef::id).distinct().toList();
            defenses = spec.defenses().stream().map(ComponentRef::id).distinct().toList();
        }
        List<String> binary = defenses.stream().filter(BINARY_ACTIVATIONS::contains).toList();
        List<String> attacked = quick ? List.of("cnn-small") : List.of("resnet20");
        List<JmhRun> runs = new ArrayList<>();
        runs.add(new JmhRun("inference, DefendedModel.predict", "InferenceBenchmark.model", models, defenses, false));
        if (!binary.isEmpty()) {
            runs.add(new JmhRun("inference, float path", "InferenceBenchmark.floatPath", models, binary, false));
        }
        runs.add(new JmhRun("seconds per PBS iteration", "PbsIterationBenchmark.pbs", attacked,
                List.of("quantized-8bit"), true));
        runs.add(new JmhRun("seconds per training step", "TrainStepBenchmark.trainStep", attacked,
                List.of("quantized-8bit"), true));
        return runs;
    }

    List<String> command(Path benchmarks, JmhRun run, Path json) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", benchmarks.toString(),
                "^" + BENCH.replace(".", "\\.") + run.method().replace(".", "\\.") + "$",
                "-p", "model=" + String.join(",", run.models()), "-p", "defense=" + String.join(",", run.defenses()),
                "-f", "1", "-rf", "json", "-rff", json.toString()));
        if (quick) {
            cmd.addAll(run.singleShot() ? List.of("-wi", "1", "-i", "3")
                    : List.of("-wi", "1", "-w", "1", "-i", "3", "-r", "1"));
        }
        return cmd;
    }

    private void exec(List<String> cmd, Path log, String what) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
        try {
            Process p = pb.start();
            int code = p.waitFor();
            if (code != 0) {
                throw new BenchException(what + " failed with exit code " + code + "; see " + log);
            }
        } catch (IOException e) {
            throw new BenchException("cannot start " + cmd.get(0) + " (" + e.getMessage() + "); check JAVA_HOME", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(what + " was interrupted; rerun 'bfabench bench'", e);
        }
    }

    /** benchmarks/target/benchmarks.jar of the tree this harness was built in, built when missing. */
    private Path defaultJar() {
        Path root = treeRoot().orElseThrow(() -> new BenchException("cannot find the bfabench source tree of this"
                + " harness; pass --jar benchmarks/target/benchmarks.jar"));
        Path built = root.resolve("benchmarks").resolve("target").resolve("benchmarks.jar");
        if (!Files.isRegularFile(built)) {
            session.out().println("bench: building " + built + " (./mvnw -q -B -DskipTests -pl benchmarks -am package) ...");
            Path log = root.resolve("benchmarks").resolve("target").resolve("build.log");
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new BenchException("cannot create " + log.getParent() + " (" + e.getMessage() + ")", e);
            }
            exec(List.of(root.resolve("mvnw").toString(), "-q", "-B", "-f", root.resolve("pom.xml").toString(),
                    "-DskipTests", "-pl", "benchmarks", "-am", "package"), log, "building the benchmarks");
        }
        return built;
    }

    /** The source tree: two levels above harness/target/{classes, bfabench-harness-*.jar}. */
    private static Optional<Path> treeRoot() {
        try {
            Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent().getParent().getParent();
            return Files.isRegularFile(root.resolve("mvnw")) && Files.isRegularFile(root.resolve("benchmarks/pom.xml"))
                    ? Optional.of(root) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
