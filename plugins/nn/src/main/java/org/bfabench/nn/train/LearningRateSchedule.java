package org.bfabench.nn.train;

/**
 * Learning rate per optimisation step: linear warm-up over {@code warmupSteps}, then cosine decay to 0
 * (Loshchilov &amp; Hutter 2017) or step decay ×{@code gamma} at 50% and 75% of the remaining steps.
 */
public record LearningRateSchedule(double baseLr, long warmupSteps, long totalSteps, Kind kind, double gamma) {

    public enum Kind { COSINE, STEP, CONSTANT }

    public double at(long step) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        double progress = totalSteps <= warmupSteps ? 1.0 : (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return switch (kind) {
            case COSINE -> 0.5 * baseLr * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
            case STEP -> baseLr * (progress >= 0.75 ? gamma * gamma : progress >= 0.5 ? gamma : 1.0);
            case CONSTANT -> baseLr;
        };
    }
}
