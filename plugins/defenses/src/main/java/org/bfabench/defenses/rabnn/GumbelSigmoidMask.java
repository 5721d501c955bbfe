package org.bfabench.defenses.rabnn;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Channel-wise binary mask of RA-BNN's Early-Growth, stage 1 (Rakin et al. 2021, §4.2 "Early Growth";
 * ALGORITHMS.md §3, steps 2–4).
 *
 * <p>Each output channel c of a widened binary convolution has a real logit s_c and an inverse
 * temperature β_c. Every training forward pass draws a hard Gumbel-Sigmoid sample
 * m̃_c = σ((β_c·s_c + g1 − g2)/τ), g1, g2 ~ Gumbel(0, 1), m_c = 1[m̃_c > 0.5]; the forward pass uses
 * m_c and the backward pass the gradient of m̃_c (straight-through). After every search epoch β_c of
 * each active channel is multiplied by 100^(1/80), so active channels harden toward a fixed 1.
 *
 * <p>Mutable by design: it is the optimiser state of one layer's growth, owned by that layer.
 */
public final class GumbelSigmoidMask {
    /** ×100 over 80 epochs, the authors' schedule. */
    public static final double BETA_GROWTH_PER_EPOCH = Math.pow(100.0, 1.0 / 80.0);
    private static final double[] NEGATIVE_INIT = {-1.0, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2};

    private final float[] logits;
    private final float[] betas;
    private final float[] logitGrad;
    private final float[] soft;
    private final float[] hard;
    private final double tau;

    /**
     * @param channels     channels of the widened layer
     * @param baseChannels channels of the base network: their logits start at 1.0 (on)
     * @param tau          Gumbel-Sigmoid temperature (the authors use 1)
     * @param init         draws the other logits uniformly from {−1.0, −0.9, …, −0.2}
     */
    public GumbelSigmoidMask(int channels, int baseChannels, double tau, RandomGenerator init) {
        if (baseChannels < 0 || baseChannels > channels || tau <= 0) {
            throw new IllegalArgumentException("channels=" + channels + " base=" + baseChannels + " tau=" + tau);
        }
        this.logits = new float[channels];
        this.betas = new float[channels];
        this.logitGrad = new float[channels];
        this.soft = new float[channels];
        this.hard = new float[channels];
        this.tau = tau;
        Arrays.fill(betas, 1f);
        for (int c = 0; c < channels; c++) {
            logits[c] = c < baseChannels ? 1f : (float) NEGATIVE_INIT[init.nextInt(NEGATIVE_INIT.length)];
        }
        for (int c = 0; c < channels; c++) {
            hard[c] = deterministic(c);
        }
    }

    public int channels() {
        return logits.length;
    }

    /**
     * Draws a fresh hard mask for one training forward pass and remembers the soft values for
     * {@link #backward}. The returned array is owned by this object and valid until the next call.
     */
    public float[] sample(RandomGenerator rng) {
        for (int c = 0; c < logits.length; c++) {
            double z = (betas[c] * (double) logits[c] + gumbel(rng) - gumbel(rng)) / tau;
            double s = sigmoid(z);
            soft[c] = (float) s;
            hard[c] = s > 0.5 ? 1f : 0f;
        }
        return hard;
    }

    /** The hard mask of the last {@link #sample} (the noise-free mask before the first sample). */
    public float[] current() {
        return hard;
    }

    /** The noise-free mask 1[β·s > 0], used at inference and for the density of the search. */
    public float[] deterministicMask() {
        float[] m = new float[logits.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = deterministic(c);
        }
        return m;
    }

    /**
     * Straight-through backward: given ∂L/∂m_c (the loss gradient w.r.t. the mask value used in the
     * forward pass), accumulates ∂L/∂s_c = ∂L/∂m_c · ∂m̃_c/∂s_c = ∂L/∂m_c · m̃(1−m̃)·β_c/τ.
     */
    public void backward(float[] gradWrtMask) {
        for (int c = 0; c < logits.length; c++) {
            double s = soft[c];
            logitGrad[c] += (float) (gradWrtMask[c] * s * (1 - s) * betas[c] / tau);
        }
    }

    /** Adds the gradient of λ·Σ σ(s_c) (the optional sparsity penalty; the authors use λ = 0). */
    public void addL1OnSigmoid(double lambda) {
        if (lambda == 0) {
            return;
        }
        for (int c = 0; c < logits.length; c++) {
            double s = sigmoid(logits[c]);
            logitGrad[c] += (float) (lambda * s * (1 - s));
        }
    }

    /** Accumulated ∂L/∂s (cleared by the optimiser through {@link #zeroGrad}). */
    public float[] logitGradient() {
        return logitGrad;
    }

    public void zeroGrad() {
        Arrays.fill(logitGrad, 0f);
    }

    /** Logits, updated in place by the optimiser (masks get no weight decay). */
    public float[] logits() {
        return logits;
    }

    public float[] betas() {
        return betas.clone();
    }

    /** End of a search epoch: β_c ← β_c·100^(1/80) for every channel whose (noise-free) mask is 1. */
    public void endEpoch() {
        for (int c = 0; c < logits.length; c++) {
            if (deterministic(c) == 1f) {
                betas[c] = (float) (betas[c] * BETA_GROWTH_PER_EPOCH);
            }
        }
    }

    /** Fraction of channels whose noise-free mask is 1. */
    public double density() {
        int on = 0;
        for (int c = 0; c < logits.length; c++) {
            on += (int) deterministic(c);
        }
        return on / (double) logits.length;
    }

    private float deterministic(int c) {
        return betas[c] * logits[c] > 0 ? 1f : 0f;
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Gumbel(0, 1) by inversion; u is kept away from 0 and 1 so the logs stay finite. */
    static double gumbel(RandomGenerator rng) {
        double u = Math.min(Math.max(rng.nextDouble(), 1e-10), 1 - 1e-10);
        return -Math.log(-Math.log(u));
    }
}
