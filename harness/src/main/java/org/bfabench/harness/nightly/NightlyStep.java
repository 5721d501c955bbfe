package org.bfabench.harness.nightly;

/**
 * One unit of nightly work that the time budget schedules and the report describes. Regenerating a
 * board is one ({@link GridStep}); a throughput benchmark (JMH, {@code leaderboards/throughput.csv})
 * joins the nightly as another implementation, with its estimate and its own regressions.
 */
public interface NightlyStep {
    /** Its name and estimated cost, decided before anything runs. */
    Candidate candidate();

    /** Runs the step; failures of single cells are counted in the outcome, not thrown. */
    StepOutcome run();
}
