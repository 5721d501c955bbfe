package org.bfabench.harness.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryAndBootstrapTest {

    @Test
    void summaryOfTheTextbookSampleHasMeanFiveSampleStdRootThirtyTwoSeventhsAndMedianFourAndAHalf() {
        Summary s = Summary.of(new double[] {9, 2, 4, 4, 5, 4, 7, 5});
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.std().getAsDouble(), 1e-12, "sample std, divisor n - 1");
        assertEquals(4.5, s.median(), 1e-12);
        assertEquals(2.0, s.min(), 0);
        assertEquals(9.0, s.max(), 0);
    }

    @Test
    void oddCountMedianIsTheMiddleValueAndOneValueHasNoStd() {
        assertEquals(20.0, Summary.of(new double[] {100, 10, 20}).median(), 0);
        assertFalse(Summary.of(new double[] {3}).std().isPresent());
    }

    @Test
    void bootstrapOfZeroAndTenSpansBothBecauseEachExtremeMeanHasProbabilityOneQuarter() {
        // resample means of {0, 10}: 0 (p = 1/4), 5 (1/2), 10 (1/4); 2.5 % and 97.5 % quantiles are 0 and 10
        assertArrayEquals(new double[] {0, 10}, Bootstrap.LEADERBOARD.meanInterval(new double[] {0, 10}), 0);
    }

    @Test
    void bootstrapOfOneTwoThreeIsOneToThreeBecauseTheExtremeMeansHaveProbabilityOneTwentySeventh() {
        // P(mean = 1) = P(mean = 3) = 1/27 ≈ 3.7 % > 2.5 %
        assertArrayEquals(new double[] {1, 3}, Bootstrap.LEADERBOARD.meanInterval(new double[] {1, 2, 3}), 1e-12);
    }

    @Test
    void bootstrapIsAPureFunctionOfSampleAndSeedAndStaysInsideTheData() {
        double[] sample = {26, 8, 3000, 41, 17};
        double[] a = Bootstrap.LEADERBOARD.meanInterval(sample);
        assertArrayEquals(a, Bootstrap.LEADERBOARD.meanInterval(sample.clone()), 0);
        assertTrue(a[0] >= 8 && a[1] <= 3000 && a[0] < a[1]);
        double mean = Summary.of(sample).mean();
        assertTrue(a[0] <= mean && mean <= a[1]);
        double[] other = new Bootstrap(10_000, 7, 0.95).meanInterval(sample);
        assertNotEquals(a[0] + a[1], other[0] + other[1], 0, "another seed resamples differently");
        assertArrayEquals(new double[] {5, 5}, Bootstrap.LEADERBOARD.meanInterval(new double[] {5, 5, 5}), 0);
    }
}
