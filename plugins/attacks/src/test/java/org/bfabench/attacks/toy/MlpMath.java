package org.bfabench.attacks.toy;

/**
 * Exact forward and backward pass of a one-hidden-layer ReLU perceptron with softmax cross-entropy, in
 * double precision: the numerics behind {@link ToyMlpSurface} and its training.
 */
public final class MlpMath {
    final int in;
    final int hidden;
    final int classes;

    public MlpMath(int in, int hidden, int classes) {
        this.in = in;
        this.hidden = hidden;
        this.classes = classes;
    }

    /**
     * Mean cross-entropy of {@code n} images; accumulates gradients into the g* arrays when they are
     * non-null (they must be zeroed by the caller); writes predictions when {@code predictions} is non-null.
     */
    public double run(float[] x, int[] y, int n, double[] w0, double[] b0, double[] w1, double[] b1,
            double[] gw0, double[] gb0, double[] gw1, double[] gb1, int[] predictions) {
        double[] pre = new double[hidden];
        double[] h = new double[hidden];
        double[] z = new double[classes];
        double[] dh = new double[hidden];
        double loss = 0;
        for (int s = 0; s < n; s++) {
            int xo = s * in;
            for (int j = 0; j < hidden; j++) {
                double a = b0[j];
                int wo = j * in;
                for (int i = 0; i < in; i++) {
                    a += w0[wo + i] * x[xo + i];
                }
                pre[j] = a;
                h[j] = a > 0 ? a : 0;
            }
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                double a = b1[c];
                int wo = c * hidden;
                for (int j = 0; j < hidden; j++) {
                    a += w1[wo + j] * h[j];
                }
                z[c] = a;
                if (a > max) {
                    max = a;
                    arg = c;
                }
            }
            if (predictions != null) {
                predictions[s] = arg;
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[c] - max);
            }
            double logSum = max + Math.log(sum);
            loss += logSum - z[y[s]];
            if (gw0 == null) {
                continue;
            }
            java.util.Arrays.fill(dh, 0);
            for (int c = 0; c < classes; c++) {
                double dz = (Math.exp(z[c] - logSum) - (c == y[s] ? 1 : 0)) / n;
                gb1[c] += dz;
                int wo = c * hidden;
                for (int j = 0; j < hidden; j++) {
                    gw1[wo + j] += dz * h[j];
                    dh[j] += w1[wo + j] * dz;
                }
            }
            for (int j = 0; j < hidden; j++) {
                if (pre[j] <= 0) {
                    continue;
                }
                gb0[j] += dh[j];
                int wo = j * in;
                for (int i = 0; i < in; i++) {
                    gw0[wo + i] += dh[j] * x[xo + i];
                }
            }
        }
        return loss / n;
    }
}
