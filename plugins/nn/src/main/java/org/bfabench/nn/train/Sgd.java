package org.bfabench.nn.train;

import java.util.HashMap;
import java.util.Map;
import org.bfabench.nn.layer.Param;

/**
 * SGD with momentum, optional Nesterov, and L2 weight decay on parameters flagged for decay, in
 * PyTorch's formulation: g ← ∇ + wd·w; v ← μ·v + g; w ← w − lr·(nesterov ? g + μ·v : v).
 */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Map<String, float[]> velocity = new HashMap<>();

    public Sgd(double momentum, boolean nesterov, double weightDecay) {
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, Param> params, Map<String, float[]> grads, double lr) {
        for (Map.Entry<String, Param> e : params.entrySet()) {
            float[] g = grads.get(e.getKey());
            if (g == null) {
                continue;
            }
            float[] w = e.getValue().value();
            float[] v = velocity.computeIfAbsent(e.getKey(), k -> new float[w.length]);
            double wd = e.getValue().decay() ? weightDecay : 0;
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + wd * w[i];
                v[i] = (float) (momentum * v[i] + gi);
                double upd = nesterov ? gi + momentum * v[i] : v[i];
                w[i] = (float) (w[i] - lr * upd);
            }
        }
    }
}
