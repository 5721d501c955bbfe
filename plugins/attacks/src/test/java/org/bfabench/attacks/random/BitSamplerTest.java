package org.bfabench.attacks.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BitFlip;
import org.junit.jupiter.api.Test;

/**
 * Chi-square goodness of fit of the two sampling schemes on a surface whose layers differ wildly in
 * size and bit width; critical values at p = 0.001 (so a correct sampler fails about once in a
 * thousand seeds, and the seed is fixed).
 */
class BitSamplerTest {
    private static final List<AttackableLayer> LAYERS = List.of(new AttackableLayer("big-binary", 1, 1000),
            new AttackableLayer("empty", 8, 0), new AttackableLayer("small-4bit", 4, 10));
    private static final int DRAWS = 100_000;

    @Test
    void perLayerSamplingPicksLayersThenWeightsThenBitsUniformly() {
        long[] layer = new long[3];
        long[] weightInSmall = new long[10];
        long[] bitInSmall = new long[4];
        long[] weightInBig = new long[1000];
        BitSampler sampler = new BitSampler(LAYERS, Sampling.PER_LAYER);
        SplittableRandom random = new SplittableRandom(1);
        for (int k = 0; k < DRAWS; k++) {
            BitFlip f = sampler.next(random);
            layer[f.layer()]++;
            if (f.layer() == 2) {
                weightInSmall[f.index()]++;
                bitInSmall[f.bit()]++;
            } else {
                weightInBig[f.index()]++;
                assertEquals(0, f.bit());
            }
        }
        assertEquals(0, layer[1], "a layer without weights is never chosen");
        assertTrue(chiSquare(new long[] {layer[0], layer[2]}, new double[] {0.5, 0.5}) < 10.83);
        assertTrue(chiSquare(weightInSmall, uniform(10)) < 27.88);
        assertTrue(chiSquare(bitInSmall, uniform(4)) < 16.27);
        assertTrue(chiSquare(weightInBig, uniform(1000)) < 1143);
    }

    @Test
    void allBitsSamplingWeighsLayersByTheirStoredBits() {
        long[] layer = new long[3];
        long[] bitInSmall = new long[4];
        long[] weightInBig = new long[1000];
        BitSampler sampler = new BitSampler(LAYERS, Sampling.ALL_BITS);
        SplittableRandom random = new SplittableRandom(2);
        for (int k = 0; k < DRAWS; k++) {
            BitFlip f = sampler.next(random);
            layer[f.layer()]++;
            assertTrue(f.index() < LAYERS.get(f.layer()).weightCount() && f.bit() < LAYERS.get(f.layer()).bits());
            if (f.layer() == 2) {
                bitInSmall[f.bit()]++;
            } else {
                weightInBig[f.index()]++;
            }
        }
        assertEquals(0, layer[1]);
        assertTrue(chiSquare(new long[] {layer[0], layer[2]}, new double[] {1000 / 1040.0, 40 / 1040.0}) < 10.83,
                "layer counts " + layer[0] + " / " + layer[2]);
        assertTrue(chiSquare(bitInSmall, uniform(4)) < 16.27);
        assertTrue(chiSquare(weightInBig, uniform(1000)) < 1143);
    }

    @Test
    void aSurfaceWithoutWeightsHasNothingToSample() {
        assertFalse(new BitSampler(List.of(new AttackableLayer("empty", 8, 0)), Sampling.ALL_BITS).hasBits());
        assertFalse(new BitSampler(List.of(), Sampling.PER_LAYER).hasBits());
    }

    private static double[] uniform(int n) {
        double[] p = new double[n];
        java.util.Arrays.fill(p, 1.0 / n);
        return p;
    }

    private static double chiSquare(long[] observed, double[] p) {
        long total = 0;
        for (long o : observed) {
            total += o;
        }
        double chi = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = total * p[i];
            chi += (observed[i] - e) * (observed[i] - e) / e;
        }
        return chi;
    }
}
