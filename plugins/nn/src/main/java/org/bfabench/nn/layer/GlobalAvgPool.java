package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/** Mean over H×W: NCHW → N×C. */
public final class GlobalAvgPool implements Layer {
    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        Tensor x = in[0];
        int planes = x.n() * x.channels();
        int sp = x.spatial();
        float[] d = x.data();
        float[] o = new float[planes];
        for (int p = 0; p < planes; p++) {
            double s = 0;
            for (int i = p * sp; i < (p + 1) * sp; i++) {
                s += d[i];
            }
            o[p] = (float) (s / sp);
        }
        return new Tensor(o, x.n(), x.channels());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        Tensor x = in[0];
        int sp = x.spatial();
        float[] g = gradOut.data();
        float[] o = new float[x.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = g[i / sp] / sp;
        }
        return Gradients.of(new Tensor(o, x.shape()));
    }
}
