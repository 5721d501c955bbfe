package org.bfabench.harness.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a grid.
 *
 * @param outDir      where {@code leaderboards/} and {@code .bfabench/} (store, caches) live
 * @param dataDir     a directory datasets are looked up in first ({@code --data-dir})
 * @param offline     never download
 * @param shard       run only this shard's cells
 * @param cellTimeout overrides the grid's {@code cell_timeout}: limit for one training and for one attack run
 */
public record RunOptions(Path outDir, Optional<Path> dataDir, boolean offline, Optional<Shard> shard,
        Optional<Duration> cellTimeout) {

    /** Everything in {@code outDir}, no shard, no timeout override. */
    public static RunOptions in(Path outDir) {
        return new RunOptions(outDir, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    public Path storeDir(String grid) {
        return outDir.resolve(".bfabench").resolve("store").resolve(grid);
    }

    public Path cacheDir() {
        return outDir.resolve(".bfabench").resolve("cache");
    }

    public Path leaderboardDir() {
        return outDir.resolve("leaderboards");
    }
}
