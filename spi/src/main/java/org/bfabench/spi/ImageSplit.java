package org.bfabench.spi;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One split (train or test) of an image-classification dataset, immutable.
 *
 * <p>Pixels are already normalised by the dataset provider (documented per dataset). The split never
 * hands out its arrays: {@link #batch(int[])} and {@link #all()} copy, {@link #pixels()} is a read-only
 * view. That is what lets many cells and untrusted plugins share one loaded dataset safely.
 */
public final class ImageSplit {
    private final Shape shape;
    private final float[] pixels;
    private final int[] labels;

    /** Takes ownership of the arrays; callers must not keep references to them. */
    public ImageSplit(Shape shape, float[] pixels, int[] labels) {
        if (pixels.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException("split of " + labels.length + " images of " + shape
                    + " needs " + (long) labels.length * shape.size() + " floats, got " + pixels.length);
        }
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Copies image {@code i} into {@code dst} at {@code offset}. */
    public void copyImage(int i, float[] dst, int offset) {
        System.arraycopy(pixels, i * shape.size(), dst, offset, shape.size());
    }

    /** The images at {@code indices}, in that order, copied into a new batch. */
    public Batch batch(int[] indices) {
        int s = shape.size();
        float[] x = new float[indices.length * s];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * s, x, k * s, s);
            y[k] = labels[indices[k]];
        }
        return new Batch(shape, x, y);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Batch range(int from, int to) {
        int s = shape.size();
        return new Batch(shape, Arrays.copyOfRange(pixels, from * s, to * s), Arrays.copyOfRange(labels, from, to));
    }

    /** The whole split, copied. */
    public Batch all() {
        return range(0, size());
    }

    /** The first {@code n} images as a new split (n is clamped to the size). */
    public ImageSplit head(int n) {
        int m = Math.min(n, size());
        return new ImageSplit(shape, Arrays.copyOf(pixels, m * shape.size()), Arrays.copyOf(labels, m));
    }

    /** Read-only view of all pixels. */
    public FloatBuffer pixels() {
        return FloatBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** Copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }
}
