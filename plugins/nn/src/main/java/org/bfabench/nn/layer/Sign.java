package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/**
 * Activation binarization of a complete BNN (RA-BNN §3; ALGORITHMS.md §2): sign(x) with sign(0) = +1
 * (the XNOR kernel's convention), backward the clipped straight-through estimator 1{|x| ≤ 1}.
 */
public final class Sign implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        float[] d = in[0].data();
        float[] o = new float[d.length];
        Parallel.forEach(Parallel.chunks(d.length), Parallel.CHUNK, c -> {
            for (int i = c * Parallel.CHUNK, e = Math.min(d.length, i + Parallel.CHUNK); i < e; i++) {
                o[i] = d[i] >= 0f ? 1f : -1f;
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
                o[i] = Math.abs(d[i]) <= 1f ? g[i] : 0f;
            }
        });
        return Gradients.of(new Tensor(o, in[0].shape()));
    }
}
