package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/** max(0, x); the subgradient at 0 is 0. (Math.max vectorizes; it maps −0 to +0 like the comparison did.) */
public final class Relu implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        return new Tensor(apply(in[0].data()), in[0].shape());
    }

    /** max(0, x) element-wise, whatever the layout (the channels-last path shares it). */
    static float[] apply(float[] d) {
        return apply(d, new float[d.length]);
    }

    /** {@link #apply(float[])} into {@code o} (every element written). */
    static float[] apply(float[] d, float[] o) {
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = of(d[i]);
            }
        });
        return o;
    }

    /** max(0, x) of one value: the layer's arithmetic, shared by fused channels-last loops. */
    static float of(float x) {
        return Math.max(x, 0f);
    }

    /**
     * g·1{x &gt; 0}, with the indicator computed as clamp(x·2²⁰⁰, 0, 1): exactly 1 for every positive float
     * (subnormals included) and 0 for ±0 and negatives, but branch-free min/max/mul that C2 vectorizes,
     * where the conditional select ran at scalar speed.
     */
    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        float[] d = in[0].data();
        float[] g = gradOut.data();
        float[] o = new float[d.length];
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = g[i] * Math.max(0f, Math.min(1f, d[i] * 0x1p100f * 0x1p100f));
            }
        });
        return Gradients.of(new Tensor(o, in[0].shape()));
    }
}
