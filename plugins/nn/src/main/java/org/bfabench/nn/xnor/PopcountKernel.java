package org.bfabench.nn.xnor;

/**
 * The inner loop shared by {@link XnorConv2d} and {@link XnorLinear}: XOR-popcounts of packed sign
 * vectors against packed weight rows.
 *
 * <p>Register-blocked two input vectors × four weight rows: each pass loads 2 + 4 words for 8
 * popcounts, instead of 2 words per popcount, which keeps the loop bound by POPCNT/ALU throughput
 * rather than by loads. Stateless, so safe to call from any number of threads.
 */
final class PopcountKernel {

    private PopcountKernel() {
    }

    /** Weight rows per tile are capped so a tile (≤ 16 KiB) stays in L1 while every input row passes. */
    private static final int TILE_WORDS = 2048;

    /**
     * Writes {@code pc[r·rowStride + o·outStride] = Σ_j bitCount(a[aOff + r·words + j] ^ w[o·words + j])}
     * for every {@code r < rows} and {@code o < outs}.
     */
    static void xorPopcounts(long[] a, int aOff, int rows, long[] w, int outs, int words, int[] pc, int rowStride,
            int outStride) {
        int tile = Math.max(4, (TILE_WORDS / Math.max(1, words)) & ~3);
        for (int o0 = 0; o0 < outs; o0 += tile) {
            int tileOuts = Math.min(tile, outs - o0);
            int r = 0;
            for (; r + 2 <= rows; r += 2) {
                twoRows(a, aOff + r * words, w, o0, tileOuts, words, pc, r * rowStride + o0 * outStride, rowStride,
                        outStride);
            }
            if (r < rows) {
                oneRow(a, aOff + r * words, w, o0, tileOuts, words, pc, r * rowStride + o0 * outStride, outStride);
            }
        }
    }

    private static void twoRows(long[] a, int a0, long[] w, int firstOut, int outs, int words, int[] pc,
            int p0, int rowStride, int os) {
        int a1 = a0 + words;
        int p1 = p0 + rowStride;
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            int w0 = (firstOut + o) * words;
            int w1 = w0 + words;
            int w2 = w1 + words;
            int w3 = w2 + words;
            int s00 = 0, s01 = 0, s02 = 0, s03 = 0;
            int s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            for (int j = 0; j < words; j++) {
                long x0 = a[a0 + j];
                long x1 = a[a1 + j];
                long y = w[w0 + j];
                s00 += Long.bitCount(x0 ^ y);
                s10 += Long.bitCount(x1 ^ y);
                y = w[w1 + j];
                s01 += Long.bitCount(x0 ^ y);
                s11 += Long.bitCount(x1 ^ y);
                y = w[w2 + j];
                s02 += Long.bitCount(x0 ^ y);
                s12 += Long.bitCount(x1 ^ y);
                y = w[w3 + j];
                s03 += Long.bitCount(x0 ^ y);
                s13 += Long.bitCount(x1 ^ y);
            }
            pc[p0 + o * os] = s00;
            pc[p0 + (o + 1) * os] = s01;
            pc[p0 + (o + 2) * os] = s02;
            pc[p0 + (o + 3) * os] = s03;
            pc[p1 + o * os] = s10;
            pc[p1 + (o + 1) * os] = s11;
            pc[p1 + (o + 2) * os] = s12;
            pc[p1 + (o + 3) * os] = s13;
        }
        for (; o < outs; o++) {
            int w0 = (firstOut + o) * words;
            int s0 = 0, s1 = 0;
            for (int j = 0; j < words; j++) {
                long y = w[w0 + j];
                s0 += Long.bitCount(a[a0 + j] ^ y);
                s1 += Long.bitCount(a[a1 + j] ^ y);
            }
            pc[p0 + o * os] = s0;
            pc[p1 + o * os] = s1;
        }
    }

    private static void oneRow(long[] a, int a0, long[] w, int firstOut, int outs, int words, int[] pc, int p0,
            int os) {
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            int w0 = (firstOut + o) * words;
            int w1 = w0 + words;
            int w2 = w1 + words;
            int w3 = w2 + words;
            int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int j = 0; j < words; j++) {
                long x = a[a0 + j];
                s0 += Long.bitCount(x ^ w[w0 + j]);
                s1 += Long.bitCount(x ^ w[w1 + j]);
                s2 += Long.bitCount(x ^ w[w2 + j]);
                s3 += Long.bitCount(x ^ w[w3 + j]);
            }
            pc[p0 + o * os] = s0;
            pc[p0 + (o + 1) * os] = s1;
            pc[p0 + (o + 2) * os] = s2;
            pc[p0 + (o + 3) * os] = s3;
        }
        for (; o < outs; o++) {
            int w0 = (firstOut + o) * words;
            int s = 0;
            for (int j = 0; j < words; j++) {
                s += Long.bitCount(a[a0 + j] ^ w[w0 + j]);
            }
            pc[p0 + o * os] = s;
        }
    }
}
