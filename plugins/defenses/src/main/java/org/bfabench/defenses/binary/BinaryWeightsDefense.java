package org.bfabench.defenses.binary;

import org.bfabench.defenses.common.NetworkDefense;
import org.bfabench.defenses.common.TrainingOptions;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.spi.Shape;

/**
 * Binarization-aware training of He et al., CVPR 2020, §4 (ALGORITHMS.md §2, "binary-weights"):
 * W_b = sign(W)·μ with μ = mean|W| per layer, identity straight-through gradient, real ReLU activations,
 * every conv and the classifier binarized; the frozen model stores one bit per weight.
 *
 * <p>Training defaults: SGD, momentum 0.9, Nesterov, lr 0.05, weight decay 5e-4 (as the quantized
 * defenses), cosine schedule. Overridable, see {@link TrainingOptions}.
 */
public final class BinaryWeightsDefense extends NetworkDefense {
    static final TrainingOptions DEFAULTS = new TrainingOptions("sgd", 0.05, 0.9, true, 5e-4, 0, "cosine");

    public BinaryWeightsDefense() {
        super("binary-weights", "1.0.0", "binary weights (sign x per-layer mean|W|, STE), real activations", DEFAULTS);
    }

    @Override
    protected GraphBuilder builder(Shape input, long seed) {
        return new BinaryWeightsNetworkBuilder(input, seed);
    }

    @Override
    protected boolean importsFloatWeights() {
        return true;
    }
}
