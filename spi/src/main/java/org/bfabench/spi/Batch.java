package org.bfabench.spi;

import java.util.Arrays;

/**
 * A batch of images with labels, owned by whoever holds it: the arrays are the caller's copies, so
 * mutating them cannot corrupt a dataset shared with other cells.
 *
 * @param shape  shape of one image
 * @param images {@code size() * shape.size()} floats, image-major, channels-first (NCHW)
 * @param labels one class index per image
 */
public record Batch(Shape shape, float[] images, int[] labels) {
    public Batch {
        if (images.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException("batch of " + labels.length + " images of " + shape
                    + " needs " + (long) labels.length * shape.size() + " floats, got " + images.length);
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** The same images with other labels (e.g. the clean model's predictions). */
    public Batch withLabels(int[] newLabels) {
        if (newLabels.length != labels.length) {
            throw new IllegalArgumentException("label count " + newLabels.length + " != " + labels.length);
        }
        return new Batch(shape, images, newLabels.clone());
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Batch slice(int from, int to) {
        int s = shape.size();
        return new Batch(shape, Arrays.copyOfRange(images, from * s, to * s), Arrays.copyOfRange(labels, from, to));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && shape.equals(b.shape) && Arrays.equals(images, b.images)
                && Arrays.equals(labels, b.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(images) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Batch[" + size() + " x " + shape + "]";
    }
}
