package org.bfabench.nn.xnor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class XnorConv2dTest {

    private static final int[] CHANNELS = {1, 3, 17, 63, 64, 65, 130};

    @Test
    void randomLayersAreBitIdenticalToFloatConvolutionOfSignsWithZeroPadding() {
        Random random = new Random(20261125L);
        ForkJoinPool ownPool = new ForkJoinPool(2);
        try {
            for (int trial = 0; trial < 60; trial++) {
                int c = CHANNELS[random.nextInt(CHANNELS.length)];
                int o = 1 + random.nextInt(9);
                int k = random.nextBoolean() ? 1 : 3;
                int s = 1 + random.nextInt(2);
                int p = random.nextInt(2);
                int h = Math.max(k - 2 * p, 1 + random.nextInt(11));
                int w = Math.max(k - 2 * p, 1 + random.nextInt(11));
                int n = 1 + random.nextInt(3);
                // grain 1 forces every row into its own fork, so the split path is what gets checked
                RangeSplitter splitter = switch (trial % 3) {
                    case 0 -> new RangeSplitter(ForkJoinPool.commonPool(), RangeSplitter.DEFAULT_GRAIN);
                    case 1 -> new RangeSplitter(ForkJoinPool.commonPool(), 1);
                    default -> new RangeSplitter(ownPool, 1);
                };
                XnorConv2d layer = new XnorConv2d(c, o, k, s, p, splitter);
                float[] weights = FloatReference.valuesWithZeros(random, o * c * k * k);
                float[] x = FloatReference.valuesWithZeros(random, n * c * h * w);
                layer.setWeights(weights);

                float[] expected = FloatReference.conv(x, n, c, h, w, weights, o, k, s, p);
                float[] actual = new float[n * o * layer.outHeight(h) * layer.outWidth(w)];
                layer.forward(x, n, h, w, actual);

                String config = "n" + n + " c" + c + " o" + o + " k" + k + " s" + s + " p" + p + " " + h + "×" + w;
                assertEquals(expected.length, actual.length, config);
                assertArrayEquals(expected, actual, config);
            }
        } finally {
            ownPool.shutdown();
        }
    }

    @Test
    void vggSmallSizedLayerOnTheDefaultPoolIsBitIdenticalToTheFloatReference() {
        Random random = new Random(7L);
        XnorConv2d layer = new XnorConv2d(64, 64, 3, 1, 1);
        float[] weights = FloatReference.valuesWithZeros(random, 64 * 64 * 9);
        float[] x = FloatReference.valuesWithZeros(random, 3 * 64 * 14 * 14);
        layer.setWeights(weights);
        float[] actual = new float[3 * 64 * 14 * 14];

        layer.forward(x, 3, 14, 14, actual);

        assertArrayEquals(FloatReference.conv(x, 3, 64, 14, 14, weights, 64, 3, 1, 1), actual);
    }

    @Test
    void zeroPaddingContributesNothingSoEachOutputCountsOnlyTheTapsInsideTheImage() {
        XnorConv2d layer = new XnorConv2d(1, 2, 3, 1, 1);
        float[] weights = new float[18];
        for (int i = 9; i < 18; i++) {
            weights[i] = -1f; // channel 0 all +1, channel 1 all −1
        }
        layer.setWeights(weights);
        float[] out = new float[2 * 2 * 2];

        layer.forward(new float[] {1f, 2f, 3f, 4f}, 1, 2, 2, out);

        // 4 of the 9 taps of every output pixel of a 2×2 image lie inside it (±1 padding would give ±9 or ±1)
        assertArrayEquals(new float[] {4f, 4f, 4f, 4f, -4f, -4f, -4f, -4f}, out);
    }

    @Test
    void zeroAndNegativeZeroInputsAndWeightsCountAsPlusOne() {
        XnorConv2d layer = new XnorConv2d(1, 2, 1, 1, 0);
        layer.setWeights(new float[] {-0f, -3f});
        float[] out = new float[8];

        layer.forward(new float[] {0f, -0f, -2f, 3f}, 1, 2, 2, out);

        assertArrayEquals(new float[] {1f, 1f, -1f, 1f, -1f, -1f, 1f, -1f}, out);
    }

    @Test
    void setWeightAfterSetWeightsEqualsRepackingTheFlippedWeightsFromScratch() {
        Random random = new Random(42L);
        int c = 70;
        int o = 6;
        float[] weights = FloatReference.valuesWithZeros(random, o * c * 9);
        XnorConv2d flipped = new XnorConv2d(c, o, 3, 2, 1);
        flipped.setWeights(weights);
        for (int i = 0; i < 300; i++) {
            int index = random.nextInt(weights.length);
            boolean positive = random.nextBoolean();
            flipped.setWeight(index, positive);
            weights[index] = positive ? 1f : -1f;
        }
        XnorConv2d fresh = new XnorConv2d(c, o, 3, 2, 1);
        fresh.setWeights(weights);
        float[] x = FloatReference.valuesWithZeros(random, 2 * c * 9 * 9);
        float[] a = new float[2 * o * 5 * 5];
        float[] b = new float[a.length];

        flipped.forward(x, 2, 9, 9, a);
        fresh.forward(x, 2, 9, 9, b);

        assertArrayEquals(b, a);
        assertArrayEquals(FloatReference.conv(x, 2, c, 9, 9, weights, o, 3, 2, 1), a);
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i] >= 0f, flipped.isPositive(i), "weight " + i);
        }
    }

    @Test
    void outputSizeFollowsTheConvolutionArithmetic() {
        XnorConv2d layer = new XnorConv2d(3, 4, 3, 2, 1);
        assertEquals(7, layer.outHeight(14));
        assertEquals(4, layer.outWidth(7));
        assertThrows(IllegalArgumentException.class, () -> new XnorConv2d(3, 4, 5, 1, 1).outHeight(2));
    }

    @Test
    void wrongLengthsAndIndicesAreRejected() {
        XnorConv2d layer = new XnorConv2d(2, 3, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> layer.setWeights(new float[53]));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[2 * 2 * 4 * 4 - 1], 2, 4, 4,
                new float[2 * 3 * 4 * 4]));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[2 * 2 * 4 * 4], 2, 4, 4,
                new float[2 * 3 * 4 * 4 - 1]));
        assertThrows(IndexOutOfBoundsException.class, () -> layer.setWeight(54, true));
        assertThrows(IndexOutOfBoundsException.class, () -> layer.isPositive(-1));
    }
}
