package org.bfabench.nn.quant;

/**
 * Symmetric per-layer uniform quantizer of ALGORITHMS.md §1 (Rakin et al., ICCV 2019, §3.1; He et al.,
 * CVPR 2020): Δ = max|W| / (2^(N−1) − 1) for the N in use, q = round(clip(W/Δ, ±(2^(N−1) − 1))).
 * Unlike the reference code, Δ always uses the N in use (its switch left 127 levels for 4-bit).
 */
public record UniformQuantizer(int bits) {
    public UniformQuantizer {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("quantizer needs 2..16 bits, got " + bits);
        }
    }

    /** Largest code the quantizer produces, 2^(N−1) − 1. */
    public int levels() {
        return (1 << (bits - 1)) - 1;
    }

    /** Δ for {@code w}; an all-zero layer gets Δ = 1 so codes are 0 rather than NaN. */
    public float step(float[] w) {
        float max = 0f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        return max == 0f ? 1f : max / levels();
    }

    public int code(float w, float step) {
        float r = w / step;
        int l = levels();
        if (r > l) {
            r = l;
        } else if (r < -l) {
            r = -l;
        }
        return Math.round(r);
    }

    /** Codes of every weight as floats (exact integers). */
    public float[] codes(float[] w, float step) {
        float[] q = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = code(w[i], step);
        }
        return q;
    }
}
