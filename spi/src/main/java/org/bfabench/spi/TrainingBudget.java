package org.bfabench.spi;

/**
 * How much training a defense may spend.
 *
 * @param epochs     passes over the (possibly subsetted) training split
 * @param batchSize  mini-batch size
 * @param trainLimit use only the first {@code trainLimit} training images (0 = all)
 */
public record TrainingBudget(int epochs, int batchSize, int trainLimit) {
    public TrainingBudget {
        if (epochs <= 0 || batchSize <= 0 || trainLimit < 0) {
            throw new IllegalArgumentException("bad training budget: epochs=" + epochs + " batch=" + batchSize
                    + " limit=" + trainLimit);
        }
    }
}
