package org.bfabench.attacks.core;

import java.util.List;
import org.bfabench.spi.BitFlip;
import org.bfabench.spi.StopReason;

/** What one attack iteration decided: flips to commit, or a reason to stop. */
public sealed interface Proposal {

    /**
     * Commit {@code flips} as one iteration.
     *
     * @param lossAfter the attack-batch loss with the flips applied if the step already measured it,
     *                  NaN to let {@link AttackRun} measure it after the commit
     */
    record Commit(List<BitFlip> flips, double lossAfter) implements Proposal {
        public Commit {
            flips = List.copyOf(flips);
            if (flips.isEmpty()) {
                throw new IllegalArgumentException("a commit needs at least one flip");
            }
        }
    }

    /** Stop without committing anything more. */
    record Stop(StopReason reason, String detail) implements Proposal {
    }
}
