package org.bfabench.harness.nightly;

/**
 * One unit of nightly work that the time budget schedules and the report describes. Regenerating a
 * board is one ({@link GridStep}); the JMH throughput benchmarks ({@code leaderboards/throughput.csv})
 * are another ({@link ThroughputStep}), with their own estimate and regressions.
 */
public interface NightlyStep {
    /** Its name and estimated cost, decided before anything runs. */
    Candidate candidate();

    /** Runs the step; failures of single cells are counted in the outcome, not thrown. */
    StepOutcome run();
}
