package org.bfabench.defenses.quantized;

import org.bfabench.defenses.common.NetworkDefense;
import org.bfabench.defenses.common.TrainingOptions;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.spi.Shape;

/**
 * N-bit quantization-aware training (ALGORITHMS.md §1; Rakin et al., ICCV 2019, §3.1; He et al.,
 * CVPR 2020): per-layer symmetric uniform quantizer, straight-through estimator, Δ recomputed each
 * training step; the frozen model stores N-bit two's-complement codes.
 *
 * <p>Training defaults: SGD, momentum 0.9, Nesterov, lr 0.05, weight decay 5e-4, 0 warm-up epochs,
 * cosine schedule; augmentation on for CIFAR-shaped inputs only. All overridable, see {@link TrainingOptions}.
 */
public final class QuantizedDefense extends NetworkDefense {
    static final TrainingOptions DEFAULTS = new TrainingOptions("sgd", 0.05, 0.9, true, 5e-4, 0, "cosine");
    private final int bits;

    public QuantizedDefense(int bits) {
        super("quantized-" + bits + "bit", "1.0.0", bits + "-bit quantization-aware training (two's-complement codes, STE)",
                DEFAULTS);
        this.bits = bits;
    }

    @Override
    protected GraphBuilder builder(Shape input, long seed) {
        return new QuantizedNetworkBuilder(input, seed, bits);
    }

    @Override
    protected boolean importsFloatWeights() {
        return true;
    }
}
