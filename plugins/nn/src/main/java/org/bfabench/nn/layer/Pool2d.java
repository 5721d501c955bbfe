package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/** Max or average pooling over k×k windows with a stride, no padding (windows that do not fit are dropped). */
public final class Pool2d implements Layer {
    private final boolean max;
    private final int kernel;
    private final int stride;

    private Pool2d(boolean max, int kernel, int stride) {
        this.max = max;
        this.kernel = kernel;
        this.stride = stride;
    }

    public static Pool2d max(int kernel, int stride) {
        return new Pool2d(true, kernel, stride);
    }

    public static Pool2d average(int kernel, int stride) {
        return new Pool2d(false, kernel, stride);
    }

    /** Max (not average) pooling: the fused binary path folds only max-pools into bit operations. */
    public boolean isMax() {
        return max;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    @Override
    public Tensor forward(Tensor[] in, boolean training) {
        return run(in[0], null);
    }

    /** Forward, or (when {@code gradOut} is given) the input gradient; one loop keeps the argmax consistent. */
    private Tensor run(Tensor x, Tensor gradOut) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = (h - kernel) / stride + 1;
        int ow = (w - kernel) / stride + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("pooling " + kernel + "x" + kernel + " does not fit " + x);
        }
        float[] d = x.data();
        float[] out = gradOut == null ? new float[n * c * oh * ow] : null;
        float[] gin = gradOut == null ? null : new float[d.length];
        float[] g = gradOut == null ? null : gradOut.data();
        float inv = 1f / (kernel * kernel);
        Parallel.forEach(n * c, (long) h * w, plane -> {
            int ib = plane * h * w;
            int ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int a = 0; a < kernel; a++) {
                        for (int b = 0; b < kernel; b++) {
                            int idx = ib + (i * stride + a) * w + j * stride + b;
                            if (max) {
                                if (d[idx] > acc || best < 0) {
                                    acc = d[idx];
                                    best = idx;
                                }
                            } else if (gin != null) {
                                gin[idx] += g[ob + i * ow + j] * inv;
                            } else {
                                acc += d[idx];
                            }
                        }
                    }
                    if (gin == null) {
                        out[ob + i * ow + j] = max ? acc : acc * inv;
                    } else if (max) {
                        gin[best] += g[ob + i * ow + j];
                    }
                }
            }
        });
        return gin == null ? new Tensor(out, n, c, oh, ow) : new Tensor(gin, x.shape());
    }

    @Override
    public Gradients backward(Tensor[] in, Tensor out, Tensor gradOut, boolean training) {
        return Gradients.of(run(in[0], gradOut));
    }
}
