package org.bfabench.attacks.core;

import java.util.Locale;
import java.util.Optional;
import org.bfabench.spi.StopReason;

/**
 * When an attack stops (PBS, Rakin et al. ICCV 2019 §4 as specified in ALGORITHMS.md §4): as soon as
 * evaluation accuracy is at or below the threshold (uncensored), or when the flip budget is spent
 * (censored). The threshold wins when both happen on the same iteration.
 *
 * @param stopAccuracy accuracy (0..1) at or below which the attack succeeded
 * @param flipBudget   maximum number of committed flips
 */
public record StopRule(double stopAccuracy, int flipBudget) {

    /** The reason to stop after {@code flips} committed flips leaving {@code accuracy}, if any. */
    public Optional<Proposal.Stop> check(double accuracy, int flips) {
        if (accuracy <= stopAccuracy) {
            return Optional.of(new Proposal.Stop(StopReason.THRESHOLD_REACHED, String.format(Locale.ROOT,
                    "accuracy %.4f <= threshold %.4f after %d flips", accuracy, stopAccuracy, flips)));
        }
        if (flips >= flipBudget) {
            return Optional.of(new Proposal.Stop(StopReason.BUDGET_EXHAUSTED, String.format(Locale.ROOT,
                    "flip budget of %d spent with accuracy %.4f still above threshold %.4f", flipBudget, accuracy,
                    stopAccuracy)));
        }
        return Optional.empty();
    }
}
