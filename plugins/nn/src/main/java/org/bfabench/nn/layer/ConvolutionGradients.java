package org.bfabench.nn.layer;

import java.nio.FloatBuffer;
import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight gradient of a convolution that reads the network's input, by one forward convolution:
 * gw[o,c,kh,kw] = Σ go[n,o,i,j]·x[n,c,i+kh−p,j+kw−p] (stride 1) is a convolution of x with the batch as its
 * channels (input C×H×W×N channels-last) by go as an O×N×OH×OW filter. conv2d_bp always
 * computes the input gradient too, which nothing reads for the first layer (stride 1 only: oneDNN has no
 * primitive for some of the dilated convolutions a stride-2 layer would need). On resnet20's 3-channel stem at
 * batch 128, medians in one process with a grid run competing: conv2d_bp ~39 ms, this ~11 ms (conv2d_bp
 * ~25 ms quiet; 2-core machine, OMP_WAIT_POLICY=passive).
 *
 * <p>For the other layers conv2d_bp is the faster kernel once idle OpenMP threads sleep: on resnet20's
 * stride-1 3×3 layers it took 11 / 5.5 / 3.9 ms per stage against 18 / 10 / 7.7 ms for this convolution plus
 * an input gradient by a second one (rotated weights), and stayed ahead with one and two competing
 * processes. (Measured with spinning OpenMP threads, as a previous version was, the order was reversed.)
 * Equal to conv2d_bp's weight gradient to float rounding (sums in another order).
 */
final class ConvolutionGradients {
    private ConvolutionGradients() {
    }

    /**
     * The OIHW weight gradient of a stride-1 convolution of {@code x} whose output was multiplied by {@code scale}
     * (one per output channel or a single one), given the gradient {@code gradOut} of that output.
     */
    static float[] weights(Tensor x, int outC, int k, int pad, Tensor gradOut, float[] scale) {
        return weightGradient(x.data(), x.dim(0), x.dim(1), x.dim(2), x.dim(3), scaled(gradOut, scale), outC,
                gradOut.dim(2), gradOut.dim(3), k, pad);
    }

    /** {@code t} with channel c multiplied by {@code scale[c]} (or by the single scale), as the conv2d_bp path scales it. */
    private static float[] scaled(Tensor t, float[] scale) {
        float[] src = t.data();
        if (scale.length == 1 && scale[0] == 1f) {
            return src;
        }
        float[] r = new float[src.length];
        int ch = t.channels();
        int sp = t.spatial();
        for (int p = 0, planes = src.length / sp; p < planes; p++) {
            float f = scale.length == 1 ? scale[0] : scale[p % ch];
            for (int i = p * sp; i < (p + 1) * sp; i++) {
                r[i] = src[i] * f;
            }
        }
        return r;
    }

    /** The OIHW weight gradient as one forward convolution (see the class comment). */
    private static float[] weightGradient(float[] x, int n, int c, int h, int wd, float[] go, int outC, int oh, int ow,
            int k, int pad) {
        int span = h + 2 * pad - (oh - 1);
        int spanW = wd + 2 * pad - (ow - 1);
        try (INDArray in = Nd4j.createUninitialized(DataType.FLOAT, c, h, wd, n);
                INDArray filter = Nd4j.createUninitialized(DataType.FLOAT, outC, n, oh, ow);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, c, span, spanW, outC)) {
            // x as C images of H×W pixels with the batch as channels: the N × (C·H·W) matrix transposed
            transpose(x, n, c * h * wd, Nd4jKernels.floats(in));
            FloatBuffer f = Nd4jKernels.floats(filter);
            int sp = oh * ow;
            for (int o = 0; o < outC; o++) {
                for (int b = 0; b < n; b++) {
                    f.put((o * n + b) * sp, go, (b * outC + o) * sp, sp);
                }
            }
            DynamicCustomOp op = DynamicCustomOp.builder("conv2d").addInputs(in, filter).addOutputs(out)
                    .addIntegerArguments(oh, ow, 1, 1, pad, pad, 1, 1, 0, Nd4jKernels.NHWC, Nd4jKernels.OIHW).build();
            Nd4j.exec(op);
            float[] r = Nd4jKernels.read(out);
            float[] gw = new float[outC * c * k * k];
            for (int ch = 0; ch < c; ch++) {
                for (int kh = 0; kh < k; kh++) {
                    for (int kw = 0; kw < k; kw++) {
                        int from = ((ch * span + kh) * spanW + kw) * outC;
                        for (int o = 0; o < outC; o++) {
                            gw[((o * c + ch) * k + kh) * k + kw] = r[from + o];
                        }
                    }
                }
            }
            return gw;
        }
    }

    /** Writes the {@code rows}×{@code cols} row-major matrix {@code src} transposed to {@code dst}, in column tiles. */
    private static void transpose(float[] src, int rows, int cols, FloatBuffer dst) {
        Parallel.forEach((cols + Nd4jKernels.TILE - 1) / Nd4jKernels.TILE, (long) Nd4jKernels.TILE * rows, tileIndex -> {
            FloatBuffer d = dst.duplicate();
            int j0 = tileIndex * Nd4jKernels.TILE;
            int len = Math.min(Nd4jKernels.TILE, cols - j0);
            float[] tile = new float[len * rows];
            for (int i = 0; i < rows; i++) {
                int from = i * cols + j0;
                for (int t = 0; t < len; t++) {
                    tile[t * rows + i] = src[from + t];
                }
            }
            d.put(j0 * rows, tile);
        });
    }
}
