package org.bfabench.attacks.toy;

import java.util.Random;
import org.bfabench.spi.ImageSplit;
import org.bfabench.spi.Shape;

/** Synthetic but learnable data: 10 Gaussian blobs in 16 dimensions, balanced classes. */
public final class Blobs {
    public static final int DIM = 16;
    public static final int CLASSES = 10;

    private final double[][] means = new double[CLASSES][DIM];

    /** Class means drawn from N(0, separation²) with {@code seed}. */
    public Blobs(long seed, double separation) {
        Random r = new Random(seed);
        for (double[] m : means) {
            for (int i = 0; i < DIM; i++) {
                m[i] = separation * r.nextGaussian();
            }
        }
    }

    /** {@code n} images, class {@code k % 10} for image k, unit-variance noise around the class mean. */
    public ImageSplit sample(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * DIM];
        int[] y = new int[n];
        for (int k = 0; k < n; k++) {
            y[k] = k % CLASSES;
            for (int i = 0; i < DIM; i++) {
                x[k * DIM + i] = (float) (means[y[k]][i] + r.nextGaussian());
            }
        }
        return new ImageSplit(new Shape(1, 1, DIM), x, y);
    }
}
