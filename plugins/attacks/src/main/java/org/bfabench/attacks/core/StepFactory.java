package org.bfabench.attacks.core;

import java.util.SplittableRandom;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.BatchEvaluator;

/** Builds an attack's {@link AttackStep} for one run. */
@FunctionalInterface
public interface StepFactory {

    /**
     * @param surface     the clean model's bit memory
     * @param attackBatch evaluator bound to the attack batch (labels already chosen), owned by the run
     * @param random      the step's own random stream, derived from the run's seed
     */
    AttackStep create(AttackSurface surface, BatchEvaluator attackBatch, SplittableRandom random);
}
