package org.bfabench.defenses.rabnn;

import java.util.Set;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;

/**
 * Stage-1 knobs of Early-Growth. Defaults fit a 2-core CPU budget (search on a subset for a few
 * epochs; growth saturates early). Paper scale: {@code growth_factor: 3, search_epochs: 800,
 * search_train_limit: 0, density_tolerance: 0} with the authors' SGD recipe.
 *
 * @param factor           width factor of the candidate (authors: 3 for VGG-small and ResNet-20)
 * @param epochs           maximum search epochs
 * @param trainLimit       search on the first N training images (0 = all)
 * @param seed             seed of the search; fixed by default so that training seeds share one growth
 * @param densityTolerance stop once the overall density moves less than this per epoch (0 = never)
 * @param maskL1           weight of the optional L1 penalty on σ(s) (authors: 0)
 * @param tau              Gumbel-Sigmoid temperature (authors: 1)
 */
record GrowthSettings(double factor, int epochs, int trainLimit, long seed, double densityTolerance, double maskL1,
        double tau) {

    static final Set<String> KEYS = Set.of("growth_factor", "search_epochs", "search_train_limit", "search_seed",
            "density_tolerance", "mask_l1", "tau");

    static GrowthSettings from(Options o) {
        GrowthSettings s = new GrowthSettings(o.getDouble("growth_factor", 3.0), o.getInt("search_epochs", 6),
                o.getInt("search_train_limit", 10_000), o.getLong("search_seed", 0L),
                o.getDouble("density_tolerance", 0.005), o.getDouble("mask_l1", 0.0), o.getDouble("tau", 1.0));
        if (s.factor < 1 || s.factor > 8) {
            throw new BenchException("ra-bnn: growth_factor must be in 1..8, got " + s.factor);
        }
        if (s.epochs < 1 || s.trainLimit < 0 || s.densityTolerance < 0 || s.maskL1 < 0 || s.tau <= 0) {
            throw new BenchException("ra-bnn: search_epochs ≥ 1, search_train_limit ≥ 0, density_tolerance ≥ 0, "
                    + "mask_l1 ≥ 0 and tau > 0 are required, got " + s);
        }
        return s;
    }
}
