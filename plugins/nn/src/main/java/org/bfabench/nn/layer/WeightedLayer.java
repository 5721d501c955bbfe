package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.WeightKind;

/**
 * A convolution or fully-connected layer: an attackable layer when its {@link WeightKind} has a bit
 * memory. Computes {@code pre = x ⊛ base}, then {@code out = pre · scale (+ bias)}.
 */
public interface WeightedLayer extends Layer {
    String name();

    WeightKind weights();

    int outChannels();

    /** Fan-in of one output: in·k·k for a conv, in for a linear layer. */
    int fanIn();

    /** {@code x ⊛ base} before the scale: exact small integers for a binary layer with binary input. */
    Tensor preActivation(Tensor x, boolean training);

    /** {@code pre · scale (+ bias)}: the second half of {@link #forward}. */
    Tensor finish(Tensor pre, boolean training);

    @Override
    default Tensor forward(Tensor[] in, boolean training) {
        return finish(preActivation(in[0], training), training);
    }

    /** Multiplies channel c of {@code pre} (NCHW or N×F) by {@code scale[c]} or by the single scale. */
    static float[] scaleChannels(Tensor pre, float[] scale) {
        float[] src = pre.data();
        float[] out = new float[src.length];
        int c = pre.channels();
        int sp = pre.spatial();
        int planes = src.length / sp;
        for (int p = 0; p < planes; p++) {
            float s = scale.length == 1 ? scale[0] : scale[p % c];
            for (int i = p * sp; i < (p + 1) * sp; i++) {
                out[i] = src[i] * s;
            }
        }
        return out;
    }

    /** Σ over everything but the channel of {@code a·b}, one value per entry of a scale of length {@code groups}. */
    static float[] channelDot(Tensor a, Tensor b, int groups) {
        double[] acc = new double[groups];
        float[] x = a.data();
        float[] y = b.data();
        int c = a.channels();
        int sp = a.spatial();
        int planes = x.length / sp;
        for (int p = 0; p < planes; p++) {
            double s = 0;
            for (int i = p * sp; i < (p + 1) * sp; i++) {
                s += (double) x[i] * y[i];
            }
            acc[groups == 1 ? 0 : p % c] += s;
        }
        float[] r = new float[groups];
        for (int g = 0; g < groups; g++) {
            r[g] = (float) acc[g];
        }
        return r;
    }
}
