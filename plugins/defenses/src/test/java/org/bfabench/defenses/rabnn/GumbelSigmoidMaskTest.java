package org.bfabench.defenses.rabnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GumbelSigmoidMaskTest {

    @Test
    void baseChannelsStartAtOneAndTheOthersOnTheNegativeGrid() {
        GumbelSigmoidMask mask = new GumbelSigmoidMask(48, 16, 1.0, new SplittableRandom(1));
        float[] s = mask.logits();
        for (int c = 0; c < 16; c++) {
            assertEquals(1f, s[c]);
        }
        for (int c = 16; c < 48; c++) {
            double tenths = s[c] * 10;
            assertTrue(s[c] >= -1.0f && s[c] <= -0.2f + 1e-6, "logit " + s[c]);
            assertEquals(Math.rint(tenths), tenths, 1e-5, "logit on the 0.1 grid");
        }
        assertEquals(1.0 / 3.0, mask.density(), 1e-12);
    }

    @Test
    void hardSampleFrequencyMatchesSigmoidOfBetaTimesLogit() {
        // P(σ(βs + g1 − g2) > 0.5) = P(g1 − g2 > −βs) = σ(βs): the difference of two Gumbels is logistic.
        GumbelSigmoidMask mask = new GumbelSigmoidMask(9, 0, 1.0, new SplittableRandom(3));
        SplittableRandom rng = new SplittableRandom(42);
        int trials = 200_000;
        double[] on = new double[9];
        for (int t = 0; t < trials; t++) {
            float[] m = mask.sample(rng);
            for (int c = 0; c < 9; c++) {
                on[c] += m[c];
            }
        }
        for (int c = 0; c < 9; c++) {
            double expected = GumbelSigmoidMask.sigmoid(mask.logits()[c]);
            // 5 standard errors of a binomial proportion
            double tol = 5 * Math.sqrt(expected * (1 - expected) / trials);
            assertEquals(expected, on[c] / trials, tol, "channel " + c);
        }
    }

    @Test
    void straightThroughGradientIsTheDerivativeOfTheSoftSample() {
        GumbelSigmoidMask mask = new GumbelSigmoidMask(4, 2, 1.0, new SplittableRandom(5));
        mask.sample(new SplittableRandom(7));
        // Recompute the same soft values independently from the same noise stream.
        SplittableRandom again = new SplittableRandom(7);
        float[] gradOut = {0.5f, -2f, 1f, 3f};
        mask.backward(gradOut);
        for (int c = 0; c < 4; c++) {
            double z = mask.logits()[c] + GumbelSigmoidMask.gumbel(again) - GumbelSigmoidMask.gumbel(again);
            double s = GumbelSigmoidMask.sigmoid(z);
            // finite difference of the soft sample w.r.t. the logit, noise held fixed
            double h = 1e-4;
            double ds = (GumbelSigmoidMask.sigmoid(z + h) - GumbelSigmoidMask.sigmoid(z - h)) / (2 * h);
            assertEquals(gradOut[c] * ds, mask.logitGradient()[c], 1e-4, "channel " + c);
            assertTrue(s > 0 && s < 1);
        }
    }

    @Test
    void betaGrowsByOneHundredOverEightyEpochsOnlyForActiveChannels() {
        GumbelSigmoidMask mask = new GumbelSigmoidMask(6, 3, 1.0, new SplittableRandom(9));
        for (int e = 0; e < 80; e++) {
            mask.endEpoch();
        }
        float[] beta = mask.betas();
        for (int c = 0; c < 3; c++) {
            assertEquals(100.0, beta[c], 1e-3, "active channel " + c);
        }
        for (int c = 3; c < 6; c++) {
            assertEquals(1.0, beta[c], 0.0, "inactive channel " + c);
        }
    }

    @Test
    void samplingIsReproducibleForAGivenSeed() {
        GumbelSigmoidMask a = new GumbelSigmoidMask(30, 10, 1.0, new SplittableRandom(11));
        GumbelSigmoidMask b = new GumbelSigmoidMask(30, 10, 1.0, new SplittableRandom(11));
        assertArrayEquals(a.sample(new SplittableRandom(2)).clone(), b.sample(new SplittableRandom(2)).clone());
    }

    @Test
    void grownWidthIsFloorOfBaseTimesFactorTimesDensityButAtLeastTheBase() {
        assertEquals(48, GrownWidths.width(16, 3, 1.0));
        assertEquals(16, GrownWidths.width(16, 3, 1.0 / 3.0));
        assertEquals(16, GrownWidths.width(16, 3, 0.1));
        assertEquals(38, GrownWidths.width(16, 3, 0.8));   // ⌊38.4⌋
        assertEquals(344, GrownWidths.width(128, 3, 344 / 384.0));
    }

    @Test
    void densityCurveSaturatesWhenTheOverallDensityStopsMoving() {
        DensityCurve curve = new DensityCurve(java.util.List.of("a", "b"));
        curve.record(new double[] {1 / 3.0, 1 / 3.0}, new int[] {48, 96});
        curve.record(new double[] {0.5, 0.45}, new int[] {48, 96});
        assertTrue(!curve.saturated(0.005));
        curve.record(new double[] {0.5, 0.452}, new int[] {48, 96});
        assertTrue(curve.saturated(0.005));
        assertEquals((0.5 * 48 + 0.452 * 96) / 144, curve.overall(2), 1e-12);
    }
}
