package org.bfabench.nn.xnor;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * Binary 2-D convolution of {@link PackedSigns} by XNOR-popcount (XNOR-Net, Rastegari et al. 2016,
 * §3.2; RA-BNN, Rakin et al. 2021, §3), for chains of binary layers whose activations never leave the
 * bit domain. Each output is the exact integer {@code y = Σ sign(x)·w} over the taps inside the image
 * (zero padding contributes 0), as a float convolution of sign(x) with sign(W) computes it; what
 * happens to y next is the caller's choice: a per-channel ±1 decision packed again
 * ({@link #forwardSigns}), a per-channel table of floats ({@link #forwardTable}), or y itself.
 *
 * <p>Unlike {@link XnorConv2d}, a k×k window is packed densely: tap t's channels occupy bits
 * {@code [t·C, (t+1)·C)} of one bit string, so a 3×3 window of 32 channels takes 5 words instead of 9
 * (16 channels: 3 instead of 9). Padded taps are zero bits (+1) and corrected per border pixel as in
 * {@link XnorConv2d}.
 *
 * <p>Threads and thread-safety as {@link XnorConv2d}: output rows are split over a {@link ForkJoinPool};
 * forwards only read the weights; weight updates must not overlap a forward.
 */
public final class PackedConv2d {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int fanIn;
    private final int windowWords;
    /** Output channels rounded up to a multiple of {@link #BLOCK}; the padding rows are all +1 and unused. */
    private final int paddedOuts;
    /**
     * Bit {@code b = tap·C + c} of output o's bit string at word {@code ((o/8)·windowWords + b/64)·8 + o%8},
     * bit {@code b % 64}; 1 = −1. Eight output channels' words interleave so the kernel reads them from
     * one cache line per input word.
     */
    private final long[] weights;
    /** [tap][o] = C − 2·(−1 weights of that tap): what an all-+1 padded tap wrongly adds. */
    private final int[] paddedTapValue;
    private final RangeSplitter splitter;
    private final PackedWindows windowsOf;
    /** Whether popcounts run on {@link VectorPopcounts} rather than the scalar kernel. */
    private final boolean vector;
    private static final int BLOCK = 8;

    /**
     * Whether {@link VectorPopcounts} can run in this JVM: the {@code jdk.incubator.vector} module is
     * resolved ({@code --add-modules jdk.incubator.vector}) and vectors are 512 bits wide.
     */
    public static final boolean VECTOR_KERNEL = vectorKernelAvailable();

    private static boolean vectorKernelAvailable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorPopcounts.usable();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Receives one output row: {@code counts[ox·paddedOuts + o]} is the popcount pc where
     * {@code interior[ox]} (so y = fanIn − 2·pc) and the sum y itself at border pixels.
     */
    @FunctionalInterface
    private interface RowSink {
        void accept(int img, int oy, int[] counts, boolean[] interior);
    }

    /** A layer with all weights +1, run on the common pool. */
    public PackedConv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding,
                new RangeSplitter(ForkJoinPool.commonPool(), RangeSplitter.DEFAULT_GRAIN), VECTOR_KERNEL);
    }

    /** {@code vector}: use the vector kernel if {@link #VECTOR_KERNEL} allows it (tests run both). */
    PackedConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, RangeSplitter splitter,
            boolean vector) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("PackedConv2d needs inChannels, outChannels, kernel, stride >= 1 and"
                    + " padding >= 0, got " + inChannels + ", " + outChannels + ", " + kernel + ", " + stride + ", "
                    + padding);
        }
        long fan = (long) inChannels * kernel * kernel;
        if (fan > (1 << 24) || (long) outChannels * SignPacking.words((int) fan) * 64 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PackedConv2d fan-in " + fan + " × " + outChannels + " is too large");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.fanIn = (int) fan;
        this.windowWords = SignPacking.words(fanIn);
        this.paddedOuts = (outChannels + BLOCK - 1) / BLOCK * BLOCK;
        this.weights = new long[Math.multiplyExact(paddedOuts, windowWords)];
        this.paddedTapValue = new int[outChannels * kernel * kernel];
        Arrays.fill(paddedTapValue, inChannels);
        this.splitter = splitter;
        this.windowsOf = new PackedWindows(inChannels, kernel, stride, padding);
        this.vector = vector && VECTOR_KERNEL;
    }

    /** Fan-in k²·C: outputs lie in [−fanIn, fanIn]. */
    public int fanIn() {
        return fanIn;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Weights in OIHW order; weight >= 0 (including ±0) → +1, weight < 0 → −1. */
    public void setWeights(float[] oihw) {
        if (oihw.length != outChannels * fanIn) {
            throw new IllegalArgumentException("PackedConv2d needs " + outChannels * fanIn + " OIHW weights, got "
                    + oihw.length);
        }
        Arrays.fill(weights, 0L);
        for (int i = 0; i < oihw.length; i++) {
            if (SignPacking.negativeBit(oihw[i]) != 0L) {
                weights[wordOf(i)] |= 1L << bitOf(i);
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
        int word = wordOf(flatIndex);
        if (positive) {
            weights[word] &= ~(1L << bitOf(flatIndex));
        } else {
            weights[word] |= 1L << bitOf(flatIndex);
        }
        int taps = kernel * kernel;
        refreshPaddedTap(flatIndex / fanIn, flatIndex % taps);
    }

    /** Whether the weight at OIHW {@code flatIndex} is +1. */
    public boolean isPositive(int flatIndex) {
        return (weights[wordOf(flatIndex)] >>> bitOf(flatIndex) & 1L) == 0L;
    }

    public int outHeight(int height) {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth(int width) {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /**
     * Output channel o is +1 where {@code lo[o] <= y <= hi[o]}, else −1; packed for the next binary layer.
     * Interior pixels compare the popcount itself with the equivalent bounds, so y is never formed there.
     */
    public PackedSigns forwardSigns(PackedSigns in, int[] lo, int[] hi) {
        int oh = outHeight(in.height());
        int ow = outWidth(in.width());
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
        if (vector) {
            // padding outputs get an all-inclusive interval, so their −1 bits stay 0
            long[][] bounds = new long[4][paddedOuts];
            for (int o = 0; o < paddedOuts; o++) {
                boolean real = o < outChannels;
                bounds[0][o] = real ? pcLo[o] : Integer.MIN_VALUE;
                bounds[1][o] = real ? pcHi[o] : Integer.MAX_VALUE;
                bounds[2][o] = real ? lo[o] : Integer.MIN_VALUE;
                bounds[3][o] = real ? hi[o] : Integer.MAX_VALUE;
            }
            runSignsVector(in, bounds, out, oh, ow, outWords);
            return new PackedSigns(out, in.n(), outChannels, oh, ow);
        }
        run(in, (img, oy, counts, interior) -> {
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

    /** {@link #forwardSigns} with the decisions taken inside the vector kernel, never storing a count. */
    private void runSignsVector(PackedSigns in, long[][] bounds, long[] out, int oh, int ow, int outWords) {
        checkInput(in);
        int h = in.height();
        int w = in.width();
        long[] packed = in.bits();
        splitter.run(in.n() * oh, (long) ow * outChannels * windowWords, (from, to) -> {
            long[] windows = new long[ow * windowWords + 1]; // +1: the branch-free spill write of the last window
            int[][] plan = windowsOf.interiorPlan(w);
            long[] corr = new long[ow * paddedOuts];
            int[] corrected = new int[outChannels];
            boolean[] interior = new boolean[ow];
            for (int row = from; row < to; row++) {
                int img = row / oh;
                int oy = row % oh;
                windowsOf.gather(packed, img, oy, h, w, ow, windows, plan);
                for (int ox = 0; ox < ow; ox++) {
                    interior[ox] = windowsOf.borderSums(corrected, paddedTapValue, outChannels, ox, oy, h, w);
                    if (!interior[ox]) {
                        for (int o = 0; o < outChannels; o++) {
                            corr[ox * paddedOuts + o] = corrected[o];
                        }
                    }
                }
                VectorPopcounts.signBits(windows, ow, weights, paddedOuts, windowWords, interior, corr, bounds, out,
                        row * ow * outWords, outWords);
            }
        });
    }

    /** NCHW {@code out[n][o][y][x] = table[o·(2·fanIn + 1) + y + fanIn]}: any per-channel function of y. */
    public void forwardTable(PackedSigns in, float[] table, float[] out) {
        int span = 2 * fanIn + 1;
        if (table.length != outChannels * span) {
            throw new IllegalArgumentException("table needs " + outChannels * span + " entries, got " + table.length);
        }
        int oh = outHeight(in.height());
        int ow = outWidth(in.width());
        checkOut(in, out, oh, ow);
        run(in, (img, oy, counts, interior) -> {
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
     * {@code forwardTable} followed by a {@code pool}×{@code pool} max-pool with stride {@code pool}, without
     * the full-size output: NCHW {@code out[n][o][py][px]} = max over the window of the table values, taken
     * in row-major order with a strict {@code >} (the first of equal values wins, as a max-pool that keeps
     * its first maximum does).
     */
    public void forwardTableMaxPool(PackedSigns in, float[] table, int pool, float[] out) {
        int span = 2 * fanIn + 1;
        int oh = outHeight(in.height());
        int ow = outWidth(in.width());
        int ph = oh / pool;
        int pw = ow / pool;
        if (table.length != outChannels * span || pool < 1 || ph < 1 || pw < 1
                || out.length != (long) in.n() * outChannels * ph * pw) {
            throw new IllegalArgumentException("pooled table output of " + oh + "×" + ow + " by " + pool
                    + " needs a table of " + outChannels * span + " and an output of "
                    + (long) in.n() * outChannels * ph * pw);
        }
        run(in, pool, (img, oy, counts, interior) -> {
            int a = oy % pool;
            for (int o = 0; o < outChannels; o++) {
                int dst = ((img * outChannels + o) * ph + oy / pool) * pw;
                int t = o * span + fanIn;
                for (int px = 0; px < pw; px++) {
                    int b = a == 0 ? 1 : 0;
                    float acc = a == 0 ? table[t + sum(counts, interior, px * pool, o)] : out[dst + px];
                    for (; b < pool; b++) {
                        float v = table[t + sum(counts, interior, px * pool + b, o)];
                        if (v > acc) {
                            acc = v;
                        }
                    }
                    out[dst + px] = acc;
                }
            }
        });
    }

    private int sum(int[] counts, boolean[] interior, int ox, int o) {
        int c = counts[ox * paddedOuts + o];
        return interior[ox] ? fanIn - 2 * c : c;
    }

    /** NCHW exact sums y as floats. */
    public void forwardSums(PackedSigns in, float[] out) {
        int oh = outHeight(in.height());
        int ow = outWidth(in.width());
        checkOut(in, out, oh, ow);
        run(in, (img, oy, counts, interior) -> {
            for (int o = 0; o < outChannels; o++) {
                int dst = ((img * outChannels + o) * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    int c = counts[ox * paddedOuts + o];
                    out[dst + ox] = interior[ox] ? fanIn - 2 * c : c;
                }
            }
        });
    }

    private void checkOut(PackedSigns in, float[] out, int oh, int ow) {
        if (out.length != (long) in.n() * outChannels * oh * ow) {
            throw new IllegalArgumentException("output needs " + (long) in.n() * outChannels * oh * ow
                    + " floats, got " + out.length);
        }
    }

    private void run(PackedSigns in, RowSink sink) {
        run(in, 1, sink);
    }

    /**
     * Runs every output row through {@code sink}; rows come in units of {@code group} consecutive rows of one
     * image, each unit on one thread in order (rows past the last whole unit are skipped).
     */
    private void checkInput(PackedSigns in) {
        if (in.channels() != inChannels || in.height() + 2 * padding < kernel || in.width() + 2 * padding < kernel) {
            throw new IllegalArgumentException("PackedConv2d " + inChannels + "→" + outChannels + " k" + kernel
                    + " got " + in.channels() + "×" + in.height() + "×" + in.width());
        }
    }

    private void run(PackedSigns in, int group, RowSink sink) {
        checkInput(in);
        int h = in.height();
        int w = in.width();
        int oh = outHeight(h);
        int ow = outWidth(w);
        long[] packed = in.bits();
        int units = oh / group;
        splitter.run(in.n() * units, (long) group * ow * outChannels * windowWords, (from, to) -> {
            long[] windows = new long[ow * windowWords + 1]; // +1: the branch-free spill write of the last window
            int[][] plan = windowsOf.interiorPlan(w);
            int[] sums = new int[ow * paddedOuts];
            int[] corrected = new int[outChannels];
            long[] tmp = new long[BLOCK];
            boolean[] interior = new boolean[ow];
            for (int row = from * group; row < to * group; row++) {
                int img = row / group / units;
                int oy = row / group % units * group + row % group;
                windowsOf.gather(packed, img, oy, h, w, ow, windows, plan);
                if (vector) {
                    VectorPopcounts.popcounts(windows, ow, weights, paddedOuts, windowWords, sums, tmp);
                } else {
                    PackedWindows.popcounts(windows, ow, weights, paddedOuts, windowWords, sums);
                }
                windowsOf.bordersToSums(sums, paddedOuts, corrected, paddedTapValue, interior, oy, h, w, ow);
                sink.accept(img, oy, sums, interior);
            }
        });
    }

    private void refreshPaddedTap(int o, int tap) {
        int negatives = 0;
        for (int c = 0; c < inChannels; c++) {
            int b = tap * inChannels + c;
            negatives += (int) (weights[word(o, b)] >>> b & 1L);
        }
        paddedTapValue[tap * outChannels + o] = inChannels - 2 * negatives;
    }

    private int word(int o, int b) {
        return ((o >>> 3) * windowWords + (b >>> 6)) * BLOCK + (o & 7);
    }

    /** Index in {@link #weights} of the word holding OIHW weight {@code flatIndex}. */
    private int wordOf(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= outChannels * fanIn) {
            throw new IndexOutOfBoundsException("PackedConv2d has no weight " + flatIndex);
        }
        return word(flatIndex / fanIn, bitOf(flatIndex));
    }

    /** Position {@code tap·C + c} of OIHW weight {@code flatIndex} in its output channel's bit string. */
    private int bitOf(int flatIndex) {
        int taps = kernel * kernel;
        return flatIndex % taps * inChannels + flatIndex / taps % inChannels;
    }
}
