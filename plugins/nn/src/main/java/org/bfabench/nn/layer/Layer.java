package org.bfabench.nn.layer;

import java.util.List;
import org.bfabench.nn.tensor.Tensor;

/**
 * One node operation of a {@link org.bfabench.nn.graph.Network}. Forward in inference mode is a pure
 * function of the inputs and the parameters, which is what lets an evaluator cache activations and
 * recompute only downstream of a flipped layer. Backward receives the forward's inputs and output
 * explicitly instead of relying on hidden caches, for the same reason.
 */
public interface Layer {
    Tensor forward(Tensor[] in, boolean training);

    /**
     * Gradients of the forward pass that turned {@code in} into {@code out}. Each input gradient must be a
     * freshly allocated array or {@code gradOut}'s own: the network takes ownership of both and sums into
     * them, so a layer must never return an array it keeps or one of its inputs' activations.
     */
    Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training);

    /** Trainable parameters, in the order {@link Gradients#params()} reports their gradients. */
    default List<Param> params() {
        return List.of();
    }

    /** Non-trainable state that must be saved with the model (e.g. batch-norm running statistics). */
    default List<Param> buffers() {
        return List.of();
    }
}
