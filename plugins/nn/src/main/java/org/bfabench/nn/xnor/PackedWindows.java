package org.bfabench.nn.xnor;

import java.util.Arrays;

/**
 * The dense k×k windows {@link PackedConv2d} multiplies (im2col in bits: tap t's C channel bits at bits
 * {@code [t·C, (t+1)·C)} of one bit string, padded taps zero) and the scalar popcount kernel over them.
 * Holds the layer geometry only; safe to share between threads.
 */
final class PackedWindows {
    private final int inChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int inWords;
    private final int windowWords;
    private static final int BLOCK = 8;

    PackedWindows(int inChannels, int kernel, int stride, int padding) {
        this.inChannels = inChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.inWords = SignPacking.words(inChannels);
        this.windowWords = SignPacking.words(inChannels * kernel * kernel);
    }

    int windowWords() {
        return windowWords;
    }

    /**
     * For a window inside an image {@code w} pixels wide: per (tap, input word) the source offset from the
     * window's top-left pixel, the destination word in the window and the shift, so interior windows are
     * gathered without bounds tests or branches.
     */
    int[][] interiorPlan(int w) {
        int entries = kernel * kernel * inWords;
        int[] src = new int[entries];
        int[] dst = new int[entries];
        int[] shift = new int[entries];
        int e = 0;
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                for (int j = 0; j < inWords; j++) {
                    int b = (ky * kernel + kx) * inChannels + (j << 6);
                    src[e] = (ky * w + kx) * inWords + j;
                    dst[e] = b >>> 6;
                    shift[e] = b & 63;
                    e++;
                }
            }
        }
        return new int[][] {src, dst, shift};
    }

    /** Packs the window of every output pixel of row {@code oy} densely; padded taps stay zero (+1). */
    void gather(long[] packed, int img, int oy, int h, int w, int ow, long[] windows, int[][] plan) {
        Arrays.fill(windows, 0L);
        int iy0 = oy * stride - padding;
        boolean rowInside = iy0 >= 0 && iy0 + kernel <= h;
        int[] from = plan[0];
        int[] to = plan[1];
        int[] shift = plan[2];
        for (int ox = 0; ox < ow; ox++) {
            int ix0 = ox * stride - padding;
            int wb = ox * windowWords;
            if (rowInside && ix0 >= 0 && ix0 + kernel <= w) {
                int base = ((img * h + iy0) * w + ix0) * inWords;
                for (int e = 0; e < from.length; e++) {
                    long v = packed[base + from[e]];
                    int d = wb + to[e];
                    int sh = shift[e];
                    windows[d] |= v << sh;
                    windows[d + 1] |= (v >>> 1) >>> (63 - sh); // the bits shifted out; 0 when sh = 0
                }
                continue;
            }
            for (int ky = 0; ky < kernel; ky++) {
                int iy = iy0 + ky;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                int rowBase = (img * h + iy) * w;
                for (int kx = 0; kx < kernel; kx++) {
                    int ix = ix0 + kx;
                    if (ix < 0 || ix >= w) {
                        continue;
                    }
                    int src = (rowBase + ix) * inWords;
                    int bit = (ky * kernel + kx) * inChannels;
                    for (int j = 0; j < inWords; j++) {
                        long v = packed[src + j];
                        int b = bit + (j << 6);
                        int word = wb + (b >>> 6);
                        int sh = b & 63;
                        windows[word] |= v << sh;
                        if (sh != 0 && sh + Math.min(64, inChannels - (j << 6)) > 64) {
                            windows[word + 1] |= v >>> (64 - sh);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code sums[r·paddedOuts + o] = Σ_j bitCount(windows[r·words + j] ^ w_o[j])}, weights interleaved by 8 outputs for every window r and output o.
     * One window × eight outputs per pass: eight accumulators, one input word and one cache line of
     * interleaved weights per step; measured ~1.4× the two-rows × four-outputs kernel at these short
     * (5–18 word) windows, where the per-block overhead matters.
     */
    static void popcounts(long[] windows, int rows, long[] w, int paddedOuts, int words, int[] sums) {
        for (int r = 0; r < rows; r++) {
            int a0 = r * words;
            for (int o = 0; o < paddedOuts; o += BLOCK) {
                int wb = o * words;
                int s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (int j = 0; j < words; j++) {
                    long x = windows[a0 + j];
                    int q = wb + BLOCK * j;
                    s0 += Long.bitCount(x ^ w[q]);
                    s1 += Long.bitCount(x ^ w[q + 1]);
                    s2 += Long.bitCount(x ^ w[q + 2]);
                    s3 += Long.bitCount(x ^ w[q + 3]);
                    s4 += Long.bitCount(x ^ w[q + 4]);
                    s5 += Long.bitCount(x ^ w[q + 5]);
                    s6 += Long.bitCount(x ^ w[q + 6]);
                    s7 += Long.bitCount(x ^ w[q + 7]);
                }
                int p = r * paddedOuts + o;
                sums[p] = s0;
                sums[p + 1] = s1;
                sums[p + 2] = s2;
                sums[p + 3] = s3;
                sums[p + 4] = s4;
                sums[p + 5] = s5;
                sums[p + 6] = s6;
                sums[p + 7] = s7;
            }
        }
    }

    /**
     * Per output pixel {@code oy·ow + ox}: null where its window lies inside the image, else the
     * {@link #borderSums} corrections. They depend on the position and the weights only, so a forward finds
     * them once instead of once per image (at 8×8 nearly half the pixels are border pixels).
     */
    int[][] borderTable(int[] paddedTapValue, int outChannels, int oh, int ow, int h, int w) {
        int[][] table = new int[oh * ow][];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int[] corrected = new int[outChannels];
                if (!borderSums(corrected, paddedTapValue, outChannels, ox, oy, h, w)) {
                    table[oy * ow + ox] = corrected;
                }
            }
        }
        return table;
    }

    /**
     * Marks the pixels of row {@code oy} whose window lies inside the image and turns the popcounts of the
     * others into sums: {@code fanIn − 2·pc} minus the padded taps' +1 contributions ({@link #borderTable}).
     */
    static void bordersToSums(int[] sums, int paddedOuts, int[][] border, boolean[] interior, int oy, int ow) {
        for (int ox = 0; ox < ow; ox++) {
            int[] corrected = border[oy * ow + ox];
            interior[ox] = corrected == null;
            if (corrected != null) {
                int p = ox * paddedOuts;
                for (int o = 0; o < corrected.length; o++) {
                    sums[p + o] = corrected[o] - 2 * sums[p + o];
                }
            }
        }
    }

    /**
     * Whether output pixel (oy, ox)'s window lies inside the image; if not, {@code corrected[o]} becomes
     * {@code fanIn} minus what its padded taps' all-zero (+1) bits add ({@code paddedTapValue[tap·O + o]}), so that y = corrected − 2·pc.
     */
    boolean borderSums(int[] corrected, int[] paddedTapValue, int outChannels, int ox, int oy, int h, int w) {
        int iy0 = oy * stride - padding;
        int kyLo = Math.max(0, -iy0);
        int kyHi = Math.min(kernel, h - iy0);
        int ix0 = ox * stride - padding;
        int kxLo = Math.max(0, -ix0);
        int kxHi = Math.min(kernel, w - ix0);
        if (kyLo == 0 && kyHi == kernel && kxLo == 0 && kxHi == kernel) {
            return true;
        }
        Arrays.fill(corrected, inChannels * kernel * kernel);
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                if (ky < kyLo || ky >= kyHi || kx < kxLo || kx >= kxHi) {
                    int t = (ky * kernel + kx) * outChannels;
                    for (int o = 0; o < outChannels; o++) {
                        corrected[o] -= paddedTapValue[t + o];
                    }
                }
            }
        }
        return false;
    }
}
