package org.bfabench.spi;

/** Why an attack stopped. */
public enum StopReason {
    /** Accuracy fell to the stop threshold (random guess + 1 point): an uncensored result. */
    THRESHOLD_REACHED,
    /** The flip budget was spent first: a censored result. */
    BUDGET_EXHAUSTED,
    /** No flip could raise the loss any more (recorded with a detail message). */
    NO_ELIGIBLE_FLIP
}
