package org.bfabench.nn.xnor;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * Binary 2-D convolution by XNOR-popcount: ±1 weights (bit-packed) × sign(input), zero padding,
 * integer-valued float output (XNOR-Net, Rastegari et al. 2016, §3.2; the complete-BNN layers of
 * RA-BNN, Rakin et al. 2021, §3). Output {@code [n][o][y][x] = Σ sign(x)·w} over the taps that fall
 * inside the image, exactly as a float convolution of sign(x) with zero padding computes it.
 *
 * <p>How: the input is packed to [n][y][x][channel words]; for each output row the k×k windows are
 * gathered into contiguous vectors (padded taps as all-zero words, i.e. +1), and {@link PopcountKernel}
 * dots every window with every output channel. A padded tap then contributed
 * {@code C − 2·popcount(w_tap)} instead of 0, so border pixels subtract that per-tap correction, kept
 * up to date with the weights; interior pixels need none.
 *
 * <p>Threads: output rows are split across a {@link ForkJoinPool} (the common pool by default; the
 * caller joins in, so a 2-core machine uses both cores) in tasks of at least ~64 K word-ops.
 * Thread-safety: {@link #forward} only reads the weights and allocates its scratch per call, so
 * concurrent forwards are safe; {@link #setWeights}/{@link #setWeight} must not overlap a forward
 * (the owner serialises them, as it does for any weight tensor).
 */
public final class XnorConv2d {

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    /** Longs per pixel: the channel sign bits. */
    private final int words;
    /** Longs per k×k window, and per output channel's weights. */
    private final int windowWords;
    /** [o][ky][kx][words]; bit 1 = −1. */
    private final long[] weights;
    /** [ky·k + kx][o] = C − 2·popcount(weights of that tap): what a +1-filled padded tap wrongly adds. */
    private final int[] paddedTapValue;
    private final RangeSplitter splitter;

    /** A layer with all weights +1, run on the common pool. */
    public XnorConv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, ForkJoinPool.commonPool());
    }

    /** A layer with all weights +1 whose forward passes run in {@code pool}. */
    public XnorConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, ForkJoinPool pool) {
        this(inChannels, outChannels, kernel, stride, padding, new RangeSplitter(pool, RangeSplitter.DEFAULT_GRAIN));
    }

    XnorConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, RangeSplitter splitter) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("XnorConv2d needs inChannels, outChannels, kernel, stride >= 1 and"
                    + " padding >= 0, got " + inChannels + ", " + outChannels + ", " + kernel + ", " + stride + ", "
                    + padding);
        }
        long fanIn = (long) inChannels * kernel * kernel;
        if (fanIn > (1 << 24) || fanIn * outChannels > Integer.MAX_VALUE) {
            // beyond 2^24 the integer sums would no longer be exact in float
            throw new IllegalArgumentException("XnorConv2d fan-in " + fanIn + " × " + outChannels + " outputs is too large");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.words = SignPacking.words(inChannels);
        this.windowWords = kernel * kernel * words;
        this.weights = new long[Math.multiplyExact(outChannels, windowWords)];
        this.paddedTapValue = new int[outChannels * kernel * kernel];
        Arrays.fill(paddedTapValue, inChannels);
        this.splitter = splitter;
    }

    /** Weights in OIHW order; weight >= 0 (including ±0) → +1, weight < 0 → −1. */
    public void setWeights(float[] oihw) {
        int count = outChannels * inChannels * kernel * kernel;
        if (oihw.length != count) {
            throw new IllegalArgumentException("XnorConv2d " + shape() + " needs " + count + " OIHW weights, got "
                    + oihw.length);
        }
        Arrays.fill(weights, 0L);
        int i = 0;
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < inChannels; c++) {
                for (int tap = 0; tap < kernel * kernel; tap++) {
                    weights[o * windowWords + tap * words + (c >>> 6)] |= SignPacking.negativeBit(oihw[i++]) << c;
                }
            }
        }
        for (int o = 0; o < outChannels; o++) {
            for (int tap = 0; tap < kernel * kernel; tap++) {
                refreshPaddedTap(o, tap);
            }
        }
    }

    /** Sets one weight's sign (after a bit flip); {@code flatIndex} is the OIHW flat index. */
    public void setWeight(int flatIndex, boolean positive) {
        int bitWord = bitWord(flatIndex);
        long mask = 1L << channel(flatIndex); // Java masks the shift to channel mod 64
        if (positive) {
            weights[bitWord] &= ~mask;
        } else {
            weights[bitWord] |= mask;
        }
        int taps = kernel * kernel;
        refreshPaddedTap(flatIndex / (inChannels * taps), flatIndex % taps);
    }

    /** Whether the weight at OIHW {@code flatIndex} is +1. */
    public boolean isPositive(int flatIndex) {
        return (weights[bitWord(flatIndex)] >>> channel(flatIndex) & 1L) == 0L;
    }

    /** Output rows for an input {@code height} rows tall. */
    public int outHeight(int height) {
        return outSize(height, "height");
    }

    /** Output columns for an input {@code width} columns wide. */
    public int outWidth(int width) {
        return outSize(width, "width");
    }

    /**
     * Convolves an NCHW batch (only signs matter: x >= 0 → +1, x < 0 → −1; padding contributes 0) and
     * writes {@code n × outChannels × outHeight × outWidth} exact integer sums to {@code output}.
     */
    public void forward(float[] input, int n, int height, int width, float[] output) {
        int oh = outHeight(height);
        int ow = outWidth(width);
        long inCount = (long) n * inChannels * height * width;
        long outCount = (long) n * outChannels * oh * ow;
        long packedCount = (long) n * height * width * words;
        if (n < 0 || input.length < inCount || output.length < outCount || Math.max(inCount, Math.max(outCount,
                packedCount)) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("XnorConv2d " + shape() + " on " + n + "×" + inChannels + "×" + height
                    + "×" + width + " needs input length " + inCount + " (got " + input.length + ") and output length "
                    + outCount + " (got " + output.length + ")");
        }
        int plane = height * width;
        long[] packed = new long[(int) packedCount];
        splitter.run(n, (long) inChannels * plane,
                (from, to) -> SignPacking.packNchw(input, inChannels, plane, words, from, to, packed));
        splitter.run(n * oh, (long) ow * outChannels * windowWords,
                (from, to) -> convolveRows(packed, height, width, oh, ow, from, to, output));
    }

    private void convolveRows(long[] packed, int height, int width, int oh, int ow, int fromRow, int toRow,
            float[] output) {
        long[] windows = new long[ow * windowWords];
        int[] popcounts = new int[ow * outChannels];
        int[] corrected = new int[outChannels];
        for (int row = fromRow; row < toRow; row++) {
            int img = row / oh;
            int oy = row % oh;
            gatherWindows(packed, img, oy, height, width, ow, windows);
            PopcountKernel.xorPopcounts(windows, 0, ow, weights, outChannels, windowWords, popcounts, 1, ow);
            writeRow(popcounts, corrected, img, oy, height, width, oh, ow, output);
        }
    }

    /** Copies the k×k window of every output pixel of row {@code oy} to {@code windows[ox]}; padded taps are 0. */
    private void gatherWindows(long[] packed, int img, int oy, int height, int width, int ow, long[] windows) {
        int rowWords = kernel * words;
        int iy0 = oy * stride - padding;
        for (int ox = 0; ox < ow; ox++) {
            int ix0 = ox * stride - padding;
            boolean columnsInside = ix0 >= 0 && ix0 + kernel <= width;
            for (int ky = 0; ky < kernel; ky++) {
                int iy = iy0 + ky;
                int dst = ox * windowWords + ky * rowWords;
                if (iy < 0 || iy >= height) {
                    Arrays.fill(windows, dst, dst + rowWords, 0L);
                    continue;
                }
                int srcRow = (img * height + iy) * width * words;
                if (columnsInside) {
                    System.arraycopy(packed, srcRow + ix0 * words, windows, dst, rowWords);
                    continue;
                }
                for (int kx = 0; kx < kernel; kx++) {
                    int ix = ix0 + kx;
                    int d = dst + kx * words;
                    if (ix < 0 || ix >= width) {
                        Arrays.fill(windows, d, d + words, 0L);
                    } else {
                        System.arraycopy(packed, srcRow + ix * words, windows, d, words);
                    }
                }
            }
        }
    }

    /**
     * Turns the popcounts ([o][ox]) of row {@code oy} into outputs. Interior pixels: {@code k²·C −
     * 2·popcount}, written contiguously per channel. Border pixels also subtract, for every padded tap,
     * what its all-zero (+1) window words added.
     */
    private void writeRow(int[] popcounts, int[] corrected, int img, int oy, int height, int width, int oh, int ow,
            float[] output) {
        int full = kernel * kernel * inChannels;
        int planeOut = oh * ow;
        int base = img * outChannels * planeOut + oy * ow;
        int iy0 = oy * stride - padding;
        int kyLo = Math.max(0, -iy0);
        int kyHi = Math.min(kernel, height - iy0);
        boolean rowInside = kyLo == 0 && kyHi == kernel;
        // interior columns [oxLo, oxHi): the whole window lies inside the image horizontally
        int oxLo = 0;
        while (oxLo < ow && oxLo * stride - padding < 0) {
            oxLo++;
        }
        int oxHi = oxLo;
        while (oxHi < ow && oxHi * stride - padding + kernel <= width) {
            oxHi++;
        }
        if (!rowInside) {
            oxHi = oxLo;
        }
        for (int o = 0; o < outChannels; o++) {
            int out = base + o * planeOut;
            int pc = o * ow;
            for (int ox = oxLo; ox < oxHi; ox++) {
                output[out + ox] = full - 2 * popcounts[pc + ox];
            }
        }
        for (int ox = 0; ox < ow; ox++) {
            if (ox >= oxLo && ox < oxHi) {
                continue;
            }
            int ix0 = ox * stride - padding;
            correctPaddedTaps(corrected, kyLo, kyHi, Math.max(0, -ix0), Math.min(kernel, width - ix0));
            for (int o = 0; o < outChannels; o++) {
                output[base + o * planeOut + ox] = corrected[o] - 2 * popcounts[o * ow + ox];
            }
        }
    }

    /** {@code corrected[o] = k²·C − Σ paddedTapValue[tap][o]} over the taps outside [kyLo, kyHi) × [kxLo, kxHi). */
    private void correctPaddedTaps(int[] corrected, int kyLo, int kyHi, int kxLo, int kxHi) {
        Arrays.fill(corrected, kernel * kernel * inChannels);
        for (int ky = 0; ky < kernel; ky++) {
            boolean tapRowValid = ky >= kyLo && ky < kyHi;
            for (int kx = 0; kx < kernel; kx++) {
                if (!tapRowValid || kx < kxLo || kx >= kxHi) {
                    int t = (ky * kernel + kx) * outChannels;
                    for (int o = 0; o < outChannels; o++) {
                        corrected[o] -= paddedTapValue[t + o];
                    }
                }
            }
        }
    }

    private void refreshPaddedTap(int o, int tap) {
        int start = o * windowWords + tap * words;
        int ones = 0;
        for (int j = 0; j < words; j++) {
            ones += Long.bitCount(weights[start + j]);
        }
        paddedTapValue[tap * outChannels + o] = inChannels - 2 * ones;
    }

    /** Index into {@link #weights} of the word holding OIHW weight {@code flatIndex}. */
    private int bitWord(int flatIndex) {
        int taps = kernel * kernel;
        if (flatIndex < 0 || flatIndex >= outChannels * inChannels * taps) {
            throw new IndexOutOfBoundsException("XnorConv2d " + shape() + " has no weight " + flatIndex);
        }
        int o = flatIndex / (inChannels * taps);
        return o * windowWords + (flatIndex % taps) * words + (channel(flatIndex) >>> 6);
    }

    private int channel(int flatIndex) {
        return flatIndex / (kernel * kernel) % inChannels;
    }

    private int outSize(int size, String what) {
        int out = size < 1 ? 0 : (size + 2 * padding - kernel) / stride + 1;
        if (size < 1 || size + 2 * padding < kernel) {
            throw new IllegalArgumentException("XnorConv2d " + shape() + ": input " + what + " " + size
                    + " is smaller than the kernel even with padding");
        }
        return out;
    }

    private String shape() {
        return inChannels + "→" + outChannels + " k" + kernel + " s" + stride + " p" + padding;
    }
}
