package org.bfabench.defenses.bnn;

import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.layer.Hardtanh;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.weights.ChannelSignWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.Shape;

/**
 * The complete BNN of RA-BNN (Rakin et al. 2021, §3; ALGORITHMS.md §2): binary weights with a learnable
 * α_c per output channel (one scalar α for the classifier), Hardtanh as the activation, and the sign of
 * every weighted layer's input except the first conv (real image) and the classifier (real input).
 * Subclass it to widen or mask convolutions (Early-Growth).
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
        return new ChannelSignWeights(init, outFeatures, !classifier);
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
