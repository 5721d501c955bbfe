package org.bfabench.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.bfabench.nn.layer.Param;
import org.junit.jupiter.api.Test;

class OptimizerAndScheduleTest {

    @Test
    void warmUpIsLinearThenCosineDecaysToZero() {
        LearningRateSchedule s = new LearningRateSchedule(0.1, 10, 110, LearningRateSchedule.Kind.COSINE, 0.1);
        assertEquals(0.01, s.at(0), 1e-12);
        assertEquals(0.1, s.at(9), 1e-12);
        assertEquals(0.1, s.at(10), 1e-12);
        assertEquals(0.05, s.at(60), 1e-12);
        assertEquals(0.0, s.at(110), 1e-12);
    }

    @Test
    void stepScheduleDecaysByGammaAtHalfAndThreeQuarters() {
        LearningRateSchedule s = new LearningRateSchedule(1, 0, 100, LearningRateSchedule.Kind.STEP, 0.1);
        assertEquals(1, s.at(49), 1e-12);
        assertEquals(0.1, s.at(50), 1e-12);
        assertEquals(0.01, s.at(75), 1e-12);
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecayFollowsThePyTorchUpdate() {
        float[] w = {1f, -2f};
        Map<String, Param> p = Map.of("w", new Param("w", w, true));
        Sgd sgd = new Sgd(0.9, true, 0.1);
        sgd.step(p, Map.of("w", new float[] {0.5f, 0.5f}), 0.1);
        // g = 0.5 + 0.1·w; v = g; update = g + 0.9·v
        double g0 = 0.5 + 0.1;
        double g1 = 0.5 - 0.2;
        assertArrayEquals(new float[] {(float) (1 - 0.1 * 1.9 * g0), (float) (-2 - 0.1 * 1.9 * g1)}, w, 1e-6f);
        float w0 = w[0];
        sgd.step(p, Map.of("w", new float[] {0f, 0f}), 0.1);
        double ga = 0.1 * w0;
        double v = 0.9 * g0 + ga;
        assertEquals(w0 - 0.1 * (ga + 0.9 * v), w[0], 1e-6);
    }

    @Test
    void adamFirstStepMovesEveryWeightByTheLearningRateAgainstItsGradient() {
        float[] w = {0f, 0f, 0f};
        new Adam(0.9, 0.999, 1e-8, 0).step(Map.of("w", new Param("w", w, false)), Map.of("w", new float[] {3f, -0.01f, 1e-3f}), 0.01);
        assertArrayEquals(new float[] {-0.01f, 0.01f, -0.01f}, w, 1e-5f);
    }

    @Test
    void horizontalFlipMirrorsEachRowAndCropShiftsWithZeroFill() {
        float[] img = {1, 2, 3, 4, 5, 6};
        float[] flipped = img.clone();
        Random always = new Random(0) {
            @Override
            public boolean nextBoolean() {
                return true;
            }
        };
        new Augmentation(0, true).apply(flipped, 1, 1, 2, 3, always);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, flipped);
        float[] shifted = img.clone();
        Random fixed = new Random(0) {
            @Override
            public int nextInt(int bound) {
                return 2; // dy = dx = +1 with padding 1
            }
        };
        new Augmentation(1, false).apply(shifted, 1, 1, 2, 3, fixed);
        assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0}, shifted);
    }
}
