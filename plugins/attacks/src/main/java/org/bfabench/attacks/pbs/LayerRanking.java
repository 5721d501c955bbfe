package org.bfabench.attacks.pbs;

import java.util.List;
import org.bfabench.spi.AttackSurface;
import org.bfabench.spi.AttackableLayer;
import org.bfabench.spi.BitFlip;

/**
 * The in-layer search of PBS (Rakin et al., ICCV 2019, §4.2; ALGORITHMS.md §4) for one layer: after
 * {@link #prepare} with the layer's code gradients, {@link #top} yields the n eligible bits of largest
 * |∂L/∂b| in the layer.
 *
 * <p>Candidates: for an N-bit layer the {@code k_top} weights of largest |g| (all weights when
 * {@code k_top} ≥ the layer size); for a binary layer every weight, because the top-k by |g| alone can
 * all be ineligible there and the search would stall. Work per iteration is one pass over the gradient
 * with bounded heaps (no sort of the layer). Layers searched over all weights keep a mirror of their
 * codes, read from the surface once and updated on every commit, so that pass does not call
 * {@link AttackSurface#code} per weight.
 */
final class LayerRanking {
    private static final int INITIAL_CAPACITY = 8;

    private final AttackSurface surface;
    private final int layer;
    private final int bits;
    private final int weightCount;
    private final int kTop;
    private final boolean allWeights;
    private final short[] mirror;
    private final TopK weights = new TopK();
    private final TopK pairs = new TopK();
    private long[] ranked = new long[0];
    private long[] chosen = new long[0];
    private int rankedSize;
    private int eligibleTotal;
    private float[] gradient;

    LayerRanking(AttackSurface surface, int layer, int kTop) {
        AttackableLayer l = surface.layers().get(layer);
        this.surface = surface;
        this.layer = layer;
        this.bits = l.bits();
        this.weightCount = l.weightCount();
        this.kTop = kTop;
        this.allWeights = bits == 1 || kTop >= weightCount;
        if (allWeights) {
            mirror = new short[weightCount];
            for (int i = 0; i < weightCount; i++) {
                mirror[i] = (short) surface.code(layer, i);
            }
        } else {
            mirror = null;
        }
    }

    /** Ranks this layer's candidates under gradient {@code g} (∂L/∂code per weight) of the current iteration. */
    void prepare(float[] g) {
        if (g.length != weightCount) {
            throw new IllegalStateException("gradient of layer " + layer + " has " + g.length + " entries for "
                    + weightCount + " weights");
        }
        gradient = g;
        if (allWeights) {
            rankAll(INITIAL_CAPACITY);
        } else {
            rankTopWeights();
        }
    }

    /** Eligible bits among this iteration's candidates. */
    int eligible() {
        return eligibleTotal;
    }

    /** Appends the {@code n} (≤ {@link #eligible()}) best eligible bits, best first, to {@code out}. */
    void top(int n, List<BitFlip> out) {
        if (n > rankedSize) {
            if (!allWeights) {
                throw new IllegalArgumentException("asked for " + n + " bits of layer " + layer + ", only "
                        + rankedSize + " are eligible");
            }
            rankAll(Math.max(n, 2 * rankedSize));
        }
        for (int k = 0; k < n; k++) {
            long key = ranked[k];
            out.add(new BitFlip(layer, (int) (key >>> 4), (int) (key & 15)));
        }
    }

    void committed(int index, int codeAfter) {
        if (mirror != null) {
            mirror[index] = (short) codeAfter;
        }
    }

    private void rankTopWeights() {
        weights.reset(kTop);
        for (int i = 0; i < weightCount; i++) {
            float a = Math.abs(gradient[i]);
            if (a > 0 && weights.admits(a, i)) {
                weights.offer(a, i);
            }
        }
        if (chosen.length < weights.size()) {
            chosen = new long[weights.size()];
        }
        int m = weights.drainBestFirst(chosen);
        pairs.reset(m * bits);
        eligibleTotal = 0;
        for (int k = 0; k < m; k++) {
            int i = (int) chosen[k];
            eligibleTotal += offerBits(i, surface.code(layer, i), gradient[i]);
        }
        drain();
    }

    private void rankAll(int capacity) {
        pairs.reset(Math.min(capacity, Math.max(1, weightCount * bits)));
        eligibleTotal = 0;
        for (int i = 0; i < weightCount; i++) {
            float g = gradient[i];
            if (!(Math.abs(g) > 0)) {
                continue;
            }
            int code = mirror[i];
            if (bits == 1) {
                if (BitGradients.binaryEligible(code, g)) {
                    eligibleTotal++;
                    float a = Math.abs(g);
                    if (pairs.admits(a, (long) i << 4)) {
                        pairs.offer(a, (long) i << 4);
                    }
                }
            } else {
                eligibleTotal += offerBits(i, code, g);
            }
        }
        drain();
    }

    /** Offers the eligible bits of one N-bit weight, highest |bw| first; returns how many are eligible. */
    private int offerBits(int index, int code, float g) {
        float a = Math.abs(g);
        for (int bit = bits - 1; bit >= 0; bit--) {
            if (!BitGradients.eligible(code, bit, bits, g)) {
                continue;
            }
            float score = a * Math.abs(BitGradients.bitWeight(bit, bits));
            long key = ((long) index << 4) | bit;
            if (!pairs.admits(score, key)) {
                break;
            }
            pairs.offer(score, key);
        }
        return BitGradients.eligibleCount(code, bits, g);
    }

    private void drain() {
        if (ranked.length < pairs.size()) {
            ranked = new long[Math.max(pairs.size(), 2 * ranked.length)];
        }
        rankedSize = pairs.drainBestFirst(ranked);
    }
}
