package org.bfabench.datasets;

import java.util.Arrays;

/**
 * Per-channel standardisation of 8-bit pixels: {@code x = (p / 255 − mean[c]) / std[c]}.
 *
 * <p>The constants are the mean and standard deviation of the training split's pixels after dividing
 * by 255 (documented per dataset in the providers); they are fixed constants, not recomputed on load,
 * so a {@code train_limit} subset is normalised exactly like the full set.
 */
public record Normalization(float[] mean, float[] std) {
    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("need one mean and one std per channel");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /**
     * Normalises {@code count} images stored channel-major ({@code channels × plane} bytes each) starting
     * at {@code offset} in {@code src}, with {@code stride} bytes between the starts of two images.
     */
    public float[] apply(byte[] src, int offset, int stride, int count, int plane) {
        int c = channels();
        float[][] table = new float[c][256];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < 256; p++) {
                table[ch][p] = (p / 255f - mean[ch]) / std[ch];
            }
        }
        float[] out = new float[Math.multiplyExact(count, c * plane)];
        int o = 0;
        for (int i = 0; i < count; i++) {
            int base = offset + i * stride;
            for (int ch = 0; ch < c; ch++) {
                float[] t = table[ch];
                int s = base + ch * plane;
                for (int k = 0; k < plane; k++) {
                    out[o++] = t[src[s + k] & 0xff];
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
