package org.bfabench.harness.grid;

import org.bfabench.spi.TrainingBudget;

/**
 * The grid's {@code training} section.
 *
 * @param epochs     passes over the training subset
 * @param batchSize  mini-batch size
 * @param trainLimit use only the first N training images (0 = all)
 * @param testLimit  use only the first N test images for clean accuracy and attack evaluation (0 = all)
 */
public record TrainingSettings(int epochs, int batchSize, int trainLimit, int testLimit) {

    public TrainingBudget budget() {
        return new TrainingBudget(epochs, batchSize, trainLimit);
    }
}
