package org.bfabench.nn.layer;

import java.util.Arrays;
import org.bfabench.nn.tensor.NhwcTensor;
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
        if (layer instanceof Conv2d conv) {
            return conv(conv, in[0]);
        }
        NhwcTensor x = NhwcTensor.of(in[0]);
        if (layer instanceof BatchNorm bn) {
            return batchNorm(bn, x);
        } else if (layer instanceof Relu) {
            return new NhwcTensor(Relu.apply(x.data()), x.n(), x.c(), x.h(), x.w());
        } else if (layer instanceof Hardtanh) {
            return new NhwcTensor(Hardtanh.apply(x.data()), x.n(), x.c(), x.h(), x.w());
        } else if (layer instanceof Add) {
            return add(x, NhwcTensor.of(in[1]));
        } else if (layer instanceof SubsamplePad pad) {
            return subsamplePad(pad, x);
        } else if (layer instanceof GlobalAvgPool) {
            return globalAvgPool(x);
        } else if (layer instanceof Pool2d pool) {
            return pool(pool, x);
        }
        throw new IllegalArgumentException("no channels-last forward for " + layer.getClass().getSimpleName());
    }

    /** {@link Conv2d#forward} channels-last: NCHW input is transposed while copied off-heap. */
    static NhwcTensor conv(Conv2d conv, Object in) {
        float[] base = conv.weights().base(false);
        float[] scale = conv.weights().scale(false);
        int k = conv.kernel();
        if (in instanceof NhwcTensor x) {
            check(conv.name(), x.c(), conv.inChannels());
            return Nd4jKernels.conv2dChannelsLast(x, base, conv.outChannels(), k, conv.stride(), conv.padding(), scale);
        }
        Tensor x = (Tensor) in;
        if (x.rank() != 4) {
            throw new IllegalArgumentException(conv.name() + ": expected an N×C×H×W input, got " + x);
        }
        check(conv.name(), x.channels(), conv.inChannels());
        return Nd4jKernels.conv2dChannelsLast(x, base, conv.outChannels(), k, conv.stride(), conv.padding(), scale);
    }

    private static void check(String layer, int got, int expected) {
        if (got != expected) {
            throw new IllegalArgumentException(layer + ": expected " + expected + " input channels, got " + got);
        }
    }

    /** {@link BatchNorm#forward} in inference: x·a[k] + c[k] with the layer's own a and c. */
    static NhwcTensor batchNorm(BatchNorm bn, NhwcTensor x) {
        int ch = bn.channels();
        check("batch norm", x.c(), ch);
        float[] a = new float[ch];
        float[] c = new float[ch];
        bn.inferenceCoefficients(a, c);
        float[] d = x.data();
        float[] out = new float[d.length];
        int positions = x.n() * x.spatial();
        int per = Math.max(1, Parallel.CHUNK / ch);
        Parallel.forEach((positions + per - 1) / per, (long) per * ch, t -> {
            for (int p = t * per, e = Math.min(positions, p + per); p < e; p++) {
                for (int k = 0, i = p * ch; k < ch; k++, i++) {
                    out[i] = d[i] * a[k] + c[k];
                }
            }
        });
        return new NhwcTensor(out, x.n(), ch, x.h(), x.w());
    }

    static NhwcTensor add(NhwcTensor a, NhwcTensor b) {
        if (a.n() != b.n() || a.c() != b.c() || a.h() != b.h() || a.w() != b.w()) {
            throw new IllegalArgumentException("residual add of " + a + " and " + b);
        }
        return new NhwcTensor(Add.sum(a.data(), b.data()), a.n(), a.c(), a.h(), a.w());
    }

    /** {@link SubsamplePad#forward}: every stride-th row and column, channels zero-padded in front and behind. */
    static NhwcTensor subsamplePad(SubsamplePad pad, NhwcTensor x) {
        int s = pad.stride();
        int outC = pad.outChannels();
        int f = pad.front(x.c());
        int c = x.c();
        int oh = (x.h() + s - 1) / s;
        int ow = (x.w() + s - 1) / s;
        float[] d = x.data();
        float[] out = new float[x.n() * oh * ow * outC];
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
    static NhwcTensor pool(Pool2d pool, NhwcTensor x) {
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
        float[] out = new float[x.n() * oh * ow * c];
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
