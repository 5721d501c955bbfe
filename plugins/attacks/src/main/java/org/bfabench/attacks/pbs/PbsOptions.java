package org.bfabench.attacks.pbs;

import java.util.Locale;
import java.util.Set;
import org.bfabench.attacks.core.BatchOptions;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;

/**
 * Options of {@code pbfa}.
 *
 * @param batch the attack batch ({@code batch_size}, {@code labels})
 * @param kTop  option {@code k_top}: weights of largest |g| searched per N-bit layer (default 10, as in
 *              ALGORITHMS.md §4 and the BFA class's constructor); {@code all} is {@link Integer#MAX_VALUE}.
 *              Binary layers always search every weight. Note that the reference's final {@code main.py}
 *              (github.com/elliothe/BFA, commit 0f80df4) passes {@code --k_top} default {@code None}, i.e.
 *              every weight, and {@code BFA_CIFAR.sh} leaves it unset: that is the setting behind the
 *              CVPR 2020 numbers. With 10, on an MLP the same few classifier weights keep the largest |g|
 *              after their sign bits flip, so the search spends flips on their lower bits and can run out
 *              of eligible bits (measured in {@code RealNetworkPbsTest}).
 */
public record PbsOptions(BatchOptions batch, int kTop) {
    public static final String K_TOP = "k_top";
    public static final int DEFAULT_K_TOP = 10;

    static PbsOptions parse(String attackId, Options options) {
        BatchOptions.requireKnownKeys(attackId, options, Set.of(K_TOP));
        BatchOptions batch = BatchOptions.parse(attackId, options);
        int kTop = DEFAULT_K_TOP;
        if (options.has(K_TOP)) {
            String raw = options.getString(K_TOP, "").trim();
            if (raw.toLowerCase(Locale.ROOT).equals("all")) {
                kTop = Integer.MAX_VALUE;
            } else {
                try {
                    kTop = options.getInt(K_TOP, DEFAULT_K_TOP);
                } catch (BenchException e) {
                    throw new BenchException("attack '" + attackId + "': option 'k_top' must be a positive integer or"
                            + " 'all', got '" + raw + "'");
                }
                if (kTop < 1) {
                    throw new BenchException("attack '" + attackId + "': option 'k_top' must be a positive integer or"
                            + " 'all', got " + kTop);
                }
            }
        }
        return new PbsOptions(batch, kTop);
    }
}
