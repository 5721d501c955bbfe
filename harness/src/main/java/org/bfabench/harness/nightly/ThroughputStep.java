package org.bfabench.harness.nightly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.bfabench.harness.bench.BenchRecord;
import org.bfabench.harness.bench.JmhRun;
import org.bfabench.harness.bench.ThroughputBench;
import org.bfabench.harness.board.InferenceThroughput;
import org.bfabench.spi.BenchException;

/**
 * The throughput benchmarks as a nightly step: after the grids, runs the JMH plan into the nightly's
 * output directory ({@code DIR/leaderboards/throughput.csv} and {@code throughput.run.json}), joins the
 * inference figures into the boards regenerated there, and compares the table with the committed one
 * ({@link ThroughputComparison}).
 *
 * <p>Its cost for the time budget is the {@code wall_seconds} of the committed {@code throughput.run.json}
 * when that records the same plan (a {@code --quick} or {@code --grid} bench does not estimate the full
 * one); otherwise the cost is unknown and, under a budget, the step is skipped with the reason, as a grid
 * without {@code run.json} is. The committed table is read when the step is built, before anything runs,
 * so an output directory that is the baseline's own parent cannot make the table compare with itself.
 */
public final class ThroughputStep implements NightlyStep {
    private final ThroughputBench bench;
    private final Supplier<Path> jar;
    private final List<JmhRun> plan;
    private final Path outDir;
    private final Path baselineCsv;
    private final Optional<ThroughputComparison.Table> baseline;
    private final Candidate candidate;

    /**
     * @param jar         finds (or builds) the benchmarks jar; called only when the step runs
     * @param plan        the JMH invocations
     * @param outDir      the nightly's output directory (the table goes to its {@code leaderboards})
     * @param baselineDir the committed {@code leaderboards} directory ({@code throughput.csv}, {@code throughput.run.json})
     */
    public ThroughputStep(ThroughputBench bench, Supplier<Path> jar, List<JmhRun> plan, Path outDir, Path baselineDir) {
        this.bench = bench;
        this.jar = jar;
        this.plan = List.copyOf(plan);
        this.outDir = outDir;
        this.baselineCsv = baselineDir.resolve(InferenceThroughput.FILE);
        this.baseline = Files.isRegularFile(baselineCsv) ? Optional.of(ThroughputComparison.Table.read(baselineCsv))
                : Optional.empty();
        this.candidate = candidate(baselineDir.resolve(BenchRecord.FILE), this.plan);
    }

    /** The estimate from the committed bench record, or why there is none. */
    static Candidate candidate(Path record, List<JmhRun> plan) {
        String name = ThroughputComparison.STEP;
        if (!Files.isRegularFile(record)) {
            return new Candidate(name, Optional.empty(), "no " + record + " to estimate from; run 'bfabench bench' and "
                    + "commit it");
        }
        BenchRecord last;
        try {
            last = BenchRecord.read(record);
        } catch (BenchException e) {
            return new Candidate(name, Optional.empty(), e.getMessage());
        }
        if (!last.ran(plan, false)) {
            return new Candidate(name, Optional.empty(), record + " records a different bench (" + (last.quick() ? "--quick"
                    : "other models, defenses or benchmarks") + "); run 'bfabench bench' without --quick or --grid and commit it");
        }
        return new Candidate(name, Optional.of(Duration.ofMillis(Math.round(1000 * last.wallSeconds()))), "from " + record);
    }

    @Override
    public Candidate candidate() {
        return candidate;
    }

    @Override
    public StepOutcome run() {
        ThroughputBench.Result r = bench.run(jar.get(), plan, false, outDir);
        List<String> notes = new ArrayList<>();
        r.missing().forEach(m -> notes.add("no result for " + m + "; its JMH log in " + r.work() + " says why"));
        r.joined().problems().forEach(notes::add);
        List<Regression> changes = List.of();
        if (baseline.isEmpty()) {
            notes.add("no committed table " + baselineCsv + ": nothing to compare (commit " + r.table() + " to start "
                    + "tracking it)");
        } else {
            changes = ThroughputComparison.compare(baseline.get(), ThroughputComparison.Table.read(r.table()));
        }
        String summary = String.format(Locale.ROOT, "%d configurations measured, %d without a result → %s; inference "
                + "figures joined into %d board(s)", r.rows().size(), r.missing().size(), r.table(), r.joined().joined().size());
        return new StepOutcome(ThroughputComparison.STEP, summary, r.missing().size(), changes, notes, "");
    }
}
