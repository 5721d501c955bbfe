package org.bfabench.spi;

import java.util.List;

/**
 * Evaluates the current weights of an {@link AttackSurface} on one fixed batch, as fast as the
 * defense can: implementations cache whatever a flip cannot change (activations of layers before the
 * flipped one) and recompute only the rest.
 *
 * <p>Every method reflects the surface's weights at the moment it is called, including flips committed
 * through {@link AttackSurface#flip} since the evaluator was created. Owns native memory: close it.
 */
public interface BatchEvaluator extends AutoCloseable {

    /** The batch this evaluator is bound to. */
    Batch batch();

    /** Mean cross-entropy against the batch's labels. */
    double loss();

    /** Loss and its gradient w.r.t. every stored code; fails if the surface has no gradients. */
    LossGradient lossAndGradient();

    /**
     * The loss as it would be with {@code flips} applied; the surface is unchanged afterwards. This is
     * the inner loop of a bit search, so implementations make it cheap (all flips are usually in one
     * layer).
     */
    double lossWith(List<BitFlip> flips);

    /** Predicted class per image. */
    int[] predictions();

    /** Fraction of images (0..1) whose prediction equals the batch's label. */
    double accuracy();

    @Override
    void close();
}
