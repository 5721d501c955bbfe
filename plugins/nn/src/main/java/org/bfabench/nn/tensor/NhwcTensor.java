package org.bfabench.nn.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of images stored channels-last (NHWC): value (b, ch, y, x) at {@code ((b·h + y)·w + x)·c + ch}.
 * The layout oneDNN convolves in, so a chain of image layers kept in it needs no transposes between
 * convolutions; {@link Tensor} (NCHW) stays the layout of everything else. The data array is owned by the
 * value and never written after construction.
 *
 * @param data n·h·w·c floats, channels-last
 * @param n    batch size
 * @param c    channels
 * @param h    height
 * @param w    width
 */
public record NhwcTensor(float[] data, int n, int c, int h, int w) {
    public NhwcTensor {
        if ((long) n * c * h * w != data.length) {
            throw new IllegalArgumentException("NHWC " + n + "x" + h + "x" + w + "x" + c + " needs "
                    + (long) n * c * h * w + " floats, got " + data.length);
        }
    }

    /** Height times width: values per channel per image. */
    public int spatial() {
        return h * w;
    }

    /** The channels-last copy of an NCHW image batch. */
    public static NhwcTensor of(Tensor t) {
        return of(t, null);
    }

    /** {@link #of(Tensor)} into an array from {@code arrays} (null: a new one). */
    public static NhwcTensor of(Tensor t, FloatArrays arrays) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException("channels-last needs an N×C×H×W tensor, got " + t);
        }
        int n = t.dim(0);
        int c = t.dim(1);
        int sp = t.dim(2) * t.dim(3);
        float[] src = t.data();
        float[] dst = FloatArrays.take(arrays, src.length);
        Parallel.forEach(n, (long) c * sp, b -> {
            int base = b * c * sp;
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0, from = base + ch * sp; i < sp; i++) {
                    dst[base + i * c + ch] = src[from + i];
                }
            }
        });
        return new NhwcTensor(dst, n, c, t.dim(2), t.dim(3));
    }

    /** {@code v} channels-last: itself, or the transpose of an NCHW {@link Tensor}. */
    public static NhwcTensor of(Object v) {
        return of(v, null);
    }

    /** {@link #of(Object)} with a transpose's array from {@code arrays} (null: a new one). */
    public static NhwcTensor of(Object v, FloatArrays arrays) {
        return v instanceof NhwcTensor t ? t : of((Tensor) v, arrays);
    }

    /** {@code v} as a {@link Tensor}: itself, or the NCHW transpose of an {@link NhwcTensor}. */
    public static Tensor nchw(Object v) {
        return v instanceof NhwcTensor t ? t.toNchw() : (Tensor) v;
    }

    /** The NCHW copy. */
    public Tensor toNchw() {
        int sp = h * w;
        float[] dst = new float[data.length];
        Parallel.forEach(n, (long) c * sp, b -> {
            int base = b * c * sp;
            for (int i = 0; i < sp; i++) {
                for (int ch = 0, from = base + i * c; ch < c; ch++) {
                    dst[base + ch * sp + i] = data[from + ch];
                }
            }
        });
        return new Tensor(dst, n, c, h, w);
    }

    /** Equal shape and bit-identical contents (a record compares arrays by reference). */
    @Override
    public boolean equals(Object o) {
        return o instanceof NhwcTensor t && n == t.n && c == t.c && h == t.h && w == t.w
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(n, c, h, w, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "NhwcTensor[" + n + ", " + h + ", " + w + ", " + c + "]";
    }
}
