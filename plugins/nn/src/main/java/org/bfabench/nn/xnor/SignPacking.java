package org.bfabench.nn.xnor;

/**
 * Packs float signs into 64-bit words: bit 1 means −1 ({@code x < 0} or NaN), bit 0 means +1
 * ({@code x >= 0}, so both 0.0 and −0.0 are +1, matching sign(0) = +1 of the float path). Unused high
 * bits of a vector's last word stay 0 in inputs and weights alike, so they XOR to 0 and never count.
 */
final class SignPacking {

    private SignPacking() {
    }

    /** Longs needed for {@code bits} sign bits. */
    static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    /** 1 for −1, 0 for +1; written as a comparison so −0.0 counts as +1 (its sign bit is set). */
    static long negativeBit(float x) {
        return x >= 0f ? 0L : 1L;
    }

    /**
     * Packs images {@code [from, to)} of an NCHW array into {@code dst} laid out [n][y][x][words],
     * channel c at bit {@code c % 64} of word {@code c / 64}; {@code dst} must be zero there. Channel-major
     * reads keep the float input streaming sequentially; the scattered ORs hit one image's packed plane,
     * which stays in L1/L2.
     */
    static void packNchw(float[] in, int channels, int plane, int words, int from, int to, long[] dst) {
        for (int img = from; img < to; img++) {
            int dstBase = img * plane * words;
            for (int c = 0; c < channels; c++) {
                int src = (img * channels + c) * plane;
                int d = dstBase + (c >>> 6);
                for (int p = 0; p < plane; p++) {
                    dst[d + p * words] |= negativeBit(in[src + p]) << c;
                }
            }
        }
    }

    /** Packs rows {@code [from, to)} of a row-major [n][features] array into {@code dst} laid out [n][words]. */
    static void packRows(float[] in, int features, int words, int from, int to, long[] dst) {
        for (int r = from; r < to; r++) {
            int src = r * features;
            int d = r * words;
            for (int wi = 0; wi < words; wi++) {
                int c0 = wi << 6;
                int len = Math.min(64, features - c0);
                long bits = 0L;
                for (int b = 0; b < len; b++) {
                    bits |= negativeBit(in[src + c0 + b]) << b;
                }
                dst[d + wi] = bits;
            }
        }
    }
}
