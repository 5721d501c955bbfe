package org.bfabench.defenses.common;

import java.util.Set;
import org.bfabench.nn.train.Augmentation;
import org.bfabench.nn.train.LearningRateSchedule;
import org.bfabench.nn.train.TrainingConfig;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;
import org.bfabench.spi.Shape;
import org.bfabench.spi.TrainingBudget;

/**
 * Training options every defense in this module understands, with per-defense defaults.
 *
 * <p>Keys: {@code optimizer} (sgd | adam), {@code lr}, {@code momentum}, {@code nesterov},
 * {@code weight_decay}, {@code warmup_epochs}, {@code schedule} (cosine | step | constant),
 * {@code augment} (random crop with 4-pixel padding + horizontal flip; default on for 3-channel inputs of
 * at least 32×32, off otherwise, e.g. for 28×28 Fashion-MNIST).
 */
public record TrainingOptions(String optimizer, double lr, double momentum, boolean nesterov, double weightDecay,
        double warmupEpochs, String schedule) {

    public static final Set<String> KEYS = Set.of("optimizer", "lr", "momentum", "nesterov", "weight_decay",
            "warmup_epochs", "schedule", "augment");

    /** Rejects keys this defense does not know (a typo in a grid must not silently train with defaults). */
    public static void requireKnown(String defense, Options options, Set<String> extra) {
        for (String k : options.keys()) {
            if (!KEYS.contains(k) && !extra.contains(k)) {
                java.util.TreeSet<String> known = new java.util.TreeSet<>(KEYS);
                known.addAll(extra);
                throw new BenchException("defense " + defense + ": unknown option '" + k + "'; known options are "
                        + known);
            }
        }
    }

    public TrainingConfig resolve(Options o, TrainingBudget budget, Shape input) {
        String opt = o.getString("optimizer", optimizer);
        String sched = o.getString("schedule", schedule);
        LearningRateSchedule.Kind kind = switch (sched) {
            case "cosine" -> LearningRateSchedule.Kind.COSINE;
            case "step" -> LearningRateSchedule.Kind.STEP;
            case "constant" -> LearningRateSchedule.Kind.CONSTANT;
            default -> throw new BenchException("unknown schedule '" + sched + "'; use cosine, step or constant");
        };
        boolean cifarShaped = input.channels() == 3 && input.height() >= 32 && input.width() >= 32;
        boolean augment = o.getBoolean("augment", cifarShaped);
        return new TrainingConfig(budget.epochs(), budget.batchSize(), opt, o.getDouble("lr", lr),
                o.getDouble("momentum", momentum), o.getBoolean("nesterov", nesterov),
                o.getDouble("weight_decay", weightDecay), o.getDouble("warmup_epochs", warmupEpochs), kind,
                augment ? new Augmentation(4, true) : Augmentation.NONE);
    }
}
