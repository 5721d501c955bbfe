package org.bfabench.nn.xnor;

/**
 * What {@link PackedConv2d} makes of its exact sums y (XNOR-Net, Rastegari et al. 2016, §3.2; RA-BNN,
 * Rakin et al. 2021, §3): per-channel ±1 decisions packed again for the next binary layer, a per-channel
 * table of floats (optionally with a max-pool folded in), or y itself. The conv hands each output row over
 * as popcounts pc at interior pixels (y = fanIn − 2·pc) and as sums y at border pixels; the paths here turn
 * that row straight into the result, so no full-size intermediate is built.
 */
final class PackedConvOutputs {
    private PackedConvOutputs() {
    }

    /**
     * {@link PackedConv2d#forwardSigns}. Interior pixels compare the popcount itself with the equivalent
     * bounds, so y is never formed there.
     */
    static PackedSigns signs(PackedConv2d conv, PackedSigns in, int[] lo, int[] hi) {
        int fanIn = conv.fanIn();
        int outChannels = conv.outChannels();
        int paddedOuts = conv.paddedOuts();
        int oh = conv.outHeight(in.height());
        int ow = conv.outWidth(in.width());
        int outWords = SignPacking.words(outChannels);
        long[] out = new long[Math.multiplyExact(Math.multiplyExact(in.n(), oh * ow), outWords)];
        int[] yLo = lo.clone();
        int[] yHi = hi.clone();
        // lo ≤ fanIn − 2·pc ≤ hi  ⟺  ⌈(fanIn − hi)/2⌉ ≤ pc ≤ ⌊(fanIn − lo)/2⌋ (an empty interval stays empty)
        int[] pcLo = new int[outChannels];
        int[] pcHi = new int[outChannels];
        for (int o = 0; o < outChannels; o++) {
            pcLo[o] = -Math.floorDiv(hi[o] - fanIn, 2);
            pcHi[o] = Math.floorDiv(fanIn - lo[o], 2);
        }
        if (conv.usesVectorKernel()) {
            // padding outputs get an all-inclusive interval, so their −1 bits stay 0
            long[][] bounds = new long[4][paddedOuts];
            for (int o = 0; o < paddedOuts; o++) {
                boolean real = o < outChannels;
                bounds[0][o] = real ? pcLo[o] : Integer.MIN_VALUE;
                bounds[1][o] = real ? pcHi[o] : Integer.MAX_VALUE;
                bounds[2][o] = real ? lo[o] : Integer.MIN_VALUE;
                bounds[3][o] = real ? hi[o] : Integer.MAX_VALUE;
            }
            conv.runSignsVector(in, bounds, out, oh, ow, outWords);
            return new PackedSigns(out, in.n(), outChannels, oh, ow);
        }
        conv.run(in, (img, oy, counts, interior) -> {
            for (int ox = 0; ox < ow; ox++) {
                int p = ox * paddedOuts;
                int dst = ((img * oh + oy) * ow + ox) * outWords;
                int[] l = interior[ox] ? pcLo : yLo;
                int[] h = interior[ox] ? pcHi : yHi;
                for (int j = 0; j < outWords; j++) {
                    long acc = 0L;
                    for (int o = j << 6, end = Math.min(outChannels, o + 64); o < end; o++) {
                        int v = counts[p + o];
                        acc |= (long) (((v - l[o]) | (h[o] - v)) >>> 31) << o;
                    }
                    out[dst + j] = acc;
                }
            }
        });
        return new PackedSigns(out, in.n(), outChannels, oh, ow);
    }

    /** {@link PackedConv2d#forwardTable}. */
    static void table(PackedConv2d conv, PackedSigns in, float[] table, float[] out) {
        int fanIn = conv.fanIn();
        int outChannels = conv.outChannels();
        int paddedOuts = conv.paddedOuts();
        int span = 2 * fanIn + 1;
        if (table.length != outChannels * span) {
            throw new IllegalArgumentException("table needs " + outChannels * span + " entries, got " + table.length);
        }
        int oh = conv.outHeight(in.height());
        int ow = conv.outWidth(in.width());
        checkOut(in, outChannels, out, oh, ow);
        conv.run(in, (img, oy, counts, interior) -> {
            for (int o = 0; o < outChannels; o++) {
                int dst = ((img * outChannels + o) * oh + oy) * ow;
                int t = o * span + fanIn;
                for (int ox = 0; ox < ow; ox++) {
                    int c = counts[ox * paddedOuts + o];
                    out[dst + ox] = table[t + (interior[ox] ? fanIn - 2 * c : c)];
                }
            }
        });
    }

    /**
     * Per channel of a {@link PackedConv2d#forwardTable} table: +1 where it is non-decreasing in y, −1
     * where non-increasing, 0 where neither, where it holds a NaN, or where it holds both +0 and −0. A
     * max-pool of such a channel's values is then the value at the window's largest (smallest) y, bit for
     * bit: that value is a maximum, and a max-pool that keeps its first maximum returns a value equal to it,
     * which has the same bits since the only equal floats with different bits are +0 and −0.
     */
    static int[] tableOrder(float[] table, int channels, int span) {
        int[] order = new int[channels];
        for (int c = 0; c < channels; c++) {
            boolean up = true;
            boolean down = true;
            boolean plusZero = false;
            boolean minusZero = false;
            float prev = table[c * span];
            for (int i = 0; i < span; i++) {
                float v = table[c * span + i];
                up &= prev <= v; // false for a NaN on either side
                down &= prev >= v;
                if (v == 0f) {
                    plusZero |= Float.floatToRawIntBits(v) == 0;
                    minusZero |= Float.floatToRawIntBits(v) != 0;
                }
                prev = v;
            }
            order[c] = plusZero && minusZero ? 0 : up ? 1 : down ? -1 : 0;
        }
        return order;
    }

    /**
     * {@link PackedConv2d#forwardTableMaxPool}. Rows arrive in whole pool windows, in order on one thread,
     * so a window's running maximum can live in the output arrays between its rows. Channels with an
     * {@code order} (see {@link #tableOrder}) pool the integer sums and look the table up once per window
     * afterwards, plane by plane, instead of once per pixel in channel-strided order; the others pool the
     * table values with a strict {@code >}.
     */
    static void tableMaxPool(PackedConv2d conv, PackedSigns in, float[] table, int[] order, int pool, float[] out) {
        int fanIn = conv.fanIn();
        int outChannels = conv.outChannels();
        int paddedOuts = conv.paddedOuts();
        int span = 2 * fanIn + 1;
        int oh = conv.outHeight(in.height());
        int ow = conv.outWidth(in.width());
        int ph = oh / pool;
        int pw = ow / pool;
        if (table.length != outChannels * span || order.length != outChannels || pool < 1 || ph < 1 || pw < 1
                || out.length != (long) in.n() * outChannels * ph * pw) {
            throw new IllegalArgumentException("pooled table output of " + oh + "×" + ow + " by " + pool
                    + " needs a table of " + outChannels * span + ", an order per channel and an output of "
                    + (long) in.n() * outChannels * ph * pw);
        }
        boolean ordered = false;
        for (int v : order) {
            ordered |= v != 0;
        }
        // order·y, maximized: the window's largest y for +1, the smallest for −1
        int[] extreme = ordered ? new int[out.length] : null;
        conv.run(in, pool, (img, oy, counts, interior) -> {
            int a = oy % pool;
            for (int o = 0; o < outChannels; o++) {
                int dst = ((img * outChannels + o) * ph + oy / pool) * pw;
                int ord = order[o];
                if (ord != 0) {
                    for (int px = 0; px < pw; px++) {
                        int e = a == 0 ? Integer.MIN_VALUE : extreme[dst + px];
                        for (int b = 0; b < pool; b++) {
                            e = Math.max(e, ord * sum(counts, interior, px * pool + b, o, paddedOuts, fanIn));
                        }
                        extreme[dst + px] = e;
                    }
                    continue;
                }
                int t = o * span + fanIn;
                for (int px = 0; px < pw; px++) {
                    int b = a == 0 ? 1 : 0;
                    float acc = a == 0 ? table[t + sum(counts, interior, px * pool, o, paddedOuts, fanIn)]
                            : out[dst + px];
                    for (; b < pool; b++) {
                        float v = table[t + sum(counts, interior, px * pool + b, o, paddedOuts, fanIn)];
                        if (v > acc) {
                            acc = v;
                        }
                    }
                    out[dst + px] = acc;
                }
            }
        });
        if (ordered) {
            int plane = ph * pw;
            conv.splitter().run(in.n() * outChannels, plane, (from, to) -> {
                for (int q = from; q < to; q++) {
                    int o = q % outChannels;
                    int ord = order[o];
                    if (ord != 0) {
                        int t = o * span + fanIn;
                        for (int i = q * plane, end = i + plane; i < end; i++) {
                            out[i] = table[t + ord * extreme[i]];
                        }
                    }
                }
            });
        }
    }

    private static int sum(int[] counts, boolean[] interior, int ox, int o, int paddedOuts, int fanIn) {
        int c = counts[ox * paddedOuts + o];
        return interior[ox] ? fanIn - 2 * c : c;
    }

    /** {@link PackedConv2d#forwardSums}. */
    static void sums(PackedConv2d conv, PackedSigns in, float[] out) {
        int fanIn = conv.fanIn();
        int outChannels = conv.outChannels();
        int paddedOuts = conv.paddedOuts();
        int oh = conv.outHeight(in.height());
        int ow = conv.outWidth(in.width());
        checkOut(in, outChannels, out, oh, ow);
        conv.run(in, (img, oy, counts, interior) -> {
            for (int o = 0; o < outChannels; o++) {
                int dst = ((img * outChannels + o) * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    int c = counts[ox * paddedOuts + o];
                    out[dst + ox] = interior[ox] ? fanIn - 2 * c : c;
                }
            }
        });
    }

    private static void checkOut(PackedSigns in, int outChannels, float[] out, int oh, int ow) {
        if (out.length != (long) in.n() * outChannels * oh * ow) {
            throw new IllegalArgumentException("output needs " + (long) in.n() * outChannels * oh * ow
                    + " floats, got " + out.length);
        }
    }
}
