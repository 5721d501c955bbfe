package org.bfabench.attacks.random;

import java.util.List;
import java.util.Set;
import org.bfabench.attacks.core.AttackRun;
import org.bfabench.attacks.core.BatchOptions;
import org.bfabench.attacks.core.Proposal;
import org.bfabench.spi.Attack;
import org.bfabench.spi.AttackContext;
import org.bfabench.spi.AttackTrace;
import org.bfabench.spi.Options;

/**
 * {@code random-flip}: the random bit-flip baseline of the BFA paper (Rakin et al., ICCV 2019, §5;
 * ALGORITHMS.md §4) — one random bit per iteration, same attack batch, evaluation and stopping as
 * {@code pbfa}. Each event's loss is the attack-batch loss measured after the flip. Options:
 * {@code sampling} ({@code per-layer} default | {@code all-bits}), {@code batch_size}, {@code labels}.
 */
public final class RandomFlip implements Attack {
    public static final String ID = "random-flip";
    public static final String SAMPLING = "sampling";

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
        return "Random bit flips (baseline of Rakin et al., ICCV 2019): per-layer or uniform over all bits";
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    @Override
    public AttackTrace run(AttackContext context) {
        Options options = context.options();
        BatchOptions.requireKnownKeys(ID, options, Set.of(SAMPLING));
        BatchOptions batch = BatchOptions.parse(ID, options);
        Sampling sampling = Sampling.parse(ID, options.getString(SAMPLING, "per-layer"));
        return new AttackRun(ID, batch).execute(context, (surface, attackBatch, random) -> {
            BitSampler sampler = new BitSampler(surface.layers(), sampling);
            return remaining -> sampler.hasBits()
                    ? new Proposal.Commit(List.of(sampler.next(random)), Double.NaN)
                    : AttackRun.noEligibleFlip("the model's surface stores no bits");
        });
    }
}
