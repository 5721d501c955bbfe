package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/**
 * Parameter-free ResNet shortcut "option A" (He et al. 2016, §4.2): keep every stride-th row and column
 * and zero-pad the channels to {@code outChannels}, half in front and the rest behind (as the common
 * CIFAR ResNet-20 code does with {@code planes // 4} on each side).
 */
public final class SubsamplePad implements Layer {
    private final int outChannels;
    private final int stride;

    public SubsamplePad(int outChannels, int stride) {
        this.outChannels = outChannels;
        this.stride = stride;
    }

    int outChannels() {
        return outChannels;
    }

    int stride() {
        return stride;
    }

    /** Channels of zeros in front of the {@code inChannels} kept ones. */
    int front(int inChannels) {
        if (inChannels > outChannels) {
            throw new IllegalArgumentException("option-A shortcut cannot shrink " + inChannels + " to " + outChannels);
        }
        return (outChannels - inChannels) / 2;
    }

    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        return map(in[0], null);
    }

    private Tensor map(Tensor x, Tensor gradOut) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = (h + stride - 1) / stride;
        int ow = (w + stride - 1) / stride;
        int f = front(c);
        float[] d = x.data();
        float[] out = gradOut == null ? new float[n * outChannels * oh * ow] : null;
        float[] gin = gradOut == null ? null : new float[d.length];
        float[] g = gradOut == null ? null : gradOut.data();
        for (int plane = 0; plane < n * c; plane++) {
            int b = plane / c;
            int k = plane % c;
            for (int i = 0; i < oh; i++) {
                int src = ((b * c + k) * h + i * stride) * w;
                int dst = ((b * outChannels + k + f) * oh + i) * ow;
                if (gin == null) {
                    for (int j = 0; j < ow; j++) {
                        out[dst + j] = d[src + j * stride];
                    }
                } else {
                    for (int j = 0; j < ow; j++) {
                        gin[src + j * stride] = g[dst + j];
                    }
                }
            }
        }
        return gin == null ? new Tensor(out, n, outChannels, oh, ow) : new Tensor(gin, x.shape());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        return Gradients.of(map(in[0], gradOut));
    }
}
