package org.bfabench.spi;

/**
 * Shape of one input image, channels first (NCHW without the N).
 *
 * @param channels colour channels (1 for MNIST-like data, 3 for CIFAR)
 * @param height   rows
 * @param width    columns
 */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape must be positive: " + channels + "x" + height + "x" + width);
        }
    }

    /** Values per image. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
