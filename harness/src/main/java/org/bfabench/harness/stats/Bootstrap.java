package org.bfabench.harness.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence interval of the mean (Efron &amp; Tibshirani 1993, ch. 13).
 *
 * <p>{@code resamples} times, draw n values with replacement from the sample (a {@link SplittableRandom}
 * seeded with {@code seed}, so the interval is a pure function of the sample) and take their mean; sort
 * the means; the interval is [means[⌊α/2·B⌋], means[⌈(1−α/2)·B⌉ − 1]] for B resamples and level 1 − α.
 * With very few seeds the interval is as wide as the data allows and no wider: it always lies inside
 * [min, max].
 *
 * @param resamples number of bootstrap resamples B
 * @param seed      RNG seed; the leaderboard uses a fixed one so boards are byte-identical
 * @param level     confidence level, e.g. 0.95
 */
public record Bootstrap(int resamples, long seed, double level) {

    /** What every leaderboard uses: 10 000 resamples, seed 20190101, 95 %. */
    public static final Bootstrap LEADERBOARD = new Bootstrap(10_000, 20_190_101L, 0.95);

    public Bootstrap {
        if (resamples < 1 || level <= 0 || level >= 1) {
            throw new IllegalArgumentException("bad bootstrap: B=" + resamples + " level=" + level);
        }
    }

    /** Returns {low, high}. */
    public double[] meanInterval(double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int n = sample.length;
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += sample[rng.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        double alpha = 1 - level;
        int lo = (int) Math.floor(alpha / 2 * resamples);
        int hi = (int) Math.ceil((1 - alpha / 2) * resamples) - 1;
        return new double[] {means[Math.max(0, lo)], means[Math.min(resamples - 1, hi)]};
    }
}
