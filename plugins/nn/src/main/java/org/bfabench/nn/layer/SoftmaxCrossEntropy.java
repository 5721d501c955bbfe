package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.Tensor;

/** Mean softmax cross-entropy over a batch of logits (N×K), computed in double with the log-sum-exp shift. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss and ∂loss/∂logits. */
    public record Result(double loss, Tensor gradient) {
    }

    public static double loss(Tensor logits, int[] labels) {
        return compute(logits, labels, false).loss();
    }

    public static Result lossAndGradient(Tensor logits, int[] labels) {
        return compute(logits, labels, true);
    }

    private static Result compute(Tensor logits, int[] labels, boolean withGradient) {
        int n = logits.n();
        int k = logits.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " logits");
        }
        float[] z = logits.data();
        float[] g = withGradient ? new float[z.length] : null;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            double logSum = max + Math.log(sum);
            total += logSum - z[i * k + labels[i]];
            if (g != null) {
                for (int j = 0; j < k; j++) {
                    double p = Math.exp(z[i * k + j] - logSum);
                    g[i * k + j] = (float) ((p - (j == labels[i] ? 1 : 0)) / n);
                }
            }
        }
        return new Result(total / n, g == null ? null : new Tensor(g, logits.shape()));
    }

    /** Index of the largest logit per row (first on ties). */
    public static int[] argmax(Tensor logits) {
        int n = logits.n();
        int k = logits.dim(1);
        float[] z = logits.data();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (z[i * k + j] > z[i * k + best]) {
                    best = j;
                }
            }
            p[i] = best;
        }
        return p;
    }
}
