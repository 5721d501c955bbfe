package org.bfabench.attacks.core;

import java.util.SplittableRandom;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.Batch;
import org.bfabench.spi.BatchEvaluator;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.ImageSplit;

/**
 * Draws the attack batch of PBS (Rakin et al., ICCV 2019, §4; ALGORITHMS.md §4): {@code size} distinct
 * images of the attack pool chosen by a seeded partial Fisher–Yates shuffle, drawn once per run and
 * reused by every iteration, labelled by the clean model's predictions unless {@code labels: true}.
 */
public final class AttackBatch {

    private AttackBatch() {
    }

    /**
     * @param surface the clean model, used only to predict labels (must not have been flipped yet)
     * @param random  consumed: {@code size} draws, the k-th uniform in {@code [k, pool size)}
     */
    public static Batch draw(String attackId, ImageSplit pool, BatchOptions options, SplittableRandom random,
            AttackSurface surface) {
        int poolSize = pool.size();
        if (options.size() > poolSize) {
            throw new BenchException("attack '" + attackId + "': option 'batch_size' is " + options.size()
                    + " but the attack pool has only " + poolSize + " images; lower batch_size");
        }
        int[] order = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            order[i] = i;
        }
        int[] chosen = new int[options.size()];
        for (int k = 0; k < chosen.length; k++) {
            int j = k + random.nextInt(poolSize - k);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
            chosen[k] = order[k];
        }
        Batch raw = pool.batch(chosen);
        if (options.labels() == LabelSource.TRUE) {
            return raw;
        }
        try (BatchEvaluator clean = surface.evaluator(raw)) {
            return raw.withLabels(clean.predictions());
        }
    }
}
