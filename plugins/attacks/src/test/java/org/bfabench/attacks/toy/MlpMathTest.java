package org.bfabench.attacks.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bfabench.spi.ImageSplit;
import org.junit.jupiter.api.Test;

/** The toy model the attack tests rely on is itself right: exact gradients, real two's complement. */
class MlpMathTest {

    @Test
    void analyticGradientsMatchCentralFiniteDifferences() {
        int in = 16;
        int hidden = 6;
        int classes = 10;
        MlpMath math = new MlpMath(in, hidden, classes);
        ImageSplit data = new Blobs(3, 1.0).sample(20, 4);
        float[] x = new float[20 * in];
        data.pixels().get(x);
        int[] y = data.labels();
        Random r = new Random(9);
        double[] w0 = gaussian(r, hidden * in);
        double[] w1 = gaussian(r, classes * hidden);
        double[] b0 = gaussian(r, hidden);
        double[] b1 = gaussian(r, classes);
        double[] g0 = new double[w0.length];
        double[] g1 = new double[w1.length];
        math.run(x, y, 20, w0, b0, w1, b1, g0, new double[hidden], g1, new double[classes], null);
        double h = 1e-6;
        for (int i = 0; i < w0.length; i += 7) {
            double saved = w0[i];
            w0[i] = saved + h;
            double up = math.run(x, y, 20, w0, b0, w1, b1, null, null, null, null, null);
            w0[i] = saved - h;
            double down = math.run(x, y, 20, w0, b0, w1, b1, null, null, null, null, null);
            w0[i] = saved;
            assertEquals((up - down) / (2 * h), g0[i], 1e-6, "fc0 weight " + i);
        }
        for (int i = 0; i < w1.length; i += 3) {
            double saved = w1[i];
            w1[i] = saved + h;
            double up = math.run(x, y, 20, w0, b0, w1, b1, null, null, null, null, null);
            w1[i] = saved - h;
            double down = math.run(x, y, 20, w0, b0, w1, b1, null, null, null, null, null);
            w1[i] = saved;
            assertEquals((up - down) / (2 * h), g1[i], 1e-6, "fc1 weight " + i);
        }
    }

    @Test
    void flippingTheMsbOfTwentyOneGivesMinusOneHundredSevenAndOfMinusOneGivesOneHundredTwentySeven() {
        assertEquals(-107, ToyMlpSurface.flipBit(21, 7, 8));
        assertEquals(127, ToyMlpSurface.flipBit(-1, 7, 8));
        assertEquals(-128, ToyMlpSurface.flipBit(0, 7, 8));
        assertEquals(-8, ToyMlpSurface.flipBit(0, 3, 4));
        assertEquals(-1, ToyMlpSurface.flipBit(1, 0, 1));
    }

    @Test
    void quantizationAwareTrainingGivesModelsFarAboveChance() {
        ToyWorld world = new ToyWorld();
        assertTrue(world.accuracy(world.eightBit) > 0.7, "8-bit toy accuracy " + world.accuracy(world.eightBit));
        assertTrue(world.accuracy(world.binary) > 0.6, "binary toy accuracy " + world.accuracy(world.binary));
    }

    private static double[] gaussian(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.5 * r.nextGaussian();
        }
        return a;
    }
}
