package org.bfabench.spi;

/**
 * Everything an {@link Attack} gets for one run.
 *
 * @param surface       the model's bit memory (already restored to the clean weights)
 * @param attackPool    where to draw the attack batch from (the training split)
 * @param evaluation    the batch accuracy is measured on after every committed flip
 * @param numClasses    number of classes
 * @param flipBudget    maximum number of committed flips
 * @param stopAccuracy  stop as soon as evaluation accuracy (0..1) is at or below this
 * @param seed          the only source of randomness: the same seed must give the same trace
 * @param options       the attack's options from the grid (e.g. {@code k_top}, {@code batch_size})
 * @param progress      where to report iterations
 */
public record AttackContext(AttackSurface surface, ImageSplit attackPool, Batch evaluation, int numClasses,
        int flipBudget, double stopAccuracy, long seed, Options options, Progress progress) {
}
