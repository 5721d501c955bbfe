package org.bfabench.nn.layer;

import java.util.Arrays;
import org.bfabench.nn.tensor.FloatArrays;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;

/**
 * Inference forwards of the image layers on channels-last values ({@link NhwcTensor}), for the bit
 * search's tentative-loss tails (ALGORITHMS.md §4): between two convolutions the data stays in the layout
 * oneDNN convolves in, instead of being transposed to NCHW and back around every conv. Each forward
 * performs exactly the float operations of the layer's own inference forward, in the same order (it reads
 * the layer's own coefficients, and shares its element-wise loops), so its values equal the layer's
 * bit for bit, in the other layout. Inputs may also be NCHW {@link Tensor}s (activations cached by a
 * gradient pass): they are transposed on read.
 */
public final class ChannelsLastLayers {
    private ChannelsLastLayers() {
    }

    /** Whether {@link #forward} handles {@code layer} on image-shaped (N×C×H×W) values. */
    public static boolean supports(Layer layer) {
        return layer instanceof Conv2d || layer instanceof BatchNorm || layer instanceof Relu
                || layer instanceof Hardtanh || layer instanceof Add || layer instanceof SubsamplePad
                || layer instanceof GlobalAvgPool || layer instanceof Pool2d;
    }

    /**
     * The inference output of {@code layer} for image inputs {@code in} (each an {@link NhwcTensor} or an
     * NCHW {@link Tensor}): an {@link NhwcTensor}, except global average pooling's N×C {@link Tensor}
     * (the same array in both layouts).
     */
    public static Object forward(Layer layer, Object[] in) {
        return forward(layer, in, null, null);
    }

    /** Whether {@link #forward(Layer, Object[], Layer, ConvBuffers)} can apply {@code activation} within {@code layer}'s pass. */
    public static boolean fuses(Layer layer, Layer activation) {
        return (layer instanceof BatchNorm || layer instanceof Add)
                && (activation instanceof Relu || activation instanceof Hardtanh);
    }

    /**
     * {@link #forward(Layer, Object[])} followed by {@code activation} (null: none) in the same sweep, for a
     * batch norm or residual add that {@link #fuses} with it: per element the same two operations in the
     * same order as the two layers, without the intermediate array. A convolution takes its native arrays
     * from {@code buffers} (null: fresh ones).
     */
    public static Object forward(Layer layer, Object[] in, Layer activation, ConvBuffers buffers) {
        if (activation != null && !fuses(layer, activation)) {
            throw new IllegalArgumentException("cannot fuse " + activation.getClass().getSimpleName() + " into "
                    + layer.getClass().getSimpleName());
        }
        if (layer instanceof Conv2d conv) {
            return conv(conv, in[0], buffers);
        }
        FloatArrays arrays = buffers == null ? null : buffers.heap();
        NhwcTensor x = NhwcTensor.of(in[0], arrays);
        if (layer instanceof BatchNorm bn) {
            return batchNorm(bn, x, activation, arrays);
        } else if (layer instanceof Relu) {
            return new NhwcTensor(Relu.apply(x.data(), take(arrays, x)), x.n(), x.c(), x.h(), x.w());
        } else if (layer instanceof Hardtanh) {
            return new NhwcTensor(Hardtanh.apply(x.data(), take(arrays, x)), x.n(), x.c(), x.h(), x.w());
        } else if (layer instanceof Add) {
            return add(x, NhwcTensor.of(in[1], arrays), activation, arrays);
        } else if (layer instanceof SubsamplePad pad) {
            return subsamplePad(pad, x, arrays);
        } else if (layer instanceof GlobalAvgPool) {
            return globalAvgPool(x);
        } else if (layer instanceof Pool2d pool) {
            return pool(pool, x, arrays);
        }
        throw new IllegalArgumentException("no channels-last forward for " + layer.getClass().getSimpleName());
    }

    /** An array for an output the size of {@code x}, from {@code arrays} (null: new). */
    private static float[] take(FloatArrays arrays, NhwcTensor x) {
        return FloatArrays.take(arrays, x.data().length);
    }

    /** {@link Conv2d#forward} channels-last: NCHW input is transposed while copied off-heap. */
    static NhwcTensor conv(Conv2d conv, Object in, ConvBuffers buffers) {
        return conv(conv, in, buffers, null);
    }

    static NhwcTensor conv(Conv2d conv, Object in, ConvBuffers buffers, Nd4jKernels.RowEpilogue epilogue) {
        float[] base = conv.weights().base(false);
        float[] scale = conv.weights().scale(false);
        int k = conv.kernel();
        if (in instanceof NhwcTensor x) {
            check(conv.name(), x.c(), conv.inChannels());
            return Nd4jKernels.conv2dChannelsLast(x, base, conv.outChannels(), k, conv.stride(), conv.padding(), scale,
                    buffers, epilogue);
        }
        Tensor x = (Tensor) in;
        if (x.rank() != 4) {
            throw new IllegalArgumentException(conv.name() + ": expected an N×C×H×W input, got " + x);
        }
        check(conv.name(), x.channels(), conv.inChannels());
        return Nd4jKernels.conv2dChannelsLast(x, base, conv.outChannels(), k, conv.stride(), conv.padding(), scale,
                    buffers, epilogue);
    }

    static void check(String layer, int got, int expected) {
        if (got != expected) {
            throw new IllegalArgumentException(layer + ": expected " + expected + " input channels, got " + got);
        }
    }

    /**
     * {@link BatchNorm#forward} in inference, x·a[k] + c[k] with the layer's own a and c, then
     * {@code activation} (or none). The coefficients are repeated over a block of positions so the inner
     * loop is one long run (a loop over 16 channels per position ran at a third of the speed).
     */
    static NhwcTensor batchNorm(BatchNorm bn, NhwcTensor x, Layer activation, FloatArrays arrays) {
        int ch = bn.channels();
        check("batch norm", x.c(), ch);
        int block = Math.max(1, Parallel.CHUNK / ch) * ch;
        float[][] coefficients = repeatedCoefficients(bn, block);
        float[] d = x.data();
        float[] out = take(arrays, x);
        int len = d.length;
        Parallel.forEach((len + block - 1) / block, block, t -> {
            int from = t * block;
            batchNormRun(d, out, from, Math.min(block, len - from), coefficients, activation);
        });
        return new NhwcTensor(out, x.n(), ch, x.h(), x.w());
    }

    /** The layer's inference coefficients a and c, each repeated over {@code length} (a multiple of the channels). */
    static float[][] repeatedCoefficients(BatchNorm bn, int length) {
        int ch = bn.channels();
        float[] a = new float[ch];
        float[] c = new float[ch];
        bn.inferenceCoefficients(a, c);
        float[] ra = new float[length];
        float[] rc = new float[length];
        for (int i = 0; i < length; i++) {
            ra[i] = a[i % ch];
            rc[i] = c[i % ch];
        }
        return new float[][] {ra, rc};
    }

    /** out[from + j] = activation(d[from + j]·a[j] + c[j]) for j &lt; n: the batch norm's sweep over one run. */
    static void batchNormRun(float[] d, float[] out, int from, int n, float[][] coefficients, Layer activation) {
        float[] ra = coefficients[0];
        float[] rc = coefficients[1];
        if (activation instanceof Relu) {
            for (int j = 0; j < n; j++) {
                out[from + j] = Relu.of(d[from + j] * ra[j] + rc[j]);
            }
        } else if (activation instanceof Hardtanh) {
            for (int j = 0; j < n; j++) {
                out[from + j] = Hardtanh.of(d[from + j] * ra[j] + rc[j]);
            }
        } else {
            for (int j = 0; j < n; j++) {
                out[from + j] = d[from + j] * ra[j] + rc[j];
            }
        }
    }

    /** {@link Add#forward}, then {@code activation} (or none). */
    static NhwcTensor add(NhwcTensor a, NhwcTensor b, Layer activation, FloatArrays arrays) {
        if (a.n() != b.n() || a.c() != b.c() || a.h() != b.h() || a.w() != b.w()) {
            throw new IllegalArgumentException("residual add of " + a + " and " + b);
        }
        if (activation == null) {
            return new NhwcTensor(Add.sum(a.data(), b.data(), take(arrays, a)), a.n(), a.c(), a.h(), a.w());
        }
        float[] x = a.data();
        float[] y = b.data();
        float[] o = take(arrays, a);
        boolean relu = activation instanceof Relu;
        Parallel.forEach(Parallel.chunks(o.length), Parallel.CHUNK, t -> {
            int e = Math.min(o.length, (t + 1) * Parallel.CHUNK);
            if (relu) {
                for (int i = t * Parallel.CHUNK; i < e; i++) {
                    o[i] = Relu.of(x[i] + y[i]);
                }
            } else {
                for (int i = t * Parallel.CHUNK; i < e; i++) {
                    o[i] = Hardtanh.of(x[i] + y[i]);
                }
            }
        });
        return new NhwcTensor(o, a.n(), a.c(), a.h(), a.w());
    }

    /** {@link SubsamplePad#forward}: every stride-th row and column, channels zero-padded in front and behind. */
    static NhwcTensor subsamplePad(SubsamplePad pad, NhwcTensor x, FloatArrays arrays) {
        int s = pad.stride();
        int outC = pad.outChannels();
        int f = pad.front(x.c());
        int c = x.c();
        int oh = (x.h() + s - 1) / s;
        int ow = (x.w() + s - 1) / s;
        float[] d = x.data();
        float[] out = FloatArrays.take(arrays, x.n() * oh * ow * outC);
        Arrays.fill(out, 0f); // the padded channels; a reused array holds stale values
        for (int b = 0; b < x.n(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int src = ((b * x.h() + i * s) * x.w() + j * s) * c;
                    System.arraycopy(d, src, out, ((b * oh + i) * ow + j) * outC + f, c);
                }
            }
        }
        return new NhwcTensor(out, x.n(), outC, oh, ow);
    }

    /** {@link GlobalAvgPool#forward}: each channel summed in double over positions in row-major order, as NCHW. */
    static Tensor globalAvgPool(NhwcTensor x) {
        int c = x.c();
        int sp = x.spatial();
        float[] d = x.data();
        float[] o = new float[x.n() * c];
        double[] s = new double[c];
        for (int b = 0; b < x.n(); b++) {
            Arrays.fill(s, 0);
            for (int i = 0, base = b * sp * c; i < sp; i++, base += c) {
                for (int ch = 0; ch < c; ch++) {
                    s[ch] += d[base + ch];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                o[b * c + ch] = (float) (s[ch] / sp);
            }
        }
        return new Tensor(o, x.n(), c);
    }

    /** {@link Pool2d#forward}: each window visited row by row as the NCHW loop does, all channels at once. */
    static NhwcTensor pool(Pool2d pool, NhwcTensor x, FloatArrays arrays) {
        int k = pool.kernel();
        int s = pool.stride();
        boolean max = pool.isMax();
        int c = x.c();
        int h = x.h();
        int w = x.w();
        int oh = (h - k) / s + 1;
        int ow = (w - k) / s + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("pooling " + k + "x" + k + " does not fit " + x);
        }
        float[] d = x.data();
        float[] out = FloatArrays.take(arrays, x.n() * oh * ow * c);
        float inv = 1f / (k * k);
        Parallel.forEach(x.n() * oh, (long) ow * k * k * c, row -> {
            int b = row / oh;
            int i = row % oh;
            float[] acc = new float[c];
            for (int j = 0; j < ow; j++) {
                Arrays.fill(acc, 0f);
                for (int a = 0; a < k; a++) {
                    for (int bb = 0; bb < k; bb++) {
                        int idx = ((b * h + i * s + a) * w + j * s + bb) * c;
                        boolean first = a == 0 && bb == 0;
                        for (int ch = 0; ch < c; ch++) {
                            float v = d[idx + ch];
                            if (!max) {
                                acc[ch] += v;
                            } else if (first || v > acc[ch]) {
                                acc[ch] = v;
                            }
                        }
                    }
                }
                int o = (row * ow + j) * c;
                for (int ch = 0; ch < c; ch++) {
                    out[o + ch] = max ? acc[ch] : acc[ch] * inv;
                }
            }
        });
        return new NhwcTensor(out, x.n(), c, oh, ow);
    }
}
