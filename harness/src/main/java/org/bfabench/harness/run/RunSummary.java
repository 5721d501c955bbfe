package org.bfabench.harness.run;

import java.nio.file.Path;

/**
 * What a run did.
 *
 * @param leaderboard        the CSV written
 * @param cellsRun           cells computed in this run (any status)
 * @param cellsReused        cells of this run's shard already final in the store (skipped)
 * @param cellsFailed        cells of this run that ended FAILED or TIMEOUT (the CLI exits with 3)
 * @param cellsNotApplicable N/A cells of this run's shard, computed now or reused
 * @param consoleTable       the board as a fixed-width text table
 */
public record RunSummary(Path leaderboard, int cellsRun, int cellsReused, int cellsFailed, int cellsNotApplicable,
        String consoleTable) {
}
