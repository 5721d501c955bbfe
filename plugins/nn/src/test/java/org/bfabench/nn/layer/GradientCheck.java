package org.bfabench.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bfabench.nn.tensor.Tensor;

/** Central finite differences of L = Σ out·R against a layer's backward, in float32 with double sums. */
final class GradientCheck {
    private final Layer layer;
    private final boolean training;
    private final Tensor[] inputs;
    private final float[] projection;

    GradientCheck(Layer layer, boolean training, Tensor... inputs) {
        this.layer = layer;
        this.training = training;
        this.inputs = inputs;
        Tensor out = layer.forward(inputs, training);
        Random r = new Random(7);
        projection = new float[out.size()];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) r.nextGaussian();
        }
    }

    static Tensor random(long seed, float scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Random r = new Random(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * scale);
        }
        return t;
    }

    double loss() {
        float[] o = layer.forward(inputs, training).data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += (double) o[i] * projection[i];
        }
        return s;
    }

    Gradients analytic() {
        Tensor out = layer.forward(inputs, training);
        return layer.backward(inputs, out, new Tensor(projection.clone(), out.shape()), training);
    }

    /** Checks ∂L/∂values[i] for every i against {@code grad}. */
    void check(float[] values, float[] grad, double eps, String what) {
        for (int i = 0; i < values.length; i++) {
            float keep = values[i];
            values[i] = (float) (keep + eps);
            double plus = loss();
            values[i] = (float) (keep - eps);
            double minus = loss();
            values[i] = keep;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, grad[i], 2e-3 + 1e-2 * Math.abs(numeric), what + "[" + i + "]");
        }
    }

    void checkInput(int k, double eps) {
        check(inputs[k].data(), analytic().inputs()[k].data(), eps, "input " + k);
    }
}
