package org.bfabench.spi;

/**
 * A bit-flip attack. It sees only an {@link AttackSurface} and must leave the committed flips on it
 * (the harness restores the clean weights before the next attack).
 *
 * <p>Contract: deterministic in its context (same seed → same trace); stops at
 * {@link AttackContext#stopAccuracy()} or {@link AttackContext#flipBudget()}; every committed flip is
 * one {@link FlipEvent} in the trace.
 */
public interface Attack extends Component {

    /** True if the attack needs {@link BatchEvaluator#lossAndGradient()}; such an attack is N/A on surfaces without gradients. */
    boolean needsGradients();

    AttackTrace run(AttackContext context);
}
