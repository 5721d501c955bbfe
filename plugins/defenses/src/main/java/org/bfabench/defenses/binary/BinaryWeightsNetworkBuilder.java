package org.bfabench.defenses.binary;

import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Relu;
import org.bfabench.nn.weights.SignWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.Shape;

/** Every conv and linear layer binary (sign × per-layer mean|W|); real-valued ReLU activations. */
public final class BinaryWeightsNetworkBuilder extends GraphBuilder {

    public BinaryWeightsNetworkBuilder(Shape input, long seed) {
        super(input, seed);
    }

    @Override
    protected WeightKind convWeights(String name, float[] init, int outChannels, boolean first) {
        return new SignWeights(init, outChannels);
    }

    @Override
    protected WeightKind linearWeights(String name, float[] init, int outFeatures, boolean classifier) {
        return new SignWeights(init, outFeatures);
    }

    @Override
    protected Layer activationLayer() {
        return new Relu();
    }
}
