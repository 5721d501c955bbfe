package org.bfabench.defenses.rabnn;

import java.util.Set;
import org.bfabench.nn.train.LearningRateSchedule;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;

/**
 * Stage-1 knobs of Early-Growth. Defaults fit a 2-core CPU budget (search on a subset for a few
 * epochs; growth saturates early). The search trains with the recipe of ALGORITHMS.md §3 step 5 (SGD,
 * momentum 0.9, lr 0.01, weight decay 1e-4 on weights and none on masks), not with the stage-2 recipe:
 * the masks' movement per epoch, and so the grown widths, depend on it. Paper scale:
 * {@code growth_factor: 3, search_epochs: 800, search_train_limit: 0, density_tolerance: 0}.
 *
 * @param factor           width factor of the candidate (authors: 3 for VGG-small and ResNet-20)
 * @param epochs           maximum search epochs
 * @param trainLimit       search on the first N training images (0 = all)
 * @param seed             seed of the search; fixed by default so that training seeds share one growth
 * @param densityTolerance stop once the overall density moves less than this per epoch (0 = never)
 * @param maskL1           weight of the optional L1 penalty on σ(s) (authors: 0)
 * @param tau              Gumbel-Sigmoid temperature (authors: 1)
 * @param recipe           optimiser of the search (weights and masks together)
 */
record GrowthSettings(double factor, int epochs, int trainLimit, long seed, double densityTolerance, double maskL1,
        double tau, SearchRecipe recipe) {

    /** The search's optimiser; the learning-rate schedule spans the search epochs. */
    record SearchRecipe(String optimizer, double lr, double momentum, double weightDecay, double warmupEpochs,
            LearningRateSchedule.Kind schedule) {
    }

    static final Set<String> KEYS = Set.of("growth_factor", "search_epochs", "search_train_limit", "search_seed",
            "density_tolerance", "mask_l1", "tau", "search_optimizer", "search_lr", "search_momentum",
            "search_weight_decay", "search_warmup_epochs", "search_schedule");

    static GrowthSettings from(Options o) {
        SearchRecipe recipe = new SearchRecipe(o.getString("search_optimizer", "sgd"), o.getDouble("search_lr", 0.01),
                o.getDouble("search_momentum", 0.9), o.getDouble("search_weight_decay", 1e-4),
                o.getDouble("search_warmup_epochs", 0.0), schedule(o.getString("search_schedule", "cosine")));
        GrowthSettings s = new GrowthSettings(o.getDouble("growth_factor", 3.0), o.getInt("search_epochs", 6),
                o.getInt("search_train_limit", 10_000), o.getLong("search_seed", 0L),
                o.getDouble("density_tolerance", 0.005), o.getDouble("mask_l1", 0.0), o.getDouble("tau", 1.0), recipe);
        if (s.factor < 1 || s.factor > 8) {
            throw new BenchException("ra-bnn: growth_factor must be in 1..8, got " + s.factor);
        }
        if (s.epochs < 1 || s.trainLimit < 0 || s.densityTolerance < 0 || s.maskL1 < 0 || s.tau <= 0) {
            throw new BenchException("ra-bnn: search_epochs ≥ 1, search_train_limit ≥ 0, density_tolerance ≥ 0, "
                    + "mask_l1 ≥ 0 and tau > 0 are required, got " + s);
        }
        if (!recipe.optimizer().equals("sgd") && !recipe.optimizer().equals("adam")) {
            throw new BenchException("ra-bnn: search_optimizer must be sgd or adam, got '" + recipe.optimizer() + "'");
        }
        if (!(recipe.lr() > 0) || recipe.momentum() < 0 || recipe.momentum() >= 1 || recipe.weightDecay() < 0
                || recipe.warmupEpochs() < 0) {
            throw new BenchException("ra-bnn: search_lr > 0, search_momentum in [0, 1), search_weight_decay ≥ 0 and "
                    + "search_warmup_epochs ≥ 0 are required, got " + recipe);
        }
        return s;
    }

    /** The search's training configuration: this recipe with the stage-2 batch size and augmentation. */
    TrainingConfig searchConfig(TrainingConfig stage2) {
        return new TrainingConfig(epochs, stage2.batchSize(), recipe.optimizer(), recipe.lr(), recipe.momentum(), false,
                recipe.weightDecay(), recipe.warmupEpochs(), recipe.schedule(), stage2.augmentation());
    }

    private static LearningRateSchedule.Kind schedule(String name) {
        return switch (name) {
            case "cosine" -> LearningRateSchedule.Kind.COSINE;
            case "step" -> LearningRateSchedule.Kind.STEP;
            case "constant" -> LearningRateSchedule.Kind.CONSTANT;
            default -> throw new BenchException("ra-bnn: unknown search_schedule '" + name
                    + "'; use cosine, step or constant");
        };
    }
}
