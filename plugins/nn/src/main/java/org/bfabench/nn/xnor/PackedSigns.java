package org.bfabench.nn.xnor;

import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;

/**
 * A batch of binary activations kept bit-packed between binary layers of a complete BNN (XNOR-Net,
 * Rastegari et al. 2016, §3.2; RA-BNN, Rakin et al. 2021, §3): layout [n][y][x][words], channel c at
 * bit {@code c % 64} of word {@code c / 64}, bit 1 = −1 and bit 0 = +1 (sign(0) = +1), unused high bits 0.
 * A float ±1 tensor of the same batch is 64× larger; keeping activations packed is what lets the XNOR
 * kernels skip the float → bits packing at every layer.
 *
 * <p>The array is owned by this value: nothing writes to it after construction.
 */
public final class PackedSigns {
    private static final RangeSplitter SPLITTER = new RangeSplitter(ForkJoinPool.commonPool(),
            RangeSplitter.DEFAULT_GRAIN);

    private final long[] bits;
    private final int n;
    private final int channels;
    private final int height;
    private final int width;
    private final int words;

    PackedSigns(long[] bits, int n, int channels, int height, int width) {
        this.words = SignPacking.words(channels);
        if (bits.length != (long) n * height * width * words) {
            throw new IllegalArgumentException("packed signs of " + n + "×" + channels + "×" + height + "×" + width
                    + " need " + (long) n * height * width * words + " words, got " + bits.length);
        }
        this.bits = bits;
        this.n = n;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** Packs the signs of an NCHW float batch ({@code x >= 0} → +1, else −1, as the Sign layer). */
    public static PackedSigns ofSigns(float[] nchw, int n, int channels, int height, int width) {
        int words = SignPacking.words(channels);
        int plane = height * width;
        long[] packed = new long[Math.multiplyExact(Math.multiplyExact(n, plane), words)];
        SPLITTER.run(n, (long) channels * plane,
                (from, to) -> SignPacking.packNchw(nchw, channels, plane, words, from, to, packed));
        return new PackedSigns(packed, n, channels, height, width);
    }

    /**
     * Packs per-channel decisions on an NCHW float batch: value v of channel c is +1 iff
     * {@code lo[c] <= orderKey(v) <= hi[c]}, with {@link #orderKey} the total order of floats (−0 just
     * below +0). The intervals are only valid for keys in {@code [domainLo, domainHi]}: returns null when
     * the batch holds a value outside (or a NaN), for which the caller must take its exact float path.
     */
    public static PackedSigns ofKeyIntervals(float[] nchw, int n, int channels, int height, int width, int[] lo,
            int[] hi, int domainLo, int domainHi) {
        int words = SignPacking.words(channels);
        int plane = height * width;
        long[] packed = new long[Math.multiplyExact(Math.multiplyExact(n, plane), words)];
        boolean[] outside = new boolean[1];
        SPLITTER.run(n, (long) channels * plane, (from, to) -> {
            for (int img = from; img < to; img++) {
                int dstBase = img * plane * words;
                long bad = 0;
                for (int c = 0; c < channels; c++) {
                    int src = (img * channels + c) * plane;
                    int d = dstBase + (c >>> 6);
                    long l = lo[c];
                    long h = hi[c];
                    for (int p = 0; p < plane; p++) {
                        int b = Float.floatToRawIntBits(nchw[src + p]);
                        long key = b ^ ((b >> 31) & 0x7fffffff);
                        // keys span all ints, so differences are taken in long to stay exact
                        bad |= (key - domainLo) | (domainHi - key);
                        packed[d + p * words] |= (((key - l) | (h - key)) >>> 63) << c;
                    }
                }
                if (bad < 0) {
                    outside[0] = true; // only ever set to true, so concurrent writers agree
                }
            }
        });
        return outside[0] ? null : new PackedSigns(packed, n, channels, height, width);
    }

    /**
     * Packs per-channel threshold decisions: value v of channel c is +1 iff {@code sign[c]·v >= threshold[c]}
     * (float comparison, so −0 and +0 compare equal; {@code sign[c]} is ±1, so the product is exact).
     * Returns null when some value is NaN or {@code |v| > bound}, outside the thresholds' domain.
     */
    public static PackedSigns ofThresholds(float[] nchw, int n, int channels, int height, int width, float[] sign,
            float[] threshold, float bound) {
        int words = SignPacking.words(channels);
        int plane = height * width;
        long[] packed = new long[Math.multiplyExact(Math.multiplyExact(n, plane), words)];
        boolean[] outside = new boolean[1];
        SPLITTER.run(n, (long) channels * plane, (from, to) -> {
            for (int img = from; img < to; img++) {
                int dstBase = img * plane * words;
                boolean bad = false;
                for (int c = 0; c < channels; c++) {
                    int src = (img * channels + c) * plane;
                    int d = dstBase + (c >>> 6);
                    float s = sign[c];
                    float t = threshold[c];
                    for (int p = 0; p < plane; p++) {
                        float v = nchw[src + p];
                        bad |= !(Math.abs(v) <= bound);
                        packed[d + p * words] |= (s * v >= t ? 0L : 1L) << c;
                    }
                }
                if (bad) {
                    outside[0] = true; // only ever set to true, so concurrent writers agree
                }
            }
        });
        return outside[0] ? null : new PackedSigns(packed, n, channels, height, width);
    }

    /**
     * {@link #ofThresholds} of an NHWC batch read from {@code nhwc} (a native conv output): the same
     * decision {@code sign[c]·v >= threshold[c]} per value and the same null for a value outside the domain.
     * A pixel's channels are adjacent in both layouts here, so each output word is built from one run of
     * values and written once, where the NCHW form ORs one bit into every word per channel. With the
     * vector kernel available and channels a multiple of 16, {@link VectorThresholds} takes the decisions.
     */
    public static PackedSigns ofThresholdsChannelsLast(FloatBuffer nhwc, int n, int channels, int height, int width,
            float[] sign, float[] threshold, float bound) {
        int words = SignPacking.words(channels);
        int row = width * channels;
        long[] packed = new long[Math.multiplyExact(Math.multiplyExact(n * height, width), words)];
        if (nhwc.limit() != Math.multiplyExact(n * height, row)) {
            throw new IllegalArgumentException("NHWC buffer of " + nhwc.limit() + " floats for " + n + "×" + channels
                    + "×" + height + "×" + width);
        }
        boolean vector = PackedConv2d.VECTOR_KERNEL && channels % VectorThresholds.LANES == 0;
        boolean[] outside = new boolean[1];
        SPLITTER.run(n * height, row, (from, to) -> {
            FloatBuffer src = nhwc.duplicate();
            float[] v = new float[row];
            boolean bad = false;
            for (int r = from; r < to; r++) {
                src.get(r * row, v, 0, row);
                if (vector) {
                    bad |= !VectorThresholds.packRow(v, width, channels, sign, threshold, bound, packed,
                            r * width * words, words);
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int base = x * channels;
                    int dst = (r * width + x) * words;
                    for (int j = 0; j < words; j++) {
                        long acc = 0L;
                        for (int c = j << 6, end = Math.min(channels, c + 64); c < end; c++) {
                            float f = v[base + c];
                            bad |= !(Math.abs(f) <= bound);
                            acc |= (sign[c] * f >= threshold[c] ? 0L : 1L) << c;
                        }
                        packed[dst + j] = acc;
                    }
                }
            }
            if (bad) {
                outside[0] = true; // only ever set to true, so concurrent writers agree
            }
        });
        return outside[0] ? null : new PackedSigns(packed, n, channels, height, width);
    }

    /** A float's position in the total order of floats as a signed int (−0 sorts just below +0). */
    public static int orderKey(float v) {
        int b = Float.floatToRawIntBits(v);
        return b ^ ((b >> 31) & 0x7fffffff);
    }

    /** The float at {@link #orderKey} {@code key}. */
    public static float fromOrderKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }

    /**
     * sign(max-pool(v)) from sign(v): a k×k window (stride s, no padding, windows that do not fit dropped)
     * is +1 iff any of its values is +1, so the −1 bits are ANDed. Exact for a max-pool that returns one of
     * its window's values, because sign is monotone.
     */
    public PackedSigns maxPool(int kernel, int stride) {
        int oh = (height - kernel) / stride + 1;
        int ow = (width - kernel) / stride + 1;
        if (kernel < 1 || stride < 1 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("max-pool " + kernel + "/" + stride + " does not fit " + height + "×"
                    + width);
        }
        long[] out = new long[Math.multiplyExact(Math.multiplyExact(n, oh * ow), words)];
        SPLITTER.run(n, (long) oh * ow * words * kernel * kernel, (from, to) -> {
            for (int img = from; img < to; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int dst = ((img * oh + oy) * ow + ox) * words;
                        for (int j = 0; j < words; j++) {
                            long acc = -1L;
                            for (int ky = 0; ky < kernel; ky++) {
                                int row = (img * height + oy * stride + ky) * width + ox * stride;
                                for (int kx = 0; kx < kernel; kx++) {
                                    acc &= bits[(row + kx) * words + j];
                                }
                            }
                            out[dst + j] = acc;
                        }
                    }
                }
            }
        });
        return new PackedSigns(out, n, channels, oh, ow);
    }

    /** The signs as an NCHW ±1 float batch (for tests and for consumers that need floats). */
    public float[] toFloats() {
        int plane = height * width;
        float[] out = new float[n * channels * plane];
        for (int img = 0; img < n; img++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    long word = bits[(img * plane + p) * words + (c >>> 6)];
                    out[(img * channels + c) * plane + p] = (word >>> c & 1L) == 0L ? 1f : -1f;
                }
            }
        }
        return out;
    }

    long[] bits() {
        return bits;
    }

    public int n() {
        return n;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    int words() {
        return words;
    }
}
