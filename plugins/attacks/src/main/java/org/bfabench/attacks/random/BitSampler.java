package org.bfabench.attacks.random;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BitFlip;

/**
 * Draws the bits of the random-flip baseline (ALGORITHMS.md §4; the BFA paper's random attack, Rakin
 * et al., ICCV 2019 §5): per layer — layer, weight, bit each uniform (layers without weights are never
 * chosen) — or uniform over all stored bits. Draws are with replacement, so a bit can be flipped back.
 */
final class BitSampler {
    private final Sampling sampling;
    private final int[] layerIds;
    private final int[] weightCounts;
    private final int[] bits;
    private final long[] cumulativeBits;

    BitSampler(List<AttackableLayer> layers, Sampling sampling) {
        this.sampling = sampling;
        int[] ids = new int[layers.size()];
        int m = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).weightCount() > 0) {
                ids[m++] = l;
            }
        }
        layerIds = Arrays.copyOf(ids, m);
        weightCounts = new int[m];
        bits = new int[m];
        cumulativeBits = new long[m];
        long total = 0;
        for (int k = 0; k < m; k++) {
            AttackableLayer layer = layers.get(layerIds[k]);
            weightCounts[k] = layer.weightCount();
            bits[k] = layer.bits();
            total += layer.totalBits();
            cumulativeBits[k] = total;
        }
    }

    /** False when the surface stores no bit at all. */
    boolean hasBits() {
        return layerIds.length > 0;
    }

    BitFlip next(SplittableRandom random) {
        if (sampling == Sampling.PER_LAYER) {
            int k = random.nextInt(layerIds.length);
            return new BitFlip(layerIds[k], random.nextInt(weightCounts[k]), random.nextInt(bits[k]));
        }
        long u = random.nextLong(cumulativeBits[cumulativeBits.length - 1]);
        int k = Arrays.binarySearch(cumulativeBits, u + 1);
        if (k < 0) {
            k = -k - 1;
        }
        long offset = u - (k == 0 ? 0 : cumulativeBits[k - 1]);
        return new BitFlip(layerIds[k], (int) (offset / bits[k]), (int) (offset % bits[k]));
    }
}
