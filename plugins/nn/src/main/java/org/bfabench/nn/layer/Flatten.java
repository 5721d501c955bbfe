package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/** NCHW → N×(C·H·W), a view of the same row-major data. */
public final class Flatten implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        Tensor x = in[0];
        return x.reshape(x.n(), x.size() / x.n());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        return Gradients.of(gradOut.reshape(in[0].shape()));
    }
}
