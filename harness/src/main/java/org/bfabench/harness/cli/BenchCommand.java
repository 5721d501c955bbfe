package org.bfabench.harness.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bfabench.harness.bench.BenchJar;
import org.bfabench.harness.bench.JmhRun;
import org.bfabench.harness.bench.Processes;
import org.bfabench.harness.bench.ThroughputBench;
import org.bfabench.harness.bench.ThroughputTable;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bfabench bench}: runs the JMH model-level benchmarks ({@link ThroughputBench}), writes
 * {@code leaderboards/throughput.csv} (columns in {@link ThroughputTable}) and {@code throughput.run.json}
 * (its wall time, which the nightly's time budget reads), and joins its inference figures into the boards
 * of that directory. Boards written later by run, merge or nightly read the same table themselves.
 *
 * <p>JMH runs out of process, as {@code java -jar benchmarks/target/benchmarks.jar} (built with the Maven
 * wrapper when missing): the benchmarks need the plugin modules on their class path, which the harness
 * must not have (plugins stay behind the SPI), and JMH forks a fresh JVM per benchmark anyway.
 *
 * <p>What is measured: inference images/s on a batch of 128 CIFAR-shaped (3×32×32) images for every model ×
 * defense, through {@code DefendedModel.predict} (XNOR kernels for bnn/ra-bnn) and, for the defenses with
 * binary activations, also through the float path; seconds per PBS iteration and per training step for
 * resnet20 / quantized-8bit (the settings of the performance issues). {@code --grid} takes the inference
 * models and defenses from a grid; {@code --quick} is a smoke run on cnn-small with short iterations.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH throughput benchmarks (inference img/s, s per PBS iteration, s per training step) "
                + "and write DIR/leaderboards/throughput.csv and throughput.run.json (its wall time, for the nightly's "
                + "--time-budget); the inference figures are joined into the boards in DIR/leaderboards (columns "
                + "infer_img_per_s, infer_img_per_s_error). Takes ~15 minutes on 2 cores (--quick: ~3).")
final class BenchCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        List<JmhRun> runs = plan();
        Path benchmarks = BenchJar.resolve(Optional.ofNullable(jar), "--jar", Processes.SYSTEM, session.out());
        ThroughputBench.Result r = new ThroughputBench(Processes.SYSTEM, session.out(), Clock.systemUTC())
                .run(benchmarks, runs, quick, outDir);
        session.out().print(ThroughputTable.console(r.rows()));
        session.out().println("throughput table: " + r.table() + " (JMH logs in " + r.work() + ")");
        r.joined().joined().forEach(b -> session.out().println("inference figures joined into " + b));
        r.joined().problems().forEach(session::warn);
        // JMH goes on after a configuration fails (e.g. out of memory); the table then lacks its row
        for (String m : r.missing()) {
            session.warn("no result for " + m + "; its JMH log in " + r.work() + " says why");
        }
        return r.missing().isEmpty() ? ExitCodes.OK : ExitCodes.CELLS_FAILED;
    }

    List<JmhRun> plan() {
        if (grid == null) {
            return ThroughputBench.defaultPlan(quick);
        }
        GridSpec spec = GridLoader.load(grid);
        List<String> models = spec.models().stream().map(ComponentRef::id).distinct().toList();
        List<String> defenses = spec.defenses().stream().map(ComponentRef::id).distinct().toList();
        return ThroughputBench.plan(models, defenses, quick);
    }
}
