package org.bfabench.nn.xnor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class PackedConv2dTest {
    private static final int[] CHANNELS = {1, 3, 16, 17, 32, 63, 64, 65, 130};

    private record Case(int n, int c, int o, int k, int s, int p, int h, int w, float[] weights, float[] x,
            PackedConv2d layer) {
        float[] reference() {
            return FloatReference.conv(x, n, c, h, w, weights, o, k, s, p);
        }

        PackedSigns input() {
            return PackedSigns.ofSigns(x, n, c, h, w);
        }

        int outSize() {
            return n * o * layer.outHeight(h) * layer.outWidth(w);
        }
    }

    private static Case randomCase(Random random, int trial) {
        int c = CHANNELS[random.nextInt(CHANNELS.length)];
        // also counts that are not a multiple of the 8-output block, and every fifth case over one 64-bit word
        int o = trial % 5 == 4 ? 60 + random.nextInt(90) : 1 + random.nextInt(20);
        int k = random.nextBoolean() ? 1 : 3;
        int s = 1 + random.nextInt(2);
        int p = random.nextInt(2);
        int h = Math.max(k - 2 * p, 1 + random.nextInt(11));
        int w = Math.max(k - 2 * p, 1 + random.nextInt(11));
        int n = 1 + random.nextInt(3);
        // grain 1 forces every row into its own fork, so the split path is what gets checked
        RangeSplitter splitter = new RangeSplitter(ForkJoinPool.commonPool(),
                trial % 2 == 0 ? RangeSplitter.DEFAULT_GRAIN : 1);
        // both kernels: the vector one where this JVM can run it (PackedConv2d.VECTOR_KERNEL), else scalar twice
        PackedConv2d layer = new PackedConv2d(c, o, k, s, p, splitter, trial % 4 < 2);
        float[] weights = FloatReference.valuesWithZeros(random, o * c * k * k);
        layer.setWeights(weights);
        return new Case(n, c, o, k, s, p, h, w, weights, FloatReference.valuesWithZeros(random, n * c * h * w), layer);
    }

    @Test
    void sumsOfRandomLayersAreBitIdenticalToFloatConvolutionOfSignsWithZeroPadding() {
        Random random = new Random(20261126L);
        for (int trial = 0; trial < 60; trial++) {
            Case t = randomCase(random, trial);
            float[] actual = new float[t.outSize()];
            t.layer().forwardSums(t.input(), actual);
            assertArrayEquals(t.reference(), actual, t.toString());
        }
    }

    @Test
    void signOutputIsPlusOneExactlyWhereTheSumLiesInItsChannelsInterval() {
        Random random = new Random(5L);
        for (int trial = 0; trial < 40; trial++) {
            Case t = randomCase(random, trial);
            int fan = t.layer().fanIn();
            int[] lo = new int[t.o()];
            int[] hi = new int[t.o()];
            for (int o = 0; o < t.o(); o++) {
                lo[o] = random.nextInt(3) == 0 ? -fan - 1 : random.nextInt(2 * fan + 1) - fan;
                hi[o] = random.nextInt(3) == 0 ? fan + 1 : lo[o] + random.nextInt(fan + 1);
                if (random.nextInt(6) == 0) { // empty interval
                    lo[o] = 1;
                    hi[o] = 0;
                }
            }
            float[] sums = t.reference();
            int plane = t.layer().outHeight(t.h()) * t.layer().outWidth(t.w());
            float[] expected = new float[sums.length];
            for (int i = 0; i < sums.length; i++) {
                int o = i / plane % t.o();
                expected[i] = sums[i] >= lo[o] && sums[i] <= hi[o] ? 1f : -1f;
            }
            PackedSigns out = t.layer().forwardSigns(t.input(), lo, hi);
            assertEquals(t.o(), out.channels());
            assertArrayEquals(expected, out.toFloats(), t.toString());
        }
    }

    @Test
    void tableOutputLooksUpEverySumInItsChannelsRow() {
        Random random = new Random(6L);
        for (int trial = 0; trial < 30; trial++) {
            Case t = randomCase(random, trial);
            int span = 2 * t.layer().fanIn() + 1;
            float[] table = new float[t.o() * span];
            for (int i = 0; i < table.length; i++) {
                table[i] = (float) random.nextGaussian();
            }
            float[] sums = t.reference();
            int plane = t.layer().outHeight(t.h()) * t.layer().outWidth(t.w());
            float[] expected = new float[sums.length];
            for (int i = 0; i < sums.length; i++) {
                expected[i] = table[i / plane % t.o() * span + (int) sums[i] + t.layer().fanIn()];
            }
            float[] actual = new float[t.outSize()];
            t.layer().forwardTable(t.input(), table, actual);
            assertArrayEquals(expected, actual, t.toString());
        }
    }

    @Test
    void setWeightAfterFlipsEqualsRepackingTheFlippedWeightsFromScratch() {
        Random random = new Random(43L);
        int c = 70;
        int o = 11;
        float[] weights = FloatReference.valuesWithZeros(random, o * c * 9);
        PackedConv2d flipped = new PackedConv2d(c, o, 3, 2, 1);
        flipped.setWeights(weights);
        for (int i = 0; i < 400; i++) {
            int index = random.nextInt(weights.length);
            boolean positive = random.nextBoolean();
            flipped.setWeight(index, positive);
            weights[index] = positive ? 1f : -1f;
        }
        float[] x = FloatReference.valuesWithZeros(random, 2 * c * 9 * 9);
        float[] a = new float[2 * o * 5 * 5];
        flipped.forwardSums(PackedSigns.ofSigns(x, 2, c, 9, 9), a);
        assertArrayEquals(FloatReference.conv(x, 2, c, 9, 9, weights, o, 3, 2, 1), a);
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i] >= 0f, flipped.isPositive(i), "weight " + i);
        }
    }

    @Test
    void wrongShapesAndIndicesAreRejected() {
        PackedConv2d layer = new PackedConv2d(2, 3, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> layer.setWeights(new float[53]));
        PackedSigns threeChannels = PackedSigns.ofSigns(new float[3 * 16], 1, 3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> layer.forwardSums(threeChannels, new float[3 * 16]));
        PackedSigns twoChannels = PackedSigns.ofSigns(new float[2 * 16], 1, 2, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> layer.forwardSums(twoChannels, new float[3 * 16 - 1]));
        assertThrows(IndexOutOfBoundsException.class, () -> layer.setWeight(54, true));
        assertThrows(IndexOutOfBoundsException.class, () -> layer.isPositive(-1));
    }

    @Test
    void maxPoolOfPackedSignsEqualsTheSignsOfTheFloatMaxPool() {
        Random random = new Random(8L);
        for (int trial = 0; trial < 30; trial++) {
            int c = CHANNELS[random.nextInt(CHANNELS.length)];
            int k = 1 + random.nextInt(3);
            int s = 1 + random.nextInt(2);
            int h = k + random.nextInt(7);
            int w = k + random.nextInt(7);
            int n = 1 + random.nextInt(2);
            float[] x = FloatReference.valuesWithZeros(random, n * c * h * w);
            int oh = (h - k) / s + 1;
            int ow = (w - k) / s + 1;
            float[] expected = new float[n * c * oh * ow];
            for (int plane = 0; plane < n * c; plane++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                max = Math.max(max, x[(plane * h + i * s + a) * w + j * s + b]);
                            }
                        }
                        expected[(plane * oh + i) * ow + j] = FloatReference.sign(max);
                    }
                }
            }
            assertArrayEquals(expected, PackedSigns.ofSigns(x, n, c, h, w).maxPool(k, s).toFloats(),
                    "c" + c + " k" + k + " s" + s + " " + h + "×" + w);
        }
    }

    @Test
    void keyIntervalsFollowTheTotalOrderOfFloatsIncludingBothZeros() {
        Random random = new Random(9L);
        float[] x = FloatReference.valuesWithZeros(random, 2 * 3 * 5 * 7);
        int[] lo = {PackedSigns.orderKey(0f), PackedSigns.orderKey(-1e9f), 1};
        int[] hi = {PackedSigns.orderKey(1e9f), PackedSigns.orderKey(-0f), 0};
        int domainLo = PackedSigns.orderKey(-1e9f);
        int domainHi = PackedSigns.orderKey(1e9f);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i / 35 % 3;
            // channel 0: +0 and above (−0 is below +0); channel 1: −0 and below; channel 2: nothing
            boolean positive = c == 0 ? Float.floatToRawIntBits(x[i]) >= 0 : c == 1 && Float.floatToRawIntBits(x[i]) < 0;
            expected[i] = positive ? 1f : -1f;
        }
        assertArrayEquals(expected, PackedSigns.ofKeyIntervals(x, 2, 3, 5, 7, lo, hi, domainLo, domainHi).toFloats());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -2e9f}) {
            float[] y = x.clone();
            y[17] = bad;
            assertNull(PackedSigns.ofKeyIntervals(y, 2, 3, 5, 7, lo, hi, domainLo, domainHi), "value " + bad);
        }
    }

    @Test
    void thresholdDecisionsCompareSignedValuesSoBothZerosSitOnTheSameSide() {
        Random random = new Random(10L);
        float[] x = FloatReference.valuesWithZeros(random, 2 * 4 * 3 * 5);
        float[] sign = {1f, -1f, 1f, 1f};
        float[] threshold = {0.25f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i / 15 % 4;
            boolean positive = c == 0 ? x[i] >= 0.25f : c == 1 ? x[i] <= 0f : c == 2;
            expected[i] = positive ? 1f : -1f;
        }
        assertArrayEquals(expected, PackedSigns.ofThresholds(x, 2, 4, 3, 5, sign, threshold, 10f).toFloats());
        for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 11f}) {
            float[] y = x.clone();
            y[29] = bad;
            assertNull(PackedSigns.ofThresholds(y, 2, 4, 3, 5, sign, threshold, 10f), "value " + bad);
        }
    }

    @Test
    void thresholdDecisionsReadChannelsLastEqualTheNchwOnesOverSeveralWordsAndRejectTheSameValues() {
        // 70: scalar, two words, the second partial; 80 and 128: the vector kernel where it runs
        for (int channels : new int[] {70, 80, 128}) {
            thresholdsChannelsLastEqualNchw(channels);
        }
    }

    private static void thresholdsChannelsLastEqualNchw(int channels) {
        Random random = new Random(14L + channels);
        int n = 2;
        int h = 3;
        int w = 5;
        float[] x = FloatReference.valuesWithZeros(random, n * channels * h * w);
        float[] sign = new float[channels];
        float[] threshold = new float[channels];
        float[] specials = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int c = 0; c < channels; c++) {
            sign[c] = random.nextBoolean() ? 1f : -1f;
            threshold[c] = c % 5 == 0 ? specials[c / 5 % 4] : (float) random.nextGaussian();
        }
        float[] expected = PackedSigns.ofThresholds(x, n, channels, h, w, sign, threshold, 10f).toFloats();
        assertArrayEquals(expected, PackedSigns.ofThresholdsChannelsLast(nhwc(x, n, channels, h * w), n, channels, h, w,
                sign, threshold, 10f).toFloats(), channels + " channels");
        for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 11f, -10.5f}) {
            float[] y = x.clone();
            y[random.nextInt(y.length)] = bad;
            assertNull(PackedSigns.ofThresholdsChannelsLast(nhwc(y, n, channels, h * w), n, channels, h, w, sign,
                    threshold, 10f), channels + " channels, value " + bad);
        }
    }

    private static java.nio.FloatBuffer nhwc(float[] nchw, int n, int c, int plane) {
        float[] out = new float[nchw.length];
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    out[(img * plane + p) * c + ch] = nchw[(img * c + ch) * plane + p];
                }
            }
        }
        return java.nio.FloatBuffer.wrap(out).asReadOnlyBuffer();
    }

    @Test
    void pooledTableOutputEqualsTheMaxPoolLayerOnTheFullTableOutputIncludingTiesOfSignedZeros() {
        Random random = new Random(12L);
        for (int trial = 0; trial < 30; trial++) {
            Case t = randomCase(random, trial);
            int oh = t.layer().outHeight(t.h());
            int ow = t.layer().outWidth(t.w());
            int pool = 1 + random.nextInt(3);
            if (oh < pool || ow < pool) {
                continue;
            }
            int span = 2 * t.layer().fanIn() + 1;
            float[] table = new float[t.o() * span];
            float[] choices = {0f, -0f, 1f, -1f, 0.5f};
            for (int i = 0; i < table.length; i++) {
                table[i] = choices[random.nextInt(choices.length)];
            }
            float[] full = new float[t.outSize()];
            t.layer().forwardTable(t.input(), table, full);
            org.bfabench.nn.tensor.Tensor expected = org.bfabench.nn.layer.Pool2d.max(pool, pool).forward(
                    new org.bfabench.nn.tensor.Tensor[] {new org.bfabench.nn.tensor.Tensor(full, t.n(), t.o(), oh, ow)},
                    false);
            float[] actual = new float[expected.size()];
            t.layer().forwardTableMaxPool(t.input(), table, pool, actual);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual[i]),
                        t + " pool " + pool + " at " + i);
            }
        }
    }

    @Test
    void orderedTablesPoolTheIntegerSumsAndGiveTheMaxPoolLayersBitsIncludingTiesAndSignedZeros() {
        Random random = new Random(13L);
        int ordered = 0;
        for (int trial = 0; trial < 30; trial++) {
            Case t = randomCase(random, trial);
            int oh = t.layer().outHeight(t.h());
            int ow = t.layer().outWidth(t.w());
            int pool = 1 + random.nextInt(3);
            if (oh < pool || ow < pool) {
                continue;
            }
            int span = 2 * t.layer().fanIn() + 1;
            float[] table = new float[t.o() * span];
            int[] expectedOrder = new int[t.o()];
            for (int o = 0; o < t.o(); o++) {
                expectedOrder[o] = monotoneChannel(random, table, o * span, span, o % 6);
            }
            int[] order = t.layer().tableOrder(table);
            assertArrayEquals(expectedOrder, order, t.toString());
            float[] full = new float[t.outSize()];
            t.layer().forwardTable(t.input(), table, full);
            org.bfabench.nn.tensor.Tensor expected = org.bfabench.nn.layer.Pool2d.max(pool, pool).forward(
                    new org.bfabench.nn.tensor.Tensor[] {new org.bfabench.nn.tensor.Tensor(full, t.n(), t.o(), oh, ow)},
                    false);
            float[] actual = new float[expected.size()];
            t.layer().forwardTableMaxPool(t.input(), table, order, pool, actual);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual[i]),
                        t + " pool " + pool + " at " + i);
            }
            for (int v : order) {
                ordered += v != 0 ? 1 : 0;
            }
        }
        assertTrue(ordered > 100, "most channels take the integer path");
    }

    /**
     * Fills one channel's table by kind: 0 non-decreasing steps with long ties and −0 as its only zero,
     * 1 non-increasing with +0 only, 2 non-decreasing through both −0 and +0, 3 non-decreasing with a NaN,
     * 4 constant, 5 random values; returns the order the table must report.
     */
    private static int monotoneChannel(Random random, float[] table, int from, int span, int kind) {
        float[] steps = {-1f, -0.5f, -0f, 0.25f, 1f};
        float[] levels = kind == 1 ? new float[] {1f, 0.5f, 0f, -0.25f, -1f}
                : kind == 2 ? new float[] {-1f, -0f, 0f, 0.5f, 1f} : steps;
        int level = 0;
        for (int i = 0; i < span; i++) {
            if (level < levels.length - 1 && random.nextInt(Math.max(1, span / 8)) == 0) {
                level++;
            }
            table[from + i] = switch (kind) {
                case 4 -> 0.75f;
                case 5 -> steps[random.nextInt(steps.length)];
                default -> levels[level];
            };
        }
        if (kind == 2) { // both zeros for sure, in order
            table[from] = -0f;
            table[from + span - 1] = 0f;
            for (int i = 1; i < span - 1; i++) {
                table[from + i] = i < span / 2 ? -0f : 0f;
            }
        }
        if (kind == 3) {
            table[from + random.nextInt(span)] = Float.NaN;
        }
        if (kind == 5) {
            table[from] = -1f;
            table[from + span - 1] = -1f;
            table[from + span / 2] = 1f; // up then down: neither order (span ≥ 3)
        }
        return switch (kind) {
            case 0, 4 -> 1;
            case 1 -> -1;
            default -> 0;
        };
    }
}
