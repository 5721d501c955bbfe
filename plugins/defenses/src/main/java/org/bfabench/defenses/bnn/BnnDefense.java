package org.bfabench.defenses.bnn;

import org.bfabench.defenses.common.NetworkDefense;
import org.bfabench.defenses.common.TrainingOptions;
import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.spi.Shape;

/**
 * Complete binary neural network, weights and activations binary (RA-BNN, Rakin et al. 2021, §3 —
 * the baseline BNN; ALGORITHMS.md §2), with the clipped straight-through estimator. Inference and attack
 * evaluation run binary layers through the XNOR-popcount kernel.
 *
 * <p>Training defaults: <b>Adam</b> (β 0.9/0.999), lr 0.005, no weight decay, cosine schedule — binary
 * networks train markedly better with Adam than with SGD on small CPU budgets; the authors' SGD recipe
 * (lr 0.1, momentum 0.9, wd 1e-4, warm-up) is available through the options.
 */
public final class BnnDefense extends NetworkDefense {
    static final TrainingOptions DEFAULTS = new TrainingOptions("adam", 0.005, 0.9, false, 0, 0, "cosine");

    public BnnDefense() {
        super("bnn", "1.1.0", "complete BNN (binary weights x per-channel alpha, sign activations, clipped STE)",
                DEFAULTS);
    }

    /** Training defaults, shared with ra-bnn so the two are trained on equal terms. */
    public static TrainingOptions defaults() {
        return DEFAULTS;
    }

    @Override
    protected GraphBuilder builder(Shape input, long seed) {
        return new BnnNetworkBuilder(input, seed);
    }
}
