package org.bfabench.harness.nightly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bfabench.harness.grid.GridSpec;
import org.bfabench.harness.run.GridRunner;
import org.bfabench.harness.run.RunOptions;
import org.bfabench.harness.run.RunSummary;

/**
 * Regenerates one board with {@link GridRunner} and compares it with the committed board. The committed
 * board and run report are read when the step is built, before anything runs, so an output directory
 * that is the baseline's own parent cannot make a board compare with itself.
 */
public final class GridStep implements NightlyStep {
    private final GridSpec grid;
    private final GridRunner runner;
    private final RunOptions options;
    private final Path baselineCsv;
    private final Optional<BoardTable> baseline;
    private final Candidate candidate;

    /**
     * @param baselineDir the committed {@code leaderboards} directory ({@code <grid>.csv}, {@code <grid>.run.json})
     */
    public GridStep(GridSpec grid, GridRunner runner, RunOptions options, Path baselineDir) {
        this.grid = grid;
        this.runner = runner;
        this.options = options;
        this.baselineCsv = baselineDir.resolve(grid.name() + ".csv");
        this.baseline = Files.isRegularFile(baselineCsv) ? Optional.of(BoardTable.read(baselineCsv)) : Optional.empty();
        this.candidate = RunCost.candidate(grid.name(), baselineDir.resolve(grid.name() + ".run.json"));
    }

    @Override
    public Candidate candidate() {
        return candidate;
    }

    @Override
    public StepOutcome run() {
        RunSummary s = runner.run(grid, options);
        BoardTable now = BoardTable.read(s.leaderboard());
        List<String> notes = new ArrayList<>();
        List<Regression> changes = List.of();
        if (baseline.isEmpty()) {
            notes.add("no committed board " + baselineCsv + ": nothing to compare (commit " + s.leaderboard()
                    + " to start tracking it)");
        } else {
            changes = BoardComparison.compare(grid.name(), baseline.get(), now);
            if (!baseline.get().rows().values().stream().allMatch(r -> grid.sha256().equals(r.get("grid_sha256")))) {
                notes.add("the grid file changed since the committed board (grid_sha256 differs): moved cells may "
                        + "come from the new grid settings rather than from the code");
            }
        }
        String summary = String.format(java.util.Locale.ROOT, "%d cells run, %d failed, %d not applicable → %s",
                s.cellsRun() + s.cellsReused(), s.cellsFailed(), s.cellsNotApplicable(), s.leaderboard());
        return new StepOutcome(grid.name(), summary, s.cellsFailed(), changes, notes, "");
    }
}
