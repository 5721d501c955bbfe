package org.bfabench.nn.train;

import java.util.Random;

/**
 * Random crop with zero padding and random horizontal flip (the CIFAR recipe of He et al. 2016, §4.2),
 * applied in place to an NCHW batch from a seeded RNG.
 */
public record Augmentation(int padding, boolean flip) {
    public static final Augmentation NONE = new Augmentation(0, false);

    public boolean enabled() {
        return padding > 0 || flip;
    }

    public void apply(float[] images, int n, int c, int h, int w, Random rng) {
        float[] buf = new float[c * h * w];
        for (int b = 0; b < n; b++) {
            int dy = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            int dx = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
            boolean mirror = flip && rng.nextBoolean();
            int base = b * c * h * w;
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int si = i + dy;
                        int sj = (mirror ? w - 1 - j : j) + dx;
                        buf[(k * h + i) * w + j] = si >= 0 && si < h && sj >= 0 && sj < w
                                ? images[base + (k * h + si) * w + sj] : 0f;
                    }
                }
            }
            System.arraycopy(buf, 0, images, base, buf.length);
        }
    }
}
