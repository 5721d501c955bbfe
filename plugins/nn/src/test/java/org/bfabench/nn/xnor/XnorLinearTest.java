package org.bfabench.nn.xnor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class XnorLinearTest {

    private static final int[] FEATURES = {1, 5, 63, 64, 65, 127, 200, 513};

    @Test
    void randomLayersAreBitIdenticalToTheFloatProductOfSigns() {
        Random random = new Random(11L);
        for (int trial = 0; trial < 40; trial++) {
            int in = FEATURES[random.nextInt(FEATURES.length)];
            int out = 1 + random.nextInt(13);
            int n = 1 + random.nextInt(70);
            RangeSplitter splitter = new RangeSplitter(ForkJoinPool.commonPool(),
                    trial % 2 == 0 ? RangeSplitter.DEFAULT_GRAIN : 1);
            XnorLinear layer = new XnorLinear(in, out, splitter);
            float[] weights = FloatReference.valuesWithZeros(random, in * out);
            float[] x = FloatReference.valuesWithZeros(random, n * in);
            layer.setWeights(weights);
            float[] actual = new float[n * out];

            layer.forward(x, n, actual);

            assertArrayEquals(FloatReference.linear(x, n, in, weights, out), actual,
                    "n" + n + " in" + in + " out" + out);
        }
    }

    @Test
    void zeroAndNegativeZeroCountAsPlusOne() {
        XnorLinear layer = new XnorLinear(3, 1);
        layer.setWeights(new float[] {-0f, 0f, -5f});
        float[] out = new float[2];

        layer.forward(new float[] {0f, -0f, 1f, -0f, -1f, -1f}, 2, out);

        // row 0: (+1)(+1) + (+1)(+1) + (+1)(−1) = 1; row 1: (+1)(+1) + (−1)(+1) + (−1)(−1) = 1
        assertArrayEquals(new float[] {1f, 1f}, out);
    }

    @Test
    void setWeightAfterSetWeightsEqualsRepackingTheFlippedWeightsFromScratch() {
        Random random = new Random(3L);
        int in = 130;
        int out = 9;
        float[] weights = FloatReference.valuesWithZeros(random, in * out);
        XnorLinear flipped = new XnorLinear(in, out);
        flipped.setWeights(weights);
        for (int i = 0; i < 400; i++) {
            int index = random.nextInt(weights.length);
            boolean positive = random.nextBoolean();
            flipped.setWeight(index, positive);
            weights[index] = positive ? 1f : -1f;
        }
        XnorLinear fresh = new XnorLinear(in, out);
        fresh.setWeights(weights);
        float[] x = FloatReference.valuesWithZeros(random, 5 * in);
        float[] a = new float[5 * out];
        float[] b = new float[5 * out];

        flipped.forward(x, 5, a);
        fresh.forward(x, 5, b);

        assertArrayEquals(b, a);
        assertArrayEquals(FloatReference.linear(x, 5, in, weights, out), a);
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i] >= 0f, flipped.isPositive(i), "weight " + i);
        }
    }

    @Test
    void wrongLengthsAndIndicesAreRejected() {
        XnorLinear layer = new XnorLinear(4, 3);
        assertThrows(IllegalArgumentException.class, () -> layer.setWeights(new float[11]));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[7], 2, new float[6]));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[8], 2, new float[5]));
        assertThrows(IndexOutOfBoundsException.class, () -> layer.setWeight(12, false));
    }
}
