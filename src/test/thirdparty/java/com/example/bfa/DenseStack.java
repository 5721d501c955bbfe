package com.example.bfa;

import java.util.List;
import java.util.Random;

/**
 * Float parameters and the forward/backward math of a chain of dense operations, in plain Java.
 * Weights of a linear layer are row-major {@code [out][in]}.
 */
final class DenseStack {
    private static final float EPS = 1e-5f;

    final List<ChainBuilder.Op> ops;
    final float[][] weight;
    final float[][] bias;
    final float[][] gamma;
    final float[][] beta;
    final float[][] mean;
    final float[][] var;

    DenseStack(List<ChainBuilder.Op> ops) {
        this.ops = ops;
        int k = ops.size();
        weight = new float[k][];
        bias = new float[k][];
        gamma = new float[k][];
        beta = new float[k][];
        mean = new float[k][];
        var = new float[k][];
        for (int i = 0; i < k; i++) {
            ChainBuilder.Op op = ops.get(i);
            switch (op.kind()) {
                case LINEAR, CLASSIFIER -> {
                    weight[i] = new float[op.out() * op.in()];
                    bias[i] = op.bias() ? new float[op.out()] : null;
                }
                case BATCH_NORM -> {
                    gamma[i] = new float[op.in()];
                    java.util.Arrays.fill(gamma[i], 1f);
                    beta[i] = new float[op.in()];
                    mean[i] = new float[op.in()];
                    var[i] = new float[op.in()];
                    java.util.Arrays.fill(var[i], 1f);
                }
                default -> { }
            }
        }
    }

    /** He-normal initialisation from a seeded generator. */
    void initialise(Random rng) {
        for (int i = 0; i < ops.size(); i++) {
            if (weight[i] != null) {
                double std = Math.sqrt(2.0 / ops.get(i).in());
                for (int j = 0; j < weight[i].length; j++) {
                    weight[i][j] = (float) (rng.nextGaussian() * std);
                }
            }
        }
    }

    /** A forward pass over {@code n} inputs, with what backward needs. */
    record Pass(int n, float[][] acts, float[][] xhat, float[][] invStd) {
        float[] logits() {
            return acts[acts.length - 1];
        }
    }

    /** @param train batch statistics (and running-average updates) in batch norm instead of frozen statistics */
    Pass forward(float[] x, int n, boolean train) {
        int k = ops.size();
        float[][] acts = new float[k + 1][];
        float[][] xhat = new float[k][];
        float[][] invStd = new float[k][];
        acts[0] = x;
        for (int i = 0; i < k; i++) {
            ChainBuilder.Op op = ops.get(i);
            float[] in = acts[i];
            float[] out = new float[n * op.out()];
            switch (op.kind()) {
                case LINEAR, CLASSIFIER -> {
                    float[] w = weight[i];
                    for (int s = 0; s < n; s++) {
                        int xi = s * op.in();
                        for (int o = 0; o < op.out(); o++) {
                            float acc = bias[i] == null ? 0f : bias[i][o];
                            int wi = o * op.in();
                            for (int j = 0; j < op.in(); j++) {
                                acc += w[wi + j] * in[xi + j];
                            }
                            out[s * op.out() + o] = acc;
                        }
                    }
                }
                case RELU -> {
                    for (int j = 0; j < out.length; j++) {
                        out[j] = Math.max(0f, in[j]);
                    }
                }
                case BATCH_NORM -> batchNorm(i, op.in(), in, out, n, train, xhat, invStd);
            }
            acts[i + 1] = out;
        }
        return new Pass(n, acts, xhat, invStd);
    }

    private void batchNorm(int i, int f, float[] in, float[] out, int n, boolean train, float[][] xhat, float[][] invStd) {
        float[] mu = new float[f];
        float[] sigma2 = new float[f];
        if (train) {
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < f; j++) {
                    mu[j] += in[s * f + j] / n;
                }
            }
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < f; j++) {
                    float d = in[s * f + j] - mu[j];
                    sigma2[j] += d * d / n;
                }
            }
            for (int j = 0; j < f; j++) {
                mean[i][j] = 0.9f * mean[i][j] + 0.1f * mu[j];
                var[i][j] = 0.9f * var[i][j] + 0.1f * sigma2[j];
            }
        } else {
            System.arraycopy(mean[i], 0, mu, 0, f);
            System.arraycopy(var[i], 0, sigma2, 0, f);
        }
        float[] inv = new float[f];
        for (int j = 0; j < f; j++) {
            inv[j] = (float) (1.0 / Math.sqrt(sigma2[j] + EPS));
        }
        float[] xh = new float[n * f];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) {
                int a = s * f + j;
                xh[a] = (in[a] - mu[j]) * inv[j];
                out[a] = gamma[i][j] * xh[a] + beta[i][j];
            }
        }
        xhat[i] = xh;
        invStd[i] = inv;
    }

    /** Mean softmax cross-entropy of the pass against {@code labels}; fills {@code dLogits} when not null. */
    static double crossEntropy(float[] logits, int n, int classes, int[] labels, float[] dLogits) {
        double loss = 0;
        for (int s = 0; s < n; s++) {
            int o = s * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[o + c] - max);
            }
            loss += Math.log(sum) + max - logits[o + labels[s]];
            if (dLogits != null) {
                for (int c = 0; c < classes; c++) {
                    double p = Math.exp(logits[o + c] - max) / sum;
                    dLogits[o + c] = (float) ((p - (c == labels[s] ? 1 : 0)) / n);
                }
            }
        }
        return loss / n;
    }

    /** Gradients of every parameter; arrays are null where an op has no such parameter. */
    record Grads(double loss, float[][] weight, float[][] bias, float[][] gamma, float[][] beta) { }

    /** Backward through a pass; {@code train} must match the forward pass's mode. */
    Grads backward(Pass p, int[] labels, boolean train) {
        int k = ops.size();
        int n = p.n();
        int classes = ops.get(k - 1).out();
        float[] d = new float[n * classes];
        double loss = crossEntropy(p.logits(), n, classes, labels, d);
        float[][] gw = new float[k][];
        float[][] gb = new float[k][];
        float[][] gg = new float[k][];
        float[][] gbeta = new float[k][];
        for (int i = k - 1; i >= 0; i--) {
            ChainBuilder.Op op = ops.get(i);
            float[] in = p.acts()[i];
            float[] dIn = new float[n * op.in()];
            switch (op.kind()) {
                case LINEAR, CLASSIFIER -> {
                    float[] w = weight[i];
                    float[] g = new float[w.length];
                    float[] gbias = bias[i] == null ? null : new float[op.out()];
                    for (int s = 0; s < n; s++) {
                        for (int o = 0; o < op.out(); o++) {
                            float dy = d[s * op.out() + o];
                            if (dy == 0f) {
                                continue;
                            }
                            if (gbias != null) {
                                gbias[o] += dy;
                            }
                            int wi = o * op.in();
                            int xi = s * op.in();
                            for (int j = 0; j < op.in(); j++) {
                                g[wi + j] += dy * in[xi + j];
                                dIn[xi + j] += dy * w[wi + j];
                            }
                        }
                    }
                    gw[i] = g;
                    gb[i] = gbias;
                }
                case RELU -> {
                    for (int j = 0; j < dIn.length; j++) {
                        dIn[j] = in[j] > 0 ? d[j] : 0f;
                    }
                }
                case BATCH_NORM -> {
                    int f = op.in();
                    float[] xh = p.xhat()[i];
                    float[] inv = p.invStd()[i];
                    float[] sumDy = new float[f];
                    float[] sumDyXh = new float[f];
                    for (int s = 0; s < n; s++) {
                        for (int j = 0; j < f; j++) {
                            sumDy[j] += d[s * f + j];
                            sumDyXh[j] += d[s * f + j] * xh[s * f + j];
                        }
                    }
                    for (int s = 0; s < n; s++) {
                        for (int j = 0; j < f; j++) {
                            int a = s * f + j;
                            dIn[a] = train
                                    ? gamma[i][j] * inv[j] / n * (n * d[a] - sumDy[j] - xh[a] * sumDyXh[j])
                                    : gamma[i][j] * inv[j] * d[a];
                        }
                    }
                    gg[i] = sumDyXh;
                    gbeta[i] = sumDy;
                }
            }
            d = dIn;
        }
        return new Grads(loss, gw, gb, gg, gbeta);
    }
}
