package org.bfabench.harness.store;

/**
 * Wall-clock facts of a cell: kept in the store and the run report, never in the leaderboard CSV
 * (which must be byte-identical for the same seeds).
 *
 * @param trainingSeconds      time the defense spent training this cell's model (when it was trained,
 *                             possibly by an earlier cell or run that cached it)
 * @param modelFromCache       true when the model was loaded from the model cache in this run
 * @param attackSeconds        attack wall-clock time
 * @param attackSecondsPerFlip attack time divided by committed flips (0 when no flip was committed)
 */
public record Timing(double trainingSeconds, boolean modelFromCache, double attackSeconds, double attackSecondsPerFlip) {
}
