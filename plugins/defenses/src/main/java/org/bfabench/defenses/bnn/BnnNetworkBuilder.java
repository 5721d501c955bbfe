package org.bfabench.defenses.bnn;

import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.SignWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.Shape;

/**
 * The complete BNN of RA-BNN (Rakin et al. 2021, §3; ALGORITHMS.md §2): binary weights with a learnable
 * α_c per output channel, Hardtanh as the activation, and the sign of every weighted layer's input except
 * the first conv (real image) and the classifier (real input). Subclass it to widen or mask convolutions
 * (Early-Growth).
 *
 * <p>The classifier's scalar scale is mean|W|, recomputed at every forward pass and fixed when frozen, not
 * a learned parameter. No BN follows the classifier, so a learned scalar multiplies the logits directly and
 * its gradient is the sum of fan-in products: on cnn-small it was 10–40 while the scale was 0.03–0.1. Adam
 * normalises that away; SGD (the growth search's recipe, and the authors' stage-2 recipe) does not, and
 * the scale oscillated through zero, so the 3×-wide search candidate trained at loss 17 in its first epoch
 * (vgg-small: 22,209, chance accuracy). With mean|W| the same search runs at loss 1.6 → 0.71.
 *
 * <p>Known departure from ALGORITHMS.md §2: the classifier's weights therefore train with binary-weights'
 * identity straight-through estimator (∂L/∂W = ∂L/∂(mean|W|·sign W)), not the clipped 1{|W| ≤ 1} one the
 * hidden layers use. Clipping it too changes every trained bnn and ra-bnn model (a version bump and a
 * regeneration of their boards), so it is left for a release that does both.
 */
public class BnnNetworkBuilder extends GraphBuilder {

    public BnnNetworkBuilder(Shape input, long seed) {
        super(input, seed);
    }

    @Override
    protected WeightKind convWeights(String name, float[] init, int outChannels, boolean first) {
        return new ChannelSignWeights(init, outChannels, true);
    }

    @Override
    protected WeightKind linearWeights(String name, float[] init, int outFeatures, boolean classifier) {
        return classifier ? new SignWeights(init, outFeatures) : new ChannelSignWeights(init, outFeatures, true);
    }

    @Override
    protected Layer activationLayer() {
        return new Hardtanh();
    }

    @Override
    protected boolean binarizeInput(boolean first, boolean classifier) {
        return !first && !classifier;
    }
}
