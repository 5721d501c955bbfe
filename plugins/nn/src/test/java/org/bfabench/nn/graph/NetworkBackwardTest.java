package org.bfabench.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bfabench.nn.layer.Add;
import org.bfabench.nn.layer.Gradients;
import org.bfabench.nn.layer.Linear;
import org.bfabench.nn.tensor.Tensor;
import org.bfabench.nn.weights.FloatWeights;
import org.junit.jupiter.api.Test;

/**
 * Network.backward hands input gradients on without copying them and sums into them where a node feeds
 * several others. A residual add returns one array for both of its inputs; if both kept it, the sum that
 * later reaches one of them would leak into the other. All layers are linear, so central differences are
 * exact up to float rounding and no kink can hide a counting error.
 */
class NetworkBackwardTest {
    private static final int N = 3;
    private static final int F = 4;
    private static final int[] S = {F};

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static Node fc(String name, float[] w, int input) {
        return new Node(name, new Linear(name, F, F, false, new FloatWeights(w)), new int[] {input}, S);
    }

    private static double loss(Network net, Tensor x, float[] proj) {
        float[] z = net.logits(net.forward(x, true)).data();
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s += (double) z[i] * proj[i];
        }
        return s;
    }

    /** Every weight gradient of {@code net} (weights {@code w}, in node order) against central differences. */
    private static void check(List<Node> nodes, List<float[]> w, long seed) {
        Network net = new Network(nodes);
        Random r = new Random(seed);
        Tensor x = new Tensor(random(r, N * F), N, F);
        float[] proj = random(r, N * F);
        float[] projCopy = proj.clone();
        Gradients[] g = net.backward(net.forward(x, true), new Tensor(proj, N, F), true);
        assertArrayEquals(projCopy, proj, 0f, "backward must not write into the caller's logit gradient");
        int layer = 0;
        for (int n = 1; n < nodes.size(); n++) {
            if (!(nodes.get(n).layer() instanceof Linear)) {
                continue;
            }
            float[] values = w.get(layer++);
            float[] analytic = g[n].params()[0];
            for (int i = 0; i < values.length; i++) {
                float keep = values[i];
                values[i] = keep + 0.01f;
                double plus = loss(net, x, proj);
                values[i] = keep - 0.01f;
                double minus = loss(net, x, proj);
                values[i] = keep;
                double numeric = (plus - minus) / (2 * 0.01);
                assertEquals(numeric, analytic[i], 1e-3 + 1e-3 * Math.abs(numeric), nodes.get(n).name() + " weight " + i);
            }
        }
    }

    @Test
    void aGradientSharedByBothInputsOfAnAddIsNotChangedBySumsThatReachOnlyOneOfThem() {
        Random r = new Random(3);
        List<float[]> w = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            w.add(random(r, F * F));
        }
        // in → fc1 → {b, c}; d = fcD(c); s = b + c; t = s + d; fc2(t): d's gradient is summed into c's
        // array after the add handed the same array to b and c
        check(List.of(
                new Node("in", null, new int[0], S),
                fc("fc1", w.get(0), 0),
                fc("b", w.get(1), 1),
                fc("c", w.get(2), 1),
                fc("d", w.get(3), 3),
                new Node("s", new Add(), new int[] {2, 3}, S),
                new Node("t", new Add(), new int[] {5, 4}, S),
                fc("fc2", w.get(4), 6)), w, 4);
    }

    @Test
    void addingANodeToItselfCountsItsGradientTwice() {
        Random r = new Random(5);
        List<float[]> w = List.of(random(r, F * F), random(r, F * F));
        check(List.of(
                new Node("in", null, new int[0], S),
                fc("fc1", w.get(0), 0),
                new Node("twice", new Add(), new int[] {1, 1}, S),
                fc("fc2", w.get(1), 2)), w, 6);
    }
}
