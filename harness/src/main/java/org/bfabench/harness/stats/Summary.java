package org.bfabench.harness.stats;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Descriptive statistics of a small sample (the seeds of one leaderboard row).
 *
 * <p>The standard deviation is the sample one (divisor n − 1), because the seeds are a sample of the
 * training/attack randomness, not the whole population; it is undefined (empty) for one value.
 *
 * @param n      number of values
 * @param mean   arithmetic mean
 * @param std    sample standard deviation (n − 1), empty when n &lt; 2
 * @param median middle value, or the mean of the two middle values for even n
 * @param min    smallest value
 * @param max    largest value
 */
public record Summary(int n, double mean, OptionalDouble std, double median, double min, double max) {

    public static Summary of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / n;
        OptionalDouble std = OptionalDouble.empty();
        if (n > 1) {
            double ss = 0;
            for (double v : sorted) {
                ss += (v - mean) * (v - mean);
            }
            std = OptionalDouble.of(Math.sqrt(ss / (n - 1)));
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(n, mean, std, median, sorted[0], sorted[n - 1]);
    }
}
