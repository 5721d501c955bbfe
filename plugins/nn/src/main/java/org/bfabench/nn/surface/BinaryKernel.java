package org.bfabench.nn.surface;

import org.bfabench.nn.layer.Conv2d;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.layer.WeightedLayer;
import org.bfabench.nn.memory.BinaryMemory;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.xnor.PackedConv2d;
import org.bfabench.nn.xnor.XnorConv2d;
import org.bfabench.nn.xnor.XnorLinear;

/**
 * XNOR-popcount replacement for {@link WeightedLayer#preActivation} of a binary layer whose input is
 * already binarized (contracts.md: the output equals the float path's conv(sign(x), signW) exactly).
 * Kept in sync with the layer's {@link BinaryMemory} by its owner.
 */
final class BinaryKernel {
    private final WeightedLayer layer;
    private final XnorConv2d conv;
    private final XnorLinear linear;
    /** The same conv for packed input (fused complete-BNN blocks); null for a linear layer. */
    private final PackedConv2d packed;

    BinaryKernel(WeightedLayer layer) {
        this.layer = layer;
        float[] signs = layer.weights().base(false);
        if (layer instanceof Conv2d c) {
            conv = new XnorConv2d(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding());
            conv.setWeights(signs);
            packed = new PackedConv2d(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding());
            packed.setWeights(signs);
            linear = null;
        } else {
            Linear l = (Linear) layer;
            linear = new XnorLinear(l.inFeatures(), l.outChannels());
            linear.setWeights(signs);
            conv = null;
            packed = null;
        }
    }

    PackedConv2d packed() {
        return packed;
    }

    void setWeight(int index, boolean positive) {
        if (conv != null) {
            conv.setWeight(index, positive);
            packed.setWeight(index, positive);
        } else {
            linear.setWeight(index, positive);
        }
    }

    void reload() {
        float[] signs = layer.weights().base(false);
        if (conv != null) {
            conv.setWeights(signs);
            packed.setWeights(signs);
        } else {
            linear.setWeights(signs);
        }
    }

    Tensor preActivation(Tensor x) {
        int n = x.n();
        if (conv != null) {
            int h = x.dim(2);
            int w = x.dim(3);
            int oh = conv.outHeight(h);
            int ow = conv.outWidth(w);
            float[] out = new float[n * layer.outChannels() * oh * ow];
            conv.forward(x.data(), n, h, w, out);
            return new Tensor(out, n, layer.outChannels(), oh, ow);
        }
        float[] out = new float[n * layer.outChannels()];
        linear.forward(x.data(), n, out);
        return new Tensor(out, n, layer.outChannels());
    }
}
