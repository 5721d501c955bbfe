package org.bfabench.nn.layer;

import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Tensor;

/**
 * A channels-last convolution with the layers that only consume its output run as one pass over it: the
 * batch norm, and the residual add (and the activation either of them absorbed) are applied to each output
 * row as it is copied off-heap and scaled, while the row is in cache, instead of as further sweeps over
 * full-size arrays (ALGORITHMS.md §4's tails re-run these blocks thousands of times per cell). Per element
 * the float operations are the layers' own, in the same order, so every value equals the layer-by-layer
 * channels-last path bit for bit; the intermediate values are never materialized, so a caller fuses only
 * what nothing else reads.
 */
public final class FusedConvolutions {
    private FusedConvolutions() {
    }

    /** {@code conv}, then {@code bn}, then {@code activation} (or none). */
    public static NhwcTensor convBatchNorm(Conv2d conv, BatchNorm bn, Layer activation, Object in, ConvBuffers buffers) {
        float[][] coefficients = coefficients(conv, bn, activation, in);
        return ChannelsLastLayers.conv(conv, in, buffers,
                (r, from, length) -> ChannelsLastLayers.batchNormRun(r, r, from, length, coefficients, activation));
    }

    /**
     * {@code conv}, then {@code bn}, then the residual add of {@code other} (a value of the conv's output
     * shape, either layout), then {@code activation} (or none): a ResNet block's second half in one pass.
     */
    public static NhwcTensor convBatchNormAdd(Conv2d conv, BatchNorm bn, Object other, Layer activation, Object in,
            ConvBuffers buffers) {
        float[][] coefficients = coefficients(conv, bn, null, in);
        if (activation != null && !ChannelsLastLayers.fuses(new Add(), activation)) {
            throw new IllegalArgumentException("cannot fuse " + activation.getClass().getSimpleName() + " into an add");
        }
        NhwcTensor shortcut = NhwcTensor.of(other, buffers == null ? null : buffers.heap());
        int[] out = outputShape(conv, in);
        if (shortcut.n() != out[0] || shortcut.c() != conv.outChannels() || shortcut.h() != out[1]
                || shortcut.w() != out[2]) {
            throw new IllegalArgumentException("residual add of " + conv.name() + "'s output and " + shortcut);
        }
        float[] s = shortcut.data();
        float[] ra = coefficients[0];
        float[] rc = coefficients[1];
        NhwcTensor result = ChannelsLastLayers.conv(conv, in, buffers, (r, from, length) -> {
            if (activation instanceof Relu) {
                for (int j = 0; j < length; j++) {
                    r[from + j] = Relu.of((r[from + j] * ra[j] + rc[j]) + s[from + j]);
                }
            } else if (activation instanceof Hardtanh) {
                for (int j = 0; j < length; j++) {
                    r[from + j] = Hardtanh.of((r[from + j] * ra[j] + rc[j]) + s[from + j]);
                }
            } else {
                for (int j = 0; j < length; j++) {
                    r[from + j] = (r[from + j] * ra[j] + rc[j]) + s[from + j];
                }
            }
        });
        if (shortcut != other && buffers != null) {
            buffers.heap().give(s); // the transposed copy of an NCHW shortcut was this call's own
        }
        return result;
    }

    /** The batch norm's coefficients repeated over one output row of {@code conv} on {@code in}. */
    private static float[][] coefficients(Conv2d conv, BatchNorm bn, Layer activation, Object in) {
        if (activation != null && !ChannelsLastLayers.fuses(bn, activation)) {
            throw new IllegalArgumentException("cannot fuse " + activation.getClass().getSimpleName() + " into a batch norm");
        }
        ChannelsLastLayers.check("batch norm", conv.outChannels(), bn.channels());
        return ChannelsLastLayers.repeatedCoefficients(bn, outputShape(conv, in)[2] * bn.channels());
    }

    /** Batch size, height and width of {@code conv}'s output on {@code in} (either layout). */
    private static int[] outputShape(Conv2d conv, Object in) {
        int n = in instanceof NhwcTensor x ? x.n() : ((Tensor) in).dim(0);
        int h = in instanceof NhwcTensor x ? x.h() : ((Tensor) in).dim(2);
        int w = in instanceof NhwcTensor x ? x.w() : ((Tensor) in).dim(3);
        return new int[] {n, Nd4jKernels.outSize(h, conv.kernel(), conv.stride(), conv.padding()),
                Nd4jKernels.outSize(w, conv.kernel(), conv.stride(), conv.padding())};
    }
}
