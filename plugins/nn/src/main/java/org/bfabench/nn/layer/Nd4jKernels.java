package org.bfabench.nn.layer;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bfabench.nn.tensor.FloatArrays;
import org.bfabench.nn.tensor.NhwcTensor;
import org.bfabench.nn.tensor.Parallel;
import org.bfabench.nn.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The heavy kernels, delegated to ND4J custom ops (oneDNN): conv2d / conv2d_bp with OIHW weights and
 * NCHW data (conv2d also on channels-last data, for the fused program's tails), and GEMM. Every native
 * array is closed before returning, so off-heap memory stays bounded in training and attack loops, except
 * the channels-last conv's input and output arrays when the caller lends them from its {@link ConvBuffers}.
 */
public final class Nd4jKernels {
    private static final int NCHW = 0;
    static final int NHWC = 1;
    static final int OIHW = 1;
    static final int TILE = 64;

    private Nd4jKernels() {
    }

    /**
     * An off-heap copy of {@code data}. Bulk copies through a native-order view: {@code Nd4j.create(float[])}
     * copies element by element through an indexer, which cost more than the convolutions themselves.
     */
    static INDArray array(float[] data, int... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, toLong(shape));
        floats(a).put(data);
        return a;
    }

    /** The contents of a dense array created by this class, copied to the heap in bulk. */
    static float[] read(INDArray a) {
        float[] r = new float[Math.toIntExact(a.length())];
        floats(a).get(r);
        return r;
    }

    static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static int[] convArgs(int k, int stride, int pad) {
        return new int[] {k, k, stride, stride, pad, pad, 1, 1, 0, NCHW, OIHW};
    }

    public static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /** Cross-correlation of NCHW {@code x} with OIHW {@code w}; no bias. */
    public static Tensor conv2d(Tensor x, float[] w, int outC, int k, int stride, int pad) {
        return conv2d(x, w, outC, k, stride, pad, new float[] {1f});
    }

    /**
     * {@link #conv2d} with output channel c multiplied by {@code scale[c]} (or by the single scale), applied
     * while the result is copied to the heap: one sweep over the output instead of two. Bit-identical to
     * scaling afterwards.
     *
     * <p>oneDNN runs on channels-last data: the input is transposed NCHW → NHWC as it is copied off-heap and
     * the output back as it is copied to the heap. Handing it NCHW instead made it reorder both ways into
     * its blocked layout, which cost more than the convolution itself (resnet20's 3×3 convs at batch 128:
     * about 40 ms NCHW against 20 ms with these transposes, on the 2-core CI machine).
     */
    static Tensor conv2d(Tensor x, float[] w, int outC, int k, int stride, int pad, float[] scale) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int oh = outSize(h, k, stride, pad);
        int ow = outSize(wd, k, stride, pad);
        try (INDArray in = Nd4j.createUninitialized(DataType.FLOAT, n, h, wd, c); INDArray wa = array(w, outC, c, k, k);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, oh, ow, outC)) {
            ChannelsLastTransposes.toChannelsLast(x.data(), n, c, h * wd, floats(in));
            execConv(in, wa, out, k, stride, pad);
            float[] r = new float[n * outC * oh * ow];
            ChannelsLastTransposes.fromChannelsLast(floats(out), n, outC, oh * ow, scale, r);
            return new Tensor(r, n, outC, oh, ow);
        }
    }

    private static void execConv(INDArray in, INDArray wa, INDArray out, int k, int stride, int pad) {
        DynamicCustomOp op = DynamicCustomOp.builder("conv2d").addInputs(in, wa).addOutputs(out)
                .addIntegerArguments(k, k, stride, stride, pad, pad, 1, 1, 0, NHWC, OIHW).build();
        Nd4j.exec(op);
    }

    /**
     * {@link #conv2d(Tensor, float[], int, int, int, int, float[])} on channels-last data: the input is
     * copied off-heap in bulk and the output copied back channels-last with the scale applied, no transpose
     * either way. The same oneDNN call on the same NHWC input, and the same multiply per output, so every
     * value equals conv2d's, in the other layout.
     */
    public static NhwcTensor conv2dChannelsLast(NhwcTensor x, float[] w, int outC, int k, int stride, int pad,
            float[] scale, ConvBuffers buffers) {
        return conv2dChannelsLast(x, w, outC, k, stride, pad, scale, buffers, null);
    }

    /** The same, with {@code epilogue} (null: none) applied to every output row after the scale. */
    static NhwcTensor conv2dChannelsLast(NhwcTensor x, float[] w, int outC, int k, int stride, int pad,
            float[] scale, ConvBuffers buffers, RowEpilogue epilogue) {
        int oh = outSize(x.h(), k, stride, pad);
        int ow = outSize(x.w(), k, stride, pad);
        return conv2dChannelsLast(x.n(), x.c(), x.h(), x.w(), in -> floats(in).put(x.data()), w, outC, k, stride, pad,
                buffers, (out, pool) -> readChannelsLast(out, x.n(), outC, oh, ow, scale, pool.heap(), epilogue));
    }

    /**
     * {@link #conv2dChannelsLast(NhwcTensor, float[], int, int, int, int, float[], ConvBuffers)} of an NCHW
     * input, transposed as it is copied off-heap.
     */
    public static NhwcTensor conv2dChannelsLast(Tensor x, float[] w, int outC, int k, int stride, int pad,
            float[] scale, ConvBuffers buffers) {
        return conv2dChannelsLast(x, w, outC, k, stride, pad, scale, buffers, null);
    }

    /** The same, with {@code epilogue} (null: none) applied to every output row after the scale. */
    static NhwcTensor conv2dChannelsLast(Tensor x, float[] w, int outC, int k, int stride, int pad,
            float[] scale, ConvBuffers buffers, RowEpilogue epilogue) {
        int n = x.dim(0);
        int c = x.dim(1);
        int sp = x.dim(2) * x.dim(3);
        int oh = outSize(x.dim(2), k, stride, pad);
        int ow = outSize(x.dim(3), k, stride, pad);
        return conv2dChannelsLast(n, c, x.dim(2), x.dim(3),
                in -> ChannelsLastTransposes.toChannelsLast(x.data(), n, c, sp, floats(in)), w, outC, k, stride, pad,
                buffers, (out, pool) -> readChannelsLast(out, n, outC, oh, ow, scale, pool.heap(), epilogue));
    }

    /**
     * Work done on each row of a channels-last conv output (one output row of one image: ow·c values,
     * channel fastest) in place, right after it is copied off-heap and scaled, while it is still in cache.
     */
    interface RowEpilogue {
        void apply(float[] r, int from, int length);
    }

    /**
     * {@link #conv2d}'s oneDNN call on NCHW {@code x} (the same call on the same channels-last input, so
     * every value equals conv2d's) with its NHWC output handed to {@code reader} while the native array is
     * valid instead of being copied to the heap: a reader that reduces the output (the fused program packs
     * threshold decisions of the first conv) skips an NCHW transpose and a heap array as large as the
     * output. Native arrays come from {@code buffers}; the buffer must not escape {@code reader}.
     */
    public static <R> R conv2dReadChannelsLast(Tensor x, float[] w, int outC, int k, int stride, int pad,
            ConvBuffers buffers, Function<FloatBuffer, R> reader) {
        int n = x.dim(0);
        int c = x.dim(1);
        int sp = x.dim(2) * x.dim(3);
        return conv2dChannelsLast(n, c, x.dim(2), x.dim(3),
                in -> ChannelsLastTransposes.toChannelsLast(x.data(), n, c, sp, floats(in)), w, outC, k, stride, pad,
                buffers, (out, pool) -> reader.apply(floats(out).asReadOnlyBuffer()));
    }

    /**
     * The convolution with its NHWC input written by {@code fill} and its NHWC output given to {@code read}
     * with the buffers it came from; native arrays from {@code buffers} (null: fresh ones).
     */
    private static <R> R conv2dChannelsLast(int n, int c, int h, int wd, Consumer<INDArray> fill,
            float[] w, int outC, int k, int stride, int pad, ConvBuffers buffers,
            BiFunction<INDArray, ConvBuffers, R> read) {
        int oh = outSize(h, k, stride, pad);
        int ow = outSize(wd, k, stride, pad);
        ConvBuffers pool = buffers != null ? buffers : new ConvBuffers(0);
        INDArray in = pool.take(n, h, wd, c);
        INDArray out = null;
        try (INDArray wa = array(w, outC, c, k, k)) {
            out = pool.take(n, oh, ow, outC);
            fill.accept(in);
            execConv(in, wa, out, k, stride, pad);
            return read.apply(out, pool);
        } finally {
            pool.release(in);
            if (out != null) {
                pool.release(out);
            }
        }
    }

    /**
     * NHWC {@code out} copied to the heap, channel ch multiplied by its scale (a bulk copy for the unit scale
     * without an epilogue), then {@code epilogue} (null: none) applied row by row.
     */
    private static NhwcTensor readChannelsLast(INDArray out, int n, int c, int oh, int ow, float[] scale,
            FloatArrays heap, RowEpilogue epilogue) {
        float[] r = heap.take(n * c * oh * ow);
        FloatBuffer src = floats(out);
        boolean unit = scale.length == 1 && scale[0] == 1f;
        if (unit && epilogue == null) {
            src.get(r);
            return new NhwcTensor(r, n, c, oh, ow);
        }
        int row = ow * c;
        float[] rowScale = new float[row]; // the scale of each entry of an output row, so the loop is one run
        for (int i = 0; i < row; i++) {
            rowScale[i] = scale.length == 1 ? scale[0] : scale[i % c];
        }
        Parallel.forEach(n * oh, row, y -> {
            FloatBuffer s = src.duplicate();
            int from = y * row;
            s.get(from, r, from, row);
            if (!unit) {
                for (int i = 0; i < row; i++) {
                    r[from + i] *= rowScale[i];
                }
            }
            if (epilogue != null) {
                epilogue.apply(r, from, row);
            }
        });
        return new NhwcTensor(r, n, c, oh, ow);
    }

    /** Gradients of a convolution: with respect to its input and to its OIHW weights. */
    public record ConvGradients(Tensor input, float[] weights) {
    }

    public static ConvGradients conv2dBackward(Tensor x, float[] w, int outC, int k, int stride, int pad, Tensor gradOut) {
        return conv2dBackward(x, w, outC, k, stride, pad, gradOut, new float[] {1f});
    }

    /**
     * Gradients of a convolution whose output was multiplied by {@code scale} (one per output channel or a
     * single one): the incoming gradient is scaled while it is copied off-heap, which saves a full-size
     * intermediate array. Stays channels-first: oneDNN's backward pass was no faster on channels-last data.
     */
    static ConvGradients conv2dBackward(Tensor x, float[] w, int outC, int k, int stride, int pad, Tensor gradOut,
            float[] scale) {
        int c = x.dim(1);
        try (INDArray in = array(x.data(), x.shape()); INDArray wa = array(w, outC, c, k, k);
                INDArray go = scaledArray(gradOut, scale);
                INDArray gi = Nd4j.createUninitialized(DataType.FLOAT, toLong(x.shape()));
                INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, outC, c, k, k)) {
            DynamicCustomOp op = DynamicCustomOp.builder("conv2d_bp").addInputs(in, wa, go).addOutputs(gi, gw)
                    .addIntegerArguments(convArgs(k, stride, pad)).build();
            Nd4j.exec(op);
            return new ConvGradients(new Tensor(read(gi), x.shape()), read(gw));
        }
    }

    /** An off-heap copy of {@code t} with channel c multiplied by {@code scale[c]} (or by the single scale). */
    private static INDArray scaledArray(Tensor t, float[] scale) {
        if (scale.length == 1 && scale[0] == 1f) {
            return array(t.data(), t.shape());
        }
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, toLong(t.shape()));
        FloatBuffer dst = floats(a);
        float[] src = t.data();
        int ch = t.channels();
        int sp = t.spatial();
        float[] row = new float[sp];
        for (int p = 0, planes = src.length / sp; p < planes; p++) {
            float f = scale.length == 1 ? scale[0] : scale[p % ch];
            for (int i = 0; i < sp; i++) {
                row[i] = src[p * sp + i] * f;
            }
            dst.put(row);
        }
        return a;
    }

    /** {@code a (m×k) · bᵀ} where b is n×k: the linear layer's x·Wᵀ. */
    public static float[] matmulTransB(float[] a, int m, int k, float[] b, int n) {
        try (INDArray aa = array(a, m, k); INDArray ba = array(b, n, k);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, m, n)) {
            Nd4j.gemm(aa, ba, out, false, true, 1.0, 0.0);
            return read(out);
        }
    }

    /** {@code a (m×k) · b (k×n)}. */
    public static float[] matmul(float[] a, int m, int k, float[] b, int n) {
        try (INDArray aa = array(a, m, k); INDArray ba = array(b, k, n);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, m, n)) {
            Nd4j.gemm(aa, ba, out, false, false, 1.0, 0.0);
            return read(out);
        }
    }

    /** {@code aᵀ · b} where a is m×k and b is m×n: gives k×n. */
    public static float[] matmulTransA(float[] a, int m, int k, float[] b, int n) {
        try (INDArray aa = array(a, m, k); INDArray ba = array(b, m, n);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, k, n)) {
            Nd4j.gemm(aa, ba, out, true, false, 1.0, 0.0);
            return read(out);
        }
    }

    private static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }
}
