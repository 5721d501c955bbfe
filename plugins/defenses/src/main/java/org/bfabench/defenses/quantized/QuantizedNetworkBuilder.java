package org.bfabench.defenses.quantized;

import org.bfabench.nn.graph.GraphBuilder;
import org.bfabench.nn.layer.Layer;
import org.bfabench.nn.layer.Relu;
import org.bfabench.nn.weights.QuantizedWeights;
import org.bfabench.nn.weights.WeightKind;
import org.bfabench.spi.Shape;

/** Every conv and linear layer (first and classifier included) N-bit quantized; ReLU activations. */
public class QuantizedNetworkBuilder extends GraphBuilder {
    private final int bits;

    public QuantizedNetworkBuilder(Shape input, long seed, int bits) {
        super(input, seed);
        this.bits = bits;
    }

    @Override
    protected WeightKind convWeights(String name, float[] init, int outChannels, boolean first) {
        return new QuantizedWeights(bits, init, outChannels);
    }

    @Override
    protected WeightKind linearWeights(String name, float[] init, int outFeatures, boolean classifier) {
        return new QuantizedWeights(bits, init, outFeatures);
    }

    @Override
    protected Layer activationLayer() {
        return new Relu();
    }
}
