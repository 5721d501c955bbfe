package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/** max(0, x); the subgradient at 0 is 0. */
public final class Relu implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        float[] d = in[0].data();
        float[] o = new float[d.length];
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = d[i] > 0f ? d[i] : 0f;
            }
        });
        return new Tensor(o, in[0].shape());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        float[] d = in[0].data();
        float[] g = gradOut.data();
        float[] o = new float[d.length];
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = d[i] > 0f ? g[i] : 0f;
            }
        });
        return Gradients.of(new Tensor(o, in[0].shape()));
    }
}
