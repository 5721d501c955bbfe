package org.bfabench.harness.cli;

import com.google.inject.Guice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bfabench.harness.grid.GridLoader;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.inject.HarnessModule;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.run.GridRunner;
import org.bfabench.harness.run.RunOptions;
import org.bfabench.harness.run.RunSummary;
import org.bfabench.harness.run.Shard;
import org.bfabench.spi.BenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bfabench run}: runs a grid and writes its leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a grid (every dataset x model x defense x attack x seed cell), resuming from finished "
                + "cells, and write DIR/leaderboards/<grid>.csv (+ plot, <grid>.run.json, traces) and the result "
                + "store and model cache under DIR/.bfabench/.")
final class RunCommand implements Callable<Integer> {
    static final String DEFAULT_GRID = "fmnist-quick";

    private final Session session;

    @Option(names = "--grid", paramLabel = "NAME|FILE", defaultValue = DEFAULT_GRID,
            description = "A bundled grid name (see 'bfabench grids') or a grid YAML file. Default: ${DEFAULT-VALUE}.")
    String grid;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Where leaderboards/ and .bfabench/ (result store, model cache, log) go. Default: the current directory.")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Look for datasets here first (default: $BFABENCH_DATA, then /usr/share/datasets/<id>, "
                    + "then the cache, then download).")
    Path dataDir;

    @Option(names = "--shard", paramLabel = "i/N",
            description = "Run only shard i of N (0-based: 0/4 .. 3/4); merge the shards' stores with 'bfabench merge'.")
    String shard;

    @Option(names = "--offline", description = "Never download; fail with a clear message if data is missing.")
    boolean offline;

    @Option(names = "--cell-timeout", paramLabel = "DURATION",
            description = "Limit for one training and for one attack run, e.g. 90s, 10m, 1h (overrides the grid's cell_timeout).")
    String cellTimeout;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    RunCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        Path outDir = out.toAbsolutePath().normalize();
        session.logUnder(outDir);
        RunOptions options = new RunOptions(outDir, dataDir(), offline,
                Optional.ofNullable(shard).map(Shard::parse),
                Optional.ofNullable(cellTimeout).map(t -> Durations.parse("--cell-timeout", t)));
        GridSpec spec = GridLoader.load(grid);
        PluginRegistry registry = plugins.discover(session);
        printThirdParty(registry);
        GridRunner runner = Guice.createInjector(new HarnessModule(registry)).getInstance(GridRunner.class);
        RunSummary summary = runner.run(spec, options);
        session.out().println(summary.consoleTable());
        session.out().printf("leaderboard: %s (%d cells run, %d reused, %d failed, %d not applicable)%n",
                summary.leaderboard(), summary.cellsRun(), summary.cellsReused(), summary.cellsFailed(),
                summary.cellsNotApplicable());
        if (summary.cellsFailed() > 0) {
            session.err().println("bfabench: " + summary.cellsFailed() + " cell(s) FAILED or timed out; see the "
                    + "leaderboard's status and " + session.logPath());
        }
        return ExitCodes.ofRun(summary.cellsFailed());
    }

    private Optional<Path> dataDir() {
        Optional<Path> dir = Optional.ofNullable(dataDir).or(() -> session.env("BFABENCH_DATA").map(Path::of));
        dir.filter(d -> !Files.isDirectory(d)).ifPresent(d -> {
            throw new BenchException((dataDir != null ? "--data-dir " : "BFABENCH_DATA=") + d
                    + ": no such directory; point it at the directory holding the dataset files or leave it unset");
        });
        return dir.map(d -> d.toAbsolutePath().normalize());
    }

    private void printThirdParty(PluginRegistry registry) {
        var thirdParty = registry.report().stream().filter(r -> !r.source().equals("built-in")).toList();
        if (!thirdParty.isEmpty()) {
            session.out().println("third-party plugins loaded:");
            session.out().print(PluginTable.format(thirdParty));
        }
    }
}
