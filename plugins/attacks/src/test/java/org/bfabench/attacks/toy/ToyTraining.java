package org.bfabench.attacks.toy;

import java.util.Random;
import org.bfabench.spi.ImageSplit;

/**
 * Quantization-aware training of the toy perceptron (ALGORITHMS.md §1): the forward pass uses the
 * quantized weights (N-bit: Δ = max|W|/(2^(N−1)−1), codes round(clip(W/Δ)); binary: α = mean|W|, ±1),
 * the straight-through estimator passes the gradient to the latent float weights; at the end codes and
 * steps are frozen into a {@link ToyMlpSurface}.
 */
public final class ToyTraining {
    private ToyTraining() {
    }

    public static ToyMlpSurface train(ImageSplit data, int hidden, int[] bits, long seed, int epochs) {
        int in = data.shape().size();
        int classes = Blobs.CLASSES;
        MlpMath math = new MlpMath(in, hidden, classes);
        Random r = new Random(seed);
        double[][] w = {new double[hidden * in], new double[classes * hidden]};
        int[] fanIn = {in, hidden};
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = r.nextGaussian() * Math.sqrt(2.0 / fanIn[l]);
            }
        }
        double[] b0 = new double[hidden];
        double[] b1 = new double[classes];
        float[] all = new float[data.size() * in];
        data.pixels().get(all);
        int[] labels = data.labels();
        int batch = 50;
        double lr = 0.05;
        float[] x = new float[batch * in];
        int[] y = new int[batch];
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start + batch <= order.length; start += batch) {
                for (int k = 0; k < batch; k++) {
                    System.arraycopy(all, order[start + k] * in, x, k * in, in);
                    y[k] = labels[order[start + k]];
                }
                double[][] q = {quantize(w[0], bits[0], null), quantize(w[1], bits[1], null)};
                double[] g0 = new double[w[0].length];
                double[] g1 = new double[w[1].length];
                double[] gb0 = new double[hidden];
                double[] gb1 = new double[classes];
                math.run(x, y, batch, q[0], b0, q[1], b1, g0, gb0, g1, gb1, null);
                step(w[0], g0, lr);
                step(w[1], g1, lr);
                step(b0, gb0, lr);
                step(b1, gb1, lr);
            }
        }
        int[][] codes = new int[2][];
        double[] scale = new double[2];
        for (int l = 0; l < 2; l++) {
            codes[l] = new int[w[l].length];
            double[] s = new double[1];
            double[] q = quantize(w[l], bits[l], s);
            for (int i = 0; i < q.length; i++) {
                codes[l][i] = (int) Math.round(q[i] / s[0]);
            }
            scale[l] = s[0];
        }
        return new ToyMlpSurface(in, hidden, classes, bits, scale, codes, b0, b1);
    }

    private static void step(double[] p, double[] g, double lr) {
        for (int i = 0; i < p.length; i++) {
            p[i] -= lr * g[i];
        }
    }

    /** Quantized copy of {@code w}; writes the step (Δ or α) to {@code stepOut[0]} when given. */
    static double[] quantize(double[] w, int bits, double[] stepOut) {
        double[] q = new double[w.length];
        double step;
        if (bits == 1) {
            double sum = 0;
            for (double v : w) {
                sum += Math.abs(v);
            }
            step = sum / w.length;
            for (int i = 0; i < w.length; i++) {
                q[i] = w[i] >= 0 ? step : -step;
            }
        } else {
            double max = 0;
            for (double v : w) {
                max = Math.max(max, Math.abs(v));
            }
            int levels = (1 << (bits - 1)) - 1;
            step = max / levels;
            for (int i = 0; i < w.length; i++) {
                q[i] = Math.round(Math.max(-levels, Math.min(levels, w[i] / step))) * step;
            }
        }
        if (stepOut != null) {
            stepOut[0] = step;
        }
        return q;
    }
}
