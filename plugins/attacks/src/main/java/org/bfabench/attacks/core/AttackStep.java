package org.bfabench.attacks.core;

import org.bfabench.spi.BitFlip;

/**
 * The part of an attack that differs between attacks: choosing the flips of the next iteration.
 * Everything else (attack batch, evaluation, stopping, trace) is {@link AttackRun}'s.
 */
public interface AttackStep {

    /**
     * Chooses the flips of the next iteration; the surface must be unchanged when it returns.
     *
     * @param remainingBudget flips still allowed, at least 1; a commit must not exceed it
     */
    Proposal next(int remainingBudget);

    /** Told after each committed flip, with the code the surface reports afterwards. */
    default void committed(BitFlip flip, int codeAfter) {
    }
}
