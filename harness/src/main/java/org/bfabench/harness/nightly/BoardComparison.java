package org.bfabench.harness.nightly;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bfabench.spi.BenchException;

/**
 * Compares a regenerated board with the committed one, row by row (dataset, model, defense, attack).
 *
 * <p>The rule, in the board's own units and on the numbers as printed in the CSV (compared exactly, as
 * decimals, so a value on the boundary is not a regression):
 * <ul>
 * <li><b>flips</b>: the new {@code flips_to_random_mean} must lie in the previous
 *     [{@code flips_to_random_ci_low}, {@code flips_to_random_ci_high}], bounds included — the previous
 *     run's bootstrap 95 % CI of the mean, i.e. the range a rerun of the same code is expected to land
 *     in. (With one seed the CI is a single point, so any change is reported.)</li>
 * <li><b>clean accuracy</b>: |new {@code clean_acc_mean} − previous| must be at most
 *     max(1 point, 2 × previous {@code clean_acc_std}); an undefined std (one seed) counts as 0.</li>
 * <li>A statistic that was defined and is now empty, or the reverse (e.g. every seed of a row failed),
 *     is reported as moved.</li>
 * <li>Rows only on the committed board are {@code missing_row} (a regression); rows only on the new
 *     board are {@code new_row} (reported, not a regression: a defense or attack was added).</li>
 * </ul>
 * No other column is compared: in particular {@code infer_img_per_s} (joined from the JMH throughput
 * table, which a nightly output directory may lack and which is noisy on a shared machine) never makes
 * a row regress.
 */
public final class BoardComparison {
    static final BigDecimal ONE_POINT = BigDecimal.ONE;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private BoardComparison() {
    }

    /** Every change of {@code current} against {@code previous}, in row order (flips before accuracy). */
    public static List<Regression> compare(String grid, BoardTable previous, BoardTable current) {
        TreeSet<RowKey> keys = new TreeSet<>(previous.rows().keySet());
        keys.addAll(current.rows().keySet());
        List<Regression> out = new ArrayList<>();
        for (RowKey key : keys) {
            Map<String, String> before = previous.rows().get(key);
            Map<String, String> now = current.rows().get(key);
            if (before == null) {
                out.add(new Regression(grid, key, Regression.Kind.NEW_ROW, "", "", "", ""));
            } else if (now == null) {
                out.add(new Regression(grid, key, Regression.Kind.MISSING_ROW, "", "", "", ""));
            } else {
                flips(grid, key, before, now, previous.origin(), current.origin()).ifPresent(out::add);
                cleanAccuracy(grid, key, before, now, previous.origin(), current.origin()).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Regression> flips(String grid, RowKey key, Map<String, String> before,
            Map<String, String> now, String beforeOrigin, String nowOrigin) {
        String column = "flips_to_random_mean";
        Optional<BigDecimal> was = number(before, column, beforeOrigin, key);
        Optional<BigDecimal> is = number(now, column, nowOrigin, key);
        if (was.isEmpty() && is.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal low = number(before, "flips_to_random_ci_low", beforeOrigin, key).orElse(was.orElse(null));
        BigDecimal high = number(before, "flips_to_random_ci_high", beforeOrigin, key).orElse(was.orElse(null));
        String allowed = low == null ? "" : "[" + low.toPlainString() + ", " + high.toPlainString() + "]";
        boolean inside = was.isPresent() && is.isPresent() && is.get().compareTo(low) >= 0 && is.get().compareTo(high) <= 0;
        return inside ? Optional.empty()
                : Optional.of(new Regression(grid, key, Regression.Kind.FLIPS_OUTSIDE_CI, column, text(was), text(is), allowed));
    }

    private static Optional<Regression> cleanAccuracy(String grid, RowKey key, Map<String, String> before,
            Map<String, String> now, String beforeOrigin, String nowOrigin) {
        String column = "clean_acc_mean";
        Optional<BigDecimal> was = number(before, column, beforeOrigin, key);
        Optional<BigDecimal> is = number(now, column, nowOrigin, key);
        if (was.isEmpty() && is.isEmpty()) {
            return Optional.empty();
        }
        String allowed = "";
        boolean inside = false;
        if (was.isPresent()) {
            BigDecimal std = number(before, "clean_acc_std", beforeOrigin, key).orElse(BigDecimal.ZERO);
            BigDecimal tolerance = ONE_POINT.max(TWO.multiply(std));
            allowed = "[" + was.get().subtract(tolerance).toPlainString() + ", " + was.get().add(tolerance).toPlainString() + "]";
            inside = is.isPresent() && is.get().subtract(was.get()).abs().compareTo(tolerance) <= 0;
        }
        return inside ? Optional.empty()
                : Optional.of(new Regression(grid, key, Regression.Kind.CLEAN_ACC_MOVED, column, text(was), text(is), allowed));
    }

    private static Optional<BigDecimal> number(Map<String, String> row, String column, String origin, RowKey key) {
        String field = row.get(column);
        if (field == null) {
            throw new BenchException("board " + origin + ": no '" + column + "' column; regenerate it with 'bfabench run'");
        }
        if (field.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(field.strip()));
        } catch (NumberFormatException e) {
            throw new BenchException("board " + origin + ", row " + key + ": " + column + " '" + field
                    + "' is not a number; regenerate the board with 'bfabench run'", e);
        }
    }

    private static String text(Optional<BigDecimal> v) {
        return v.map(BigDecimal::toPlainString).orElse("");
    }
}
