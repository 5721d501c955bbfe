package org.bfabench.harness.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.bfabench.harness.board.Leaderboard;
import org.bfabench.harness.board.LeaderboardWriter;
import org.bfabench.harness.grid.ComponentRef;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.grid.ImportedModels;
import org.bfabench.harness.io.AtomicFiles;
import org.bfabench.harness.plugin.LoadedComponent;
import org.bfabench.harness.plugin.PluginRegistry;
import org.bfabench.harness.progress.ConsoleProgress;
import org.bfabench.harness.progress.ProgressFactory;
import org.bfabench.harness.store.CellRecord;
import org.bfabench.harness.store.CellStatus;
import org.bfabench.harness.store.ResultStore;
import org.bfabench.harness.store.Timing;
import org.bfabench.harness.weights.ImportedModel;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Dataset;
import org.bfabench.spi.DatasetContext;
import org.bfabench.spi.DatasetProvider;
import org.bfabench.spi.Defense;
import org.bfabench.spi.ModelArchitecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a grid: validates it against the loaded plugins, computes every cell of this run's shard that
 * the store does not already hold as final, and rebuilds the leaderboard from the store.
 *
 * <p>A plugin that throws fails its cell (first line on the console, stack trace in the log) and the
 * grid goes on; a training or attack run that exceeds the cell timeout is abandoned as TIMEOUT. Results
 * are written one cell at a time, so an interrupted run loses at most the cell in progress.
 */
public final class GridRunner {
    private static final Logger LOG = LoggerFactory.getLogger(GridRunner.class);
    /**
     * Stack traces of failed cells go to the log file only (this logger does not reach the console, see
     * logback.xml); the console gets the cell's one {@code [i/n] ... FAILED: message} line.
     */
    static final Logger FAILURES = LoggerFactory.getLogger("bfabench.failures");

    private final PluginRegistry registry;
    private final ProgressFactory progress;
    private final PrintStream console;
    private final BuildInfo build;

    @com.google.inject.Inject
    public GridRunner(PluginRegistry registry, ConsoleProgress progress) {
        this(registry, progress, System.err, null);
    }

    /**
     * @param build code provenance; null = detect ({@link BuildInfo#detect()}) at the start of each run
     */
    public GridRunner(PluginRegistry registry, ProgressFactory progress, PrintStream console, BuildInfo build) {
        this.registry = registry;
        this.progress = progress;
        this.console = console;
        this.build = build;
    }

    public RunSummary run(GridSpec grid, RunOptions options) {
        grid.validate(registry);
        Map<String, ImportedModel> imports = ImportedModels.resolve(grid, registry, options.cacheDir());
        long started = System.currentTimeMillis();
        ResultStore store = ResultStore.open(options.storeDir(grid.name()));
        createCacheDirs(options.cacheDir());
        AtomicFiles.deleteTemps(options.cacheDir().resolve("models"));
        BuildInfo info = build != null ? build : BuildInfo.detect();
        RunContext ctx = new RunContext(registry, grid, options, store, progress, console, info.provenance());

        Map<String, Dataset> datasets = loadDatasets(grid, options);
        List<Cell> cells = CellPlanner.plan(grid, registry, datasets, imports);
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        int inShard = 0;
        for (Cell c : cells) {
            if (options.shard().map(s -> s.contains(c.key())).orElse(true)) {
                groups.computeIfAbsent(c.modelKey(), k -> new ArrayList<>()).add(c);
                inShard++;
            }
        }
        console.printf("grid %s: %d cells%s%n", grid.name(), inShard,
                options.shard().map(s -> " in shard " + s + " (of " + cells.size() + ")").orElse(""));

        Counts counts = new Counts(inShard);
        for (List<Cell> group : groups.values()) {
            List<Cell> todo = new ArrayList<>();
            for (Cell c : group) {
                var existing = store.read(c.key());
                if (existing.isPresent() && existing.get().status().isFinal()) {
                    counts.reused(existing.get());
                } else {
                    todo.add(c);
                }
            }
            if (!todo.isEmpty()) {
                runGroup(ctx, todo, datasets.get(todo.get(0).dataset().id()), counts);
            }
        }

        Set<String> gridKeys = new HashSet<>();
        cells.forEach(c -> gridKeys.add(c.key()));
        List<CellRecord> records = store.readAll().stream().filter(r -> gridKeys.contains(r.key())).toList();
        Leaderboard board = LeaderboardWriter.write(records, store, options.leaderboardDir(), grid.name(),
                runFacts(grid, options, started, counts));
        return new RunSummary(board.csv(), counts.run, counts.reused, counts.failed, counts.notApplicable,
                board.consoleTable());
    }

    /**
     * Fails the run before any training when the model cache cannot be created (a file in the way, a
     * read-only --out): otherwise every cell would fail the same way, one at a time.
     */
    private static void createCacheDirs(java.nio.file.Path cache) {
        for (String sub : List.of("models", "defenses")) {
            try {
                java.nio.file.Files.createDirectories(cache.resolve(sub));
            } catch (java.io.IOException e) {
                throw new BenchException("model cache " + cache.resolve(sub) + ": cannot create it (" + e.getMessage()
                        + "); choose a writable --out directory", e);
            }
        }
    }

    private void runGroup(RunContext ctx, List<Cell> todo, Dataset dataset, Counts counts) {
        Cell first = todo.get(0);
        LoadedComponent<Defense> defense = registry.defenses().get(first.defense().id());
        LoadedComponent<ModelArchitecture> arch = registry.architectures().get(first.model().id());
        try {
            if (!defense.call(() -> defense.component().supports(arch.component()))) {
                for (Cell c : todo) {
                    CellRecord r = Records.notOk(c, CellStatus.NOT_APPLICABLE, "defense '" + c.defense().id()
                            + "' cannot build model '" + c.model().id() + "'", null, ctx.provenance());
                    ctx.store().write(r, java.util.Optional.empty());
                    finish(counts, c, r);
                }
                return;
            }
        } catch (RuntimeException e) {
            failAll(ctx, counts, todo, CellStatus.FAILED, "defense.supports: " + Records.firstLine(e), e);
            return;
        }
        AttackCellRunner attacks = new AttackCellRunner(ctx);
        ModelSession session = new ModelSession(ctx, first, dataset);
        try {
            for (int i = 0; i < todo.size(); i++) {
                if (!session.ready()) {
                    try {
                        session.obtain();
                    } catch (Watchdog.Overrun e) {
                        failAll(ctx, counts, todo.subList(i, todo.size()), CellStatus.TIMEOUT, "training " + e.getMessage(), null);
                        session = null;
                        return;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        failAll(ctx, counts, todo.subList(i, todo.size()), CellStatus.FAILED,
                                "training: " + Records.failure(todo.get(i), cause, false), cause);
                        return;
                    }
                }
                finish(counts, todo.get(i), attacks.run(todo.get(i), session));
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private void failAll(RunContext ctx, Counts counts, List<Cell> cells, CellStatus status, String message, Throwable cause) {
        if (cause != null) {
            FAILURES.error("{} failed: {}", cells.get(0).label(), message, cause);
        } else {
            LOG.warn("{}: {}", cells.get(0).label(), message);
        }
        for (Cell c : cells) {
            CellRecord r = Records.notOk(c, status, message, (Timing) null, ctx.provenance());
            ctx.store().write(r, java.util.Optional.empty());
            finish(counts, c, r);
        }
    }

    private void finish(Counts counts, Cell cell, CellRecord r) {
        counts.ran(r);
        String what = switch (r.status()) {
            case OK -> String.format(java.util.Locale.ROOT, "OK %d flips%s, clean %.2f%%", r.result().flips(),
                    r.result().censored() ? " (censored)" : "", 100 * r.result().cleanAccuracy());
            default -> r.status().label() + ": " + r.message();
        };
        console.printf("[%d/%d] %s: %s%n", counts.done(), counts.total, cell.label(), what);
    }

    private Map<String, Dataset> loadDatasets(GridSpec grid, RunOptions options) {
        Map<String, Dataset> loaded = new LinkedHashMap<>();
        for (ComponentRef ref : grid.datasets()) {
            LoadedComponent<DatasetProvider> p = registry.datasets().get(ref.id());
            DatasetContext dc = new DatasetContext(options.dataDir(), options.cacheDir().resolve("datasets").resolve(ref.id()),
                    options.offline(), ref.options());
            Dataset d;
            try {
                d = p.call(() -> p.component().load(dc));
            } catch (BenchException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("dataset {} failed to load", ref.id(), e);
                throw new BenchException("dataset '" + ref.id() + "' failed to load: " + Records.firstLine(e)
                        + " (a bug in its plugin; details in the log)", e);
            }
            loaded.put(ref.id(), DatasetSnapshot.of(p, d, grid.training().testLimit()));
        }
        return loaded;
    }

    private static Map<String, Object> runFacts(GridSpec grid, RunOptions options, long started, Counts counts) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("grid", grid.name());
        facts.put("grid_sha256", grid.sha256());
        facts.put("shard", options.shard().map(Shard::toString).orElse("all"));
        facts.put("started", java.time.Instant.ofEpochMilli(started).toString());
        facts.put("finished", java.time.Instant.now().toString());
        facts.put("wall_seconds", (System.currentTimeMillis() - started) / 1000.0);
        facts.put("cells_run", counts.run);
        facts.put("cells_reused", counts.reused);
        facts.put("cells_failed", counts.failed);
        facts.put("cells_not_applicable", counts.notApplicable);
        facts.put("out_dir", options.outDir().toAbsolutePath().normalize().toString());
        return facts;
    }

    /** Tallies for the summary and the [i/n] console prefix. */
    private static final class Counts {
        final int total;
        int run;
        int reused;
        int failed;
        int notApplicable;

        Counts(int total) {
            this.total = total;
        }

        void reused(CellRecord r) {
            reused++;
            if (r.status() == CellStatus.NOT_APPLICABLE) {
                notApplicable++;
            }
        }

        void ran(CellRecord r) {
            run++;
            if (r.status() == CellStatus.FAILED || r.status() == CellStatus.TIMEOUT) {
                failed++;
            } else if (r.status() == CellStatus.NOT_APPLICABLE) {
                notApplicable++;
            }
        }

        int done() {
            return run + reused;
        }
    }
}
