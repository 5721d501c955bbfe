package org.bfabench.spi;

import java.nio.file.Path;

/**
 * Everything a {@link Defense} gets to train one model.
 *
 * @param architecture        the network to build
 * @param architectureOptions its options from the grid
 * @param dataset             the loaded dataset (immutable; shared with other cells)
 * @param budget              training budget
 * @param seed                the only source of randomness: the same seed must give the same model
 * @param options             the defense's options from the grid (learning rate, growth factor, …)
 * @param progress            where to report epochs
 * @param workDir             a private writable directory for this training run's artifacts (e.g. a
 *                            density curve CSV); the harness keeps it next to the cell's results
 * @param cacheDir            a writable directory shared by all runs of this defense, for
 *                            intermediate results cached under the defense's own content hashes
 */
public record TrainingContext(ModelArchitecture architecture, Options architectureOptions, Dataset dataset,
        TrainingBudget budget, long seed, Options options, Progress progress, Path workDir, Path cacheDir) {
}
