package org.bfabench.attacks.pbs;

import org.bfabench.attacks.core.AttackRun;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.BenchException;

/**
 * {@code pbfa}: the untargeted bit-flip attack by Progressive Bit Search (Rakin, He, Fan, "Bit-Flip
 * Attack: Crushing Neural Network with Progressive Bit Search", ICCV 2019, §4; ALGORITHMS.md §4).
 *
 * <p>Each iteration takes the gradient of the cross-entropy of a fixed attack batch (labelled by the
 * clean model's predictions) with respect to every stored code, ranks the bits whose flip raises that
 * loss to first order within each layer, and commits the layer's best n bits that raise the measured
 * loss most ({@link CrossLayerSearch}). Options: {@code batch_size} (128), {@code labels}
 * ({@code predicted}|{@code true}), {@code k_top} (10 or {@code all}).
 */
public final class ProgressiveBitSearch implements Attack {
    public static final String ID = "pbfa";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Progressive Bit Search bit-flip attack (Rakin et al., ICCV 2019), untargeted";
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public AttackTrace run(AttackContext context) {
        PbsOptions options = PbsOptions.parse(ID, context.options());
        if (!context.surface().hasGradients()) {
            throw new BenchException("attack '" + ID + "' needs gradients but this model's surface has none;"
                    + " use random-flip for it");
        }
        return new AttackRun(ID, options.batch()).execute(context,
                (surface, attackBatch, random) -> new CrossLayerSearch(surface, attackBatch, options.kTop()));
    }
}
