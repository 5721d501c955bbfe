package org.bfabench.nn.train;

import java.util.HashMap;
import java.util.Map;
import org.bfabench.nn.layer.Param;

/** Adam (Kingma &amp; Ba 2015) with bias correction and L2 weight decay added to the gradient. */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, float[][]> moments = new HashMap<>();
    private int t;

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, Param> params, Map<String, float[]> grads, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (Map.Entry<String, Param> e : params.entrySet()) {
            float[] g = grads.get(e.getKey());
            if (g == null) {
                continue;
            }
            float[] w = e.getValue().value();
            float[][] mv = moments.computeIfAbsent(e.getKey(), k -> new float[][] {new float[w.length], new float[w.length]});
            double wd = e.getValue().decay() ? weightDecay : 0;
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + wd * w[i];
                mv[0][i] = (float) (beta1 * mv[0][i] + (1 - beta1) * gi);
                mv[1][i] = (float) (beta2 * mv[1][i] + (1 - beta2) * gi * gi);
                w[i] = (float) (w[i] - lr * (mv[0][i] / c1) / (Math.sqrt(mv[1][i] / c2) + eps));
            }
        }
    }
}
