package org.bfabench.harness.cli;

import com.google.inject.Guice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bfabench.harness.bench.BenchJar;
import org.bfabench.harness.bench.Processes;
import org.bfabench.harness.bench.ThroughputBench;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.inject.HarnessModule;
import org.bfabench.harness.nightly.GridStep;
import org.bfabench.harness.nightly.Nightly;
import org.bfabench.harness.nightly.NightlyStep;
import org.bfabench.harness.nightly.ThroughputStep;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.run.GridRunner;
import org.bfabench.harness.run.RunOptions;
import org.bfabench.spi.BenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bfabench nightly}: regenerates the standard boards that fit the time budget into a fresh
 * directory, runs the throughput benchmarks there ({@link ThroughputStep}, unless {@code --no-bench}), and
 * reports which cells and benchmark configurations moved against the committed ones (GitHub issue #6).
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Regenerate the standard boards that fit the time budget (from scratch, into a fresh directory), "
                + "then run the JMH throughput benchmarks into DIR/leaderboards/throughput.csv (joined into the boards), "
                + "and write DIR/leaderboards/regressions.md and regressions.csv: the rows whose flips_to_random_mean left "
                + "the committed board's 95%% CI, whose clean_acc_mean moved by more than max(1 point, 2 x committed std), "
                + "and the rows missing or new; the throughput configurations that got slower with the JMH intervals "
                + "[score - error, score + error] of the committed and the new table disjoint (touching is not; an empty "
                + "error counts as 0), and the configurations missing (a regression) or new (not one).",
                "Exit codes: 0 nothing regressed, 2 bad input, 3 some cells or benchmark configurations failed, "
                        + "4 something moved or is missing."})
final class NightlyCommand implements Callable<Integer> {
    /** The bundled grids a nightly regenerates by default: every standard board ({@code smoke} is for tests). */
    static final List<String> NIGHTLY_GRIDS = List.of("fmnist-quick", "fmnist-standard", "fmnist-vgg-small", "cifar10-resnet20");

    private final Session session;

    @Option(names = "--grids", paramLabel = "GRID", split = ",",
            description = "Bundled grids to regenerate, in this order. Default: " + "fmnist-quick,fmnist-standard,"
                    + "fmnist-vgg-small,cifar10-resnet20.")
    List<String> grids;

    @Option(names = "--time-budget", paramLabel = "DURATION",
            description = "Run only the grids whose cost (estimated from the committed <grid>.run.json) fits, e.g. 2h, "
                    + "90m; grids with no run.json are skipped, as are the benchmarks without a committed "
                    + "throughput.run.json of the same plan. Default: no budget, everything runs.")
    String timeBudget;

    @Option(names = "--no-bench", description = "Do not run the throughput benchmarks (they run after the grids, "
            + "their cost estimated from the committed throughput.run.json; without one they are skipped under a budget).")
    boolean noBench;

    @Option(names = "--bench-jar", paramLabel = "JAR",
            description = "The JMH benchmarks jar (default: benchmarks/target/benchmarks.jar of this bfabench tree, "
                    + "built with ./mvnw when missing).")
    Path benchJar;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the regenerated boards, their store and the report go. Default: nightly-out/<UTC date>.")
    Path out;

    @Option(names = "--baseline", paramLabel = "DIR", defaultValue = "leaderboards",
            description = "The committed boards to compare with (<grid>.csv, <grid>.run.json, throughput.csv, "
                    + "throughput.run.json). Default: ${DEFAULT-VALUE}.")
    Path baseline;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Look for datasets here first (default: $BFABENCH_DATA, then /usr/share/datasets/<id>, "
                    + "then the cache, then download).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a clear message if data is missing.")
    boolean offline;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    private final Clock clock;

    NightlyCommand(Session session) {
        this(session, Clock.systemUTC());
    }

    NightlyCommand(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        List<String> names = gridNames();
        var budget = Optional.ofNullable(timeBudget).map(t -> Durations.parse("--time-budget", t));
        if (!Files.isDirectory(baseline)) {
            throw new BenchException("--baseline " + baseline + ": no such directory; run from the repository root "
                    + "(which has leaderboards/) or pass --baseline DIR with the committed boards");
        }
        Path outDir = (out != null ? out : Path.of("nightly-out", LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString()))
                .toAbsolutePath().normalize();
        Path baselineDir = baseline.toAbsolutePath().normalize();
        session.logUnder(outDir);
        RunOptions options = new RunOptions(outDir, dataDir(), offline, Optional.empty(), Optional.empty());
        PluginRegistry registry = plugins.discover(session);
        GridRunner runner = Guice.createInjector(new HarnessModule(registry)).getInstance(GridRunner.class);
        List<NightlyStep> steps = new ArrayList<>();
        for (String name : names) {
            steps.add(new GridStep(GridLoader.load(name), runner, options, baselineDir));
        }
        if (!noBench) {
            ThroughputBench bench = new ThroughputBench(Processes.SYSTEM, session.out(), clock);
            steps.add(new ThroughputStep(bench, () -> BenchJar.resolve(Optional.ofNullable(benchJar), "--bench-jar",
                    Processes.SYSTEM, session.out()), ThroughputBench.defaultPlan(false), outDir, baselineDir));
        }
        Nightly.Result result = new Nightly(clock, session.out()).run(steps, budget, options.leaderboardDir(), baselineDir);
        session.out().printf("regression report: %s (%d regression(s), %d failed cell(s), %d step(s) skipped)%n",
                result.report().markdown(), result.regressions(), result.cellsFailed(), result.skipped().size());
        result.errors().forEach(e -> session.err().println("bfabench: " + ExitCodes.oneLine(e)));
        if (result.cellsFailed() > 0 || result.regressions() > 0) {
            session.err().println("bfabench: " + result.regressions() + " regression(s) and " + result.cellsFailed()
                    + " failed cell(s); see " + result.report().markdown() + " and " + session.logPath());
        }
        return ExitCodes.ofNightly(result.errors().size(), result.cellsFailed(), result.regressions());
    }

    private List<String> gridNames() {
        if (grids == null || grids.isEmpty()) {
            return NIGHTLY_GRIDS;
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String g : grids) {
            String name = g.strip();
            if (!GridLoader.bundledNames().contains(name)) {
                throw new BenchException("--grids: unknown grid '" + name + "'; the nightly regenerates bundled grids: "
                        + String.join(", ", GridLoader.bundledNames()));
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private Optional<Path> dataDir() {
        Optional<Path> dir = Optional.ofNullable(dataDir).or(() -> session.env("BFABENCH_DATA").map(Path::of));
        dir.filter(d -> !Files.isDirectory(d)).ifPresent(d -> {
            throw new BenchException((dataDir != null ? "--data-dir " : "BFABENCH_DATA=") + d
                    + ": no such directory; point it at the directory holding the dataset files or leave it unset");
        });
        return dir.map(d -> d.toAbsolutePath().normalize());
    }
}
