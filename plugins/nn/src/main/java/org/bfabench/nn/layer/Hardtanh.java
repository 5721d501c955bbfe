package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/** clip(x, −1, 1): the real-valued activation of a complete BNN before the next layer's sign (RA-BNN §3). */
public final class Hardtanh implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        return new Tensor(apply(in[0].data()), in[0].shape());
    }

    /** clip(x, −1, 1) element-wise, whatever the layout (the channels-last path shares it). */
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

    /** clip(x, −1, 1) of one value: the layer's arithmetic, shared by fused channels-last loops. */
    static float of(float x) {
        return Math.max(-1f, Math.min(1f, x));
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        float[] d = in[0].data();
        float[] g = gradOut.data();
        float[] o = new float[d.length];
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = d[i] > -1f && d[i] < 1f ? g[i] : 0f;
            }
        });
        return Gradients.of(new Tensor(o, in[0].shape()));
    }
}
