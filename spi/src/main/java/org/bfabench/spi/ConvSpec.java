package org.bfabench.spi;

/**
 * A 2-D convolution as an architecture asks for it.
 *
 * @param outChannels base number of output channels
 * @param kernel      square kernel size
 * @param stride      stride in both directions
 * @param padding     zero padding on every side
 * @param widthGroup  convolutions whose outputs are added together (a ResNet stage) must keep equal
 *                    widths; a defense that changes widths (e.g. Early-Growth) changes a whole group at
 *                    once. Use the layer's own name when it is free-standing.
 */
public record ConvSpec(int outChannels, int kernel, int stride, int padding, String widthGroup) {
    public ConvSpec {
        if (outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("bad conv: out=" + outChannels + " k=" + kernel + " s=" + stride
                    + " p=" + padding);
        }
    }
}
