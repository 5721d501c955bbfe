package org.bfabench.nn.xnor;

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
    private final PackedWeights weights;
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
    interface RowSink {
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
        this.weights = new PackedWeights(inChannels, outChannels, kernel, paddedOuts);
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
        weights.setAll(oihw);
    }

    /** Sets one weight's sign (after a bit flip); {@code flatIndex} is the OIHW flat index. */
    public void setWeight(int flatIndex, boolean positive) {
        weights.set(flatIndex, positive);
    }

    /** Whether the weight at OIHW {@code flatIndex} is +1. */
    public boolean isPositive(int flatIndex) {
        return weights.isPositive(flatIndex);
    }

    public int outHeight(int height) {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth(int width) {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /** Output channel o is +1 where {@code lo[o] <= y <= hi[o]}, else −1; packed for the next binary layer. */
    public PackedSigns forwardSigns(PackedSigns in, int[] lo, int[] hi) {
        return PackedConvOutputs.signs(this, in, lo, hi);
    }

    /** NCHW {@code out[n][o][y][x] = table[o·(2·fanIn + 1) + y + fanIn]}: any per-channel function of y. */
    public void forwardTable(PackedSigns in, float[] table, float[] out) {
        PackedConvOutputs.table(this, in, table, out);
    }

    /**
     * {@code forwardTable} followed by a {@code pool}×{@code pool} max-pool with stride {@code pool}, without
     * the full-size output: NCHW {@code out[n][o][py][px]} = max over the window of the table values, taken
     * in row-major order with a strict {@code >} (the first of equal values wins, as a max-pool that keeps
     * its first maximum does).
     */
    public void forwardTableMaxPool(PackedSigns in, float[] table, int pool, float[] out) {
        forwardTableMaxPool(in, table, new int[outChannels], pool, out);
    }

    /**
     * {@link #forwardTableMaxPool(PackedSigns, float[], int, float[])} with the table's {@link #tableOrder}
     * (computed once per table): ordered channels pool the integer sums and look up one value per window.
     * The same floats, bit for bit.
     */
    public void forwardTableMaxPool(PackedSigns in, float[] table, int[] order, int pool, float[] out) {
        PackedConvOutputs.tableMaxPool(this, in, table, order, pool, out);
    }

    /**
     * Per output channel of a {@link #forwardTable} table: +1 if non-decreasing in y, −1 if non-increasing,
     * 0 if neither or if it holds a NaN or both signed zeros (then pooling must compare the floats).
     */
    public int[] tableOrder(float[] table) {
        int span = 2 * fanIn + 1;
        if (table.length != outChannels * span) {
            throw new IllegalArgumentException("table needs " + outChannels * span + " entries, got " + table.length);
        }
        return PackedConvOutputs.tableOrder(table, outChannels, span);
    }

    /** NCHW exact sums y as floats. */
    public void forwardSums(PackedSigns in, float[] out) {
        PackedConvOutputs.sums(this, in, out);
    }

    /** Output channels rounded up to the 8-output block: the stride of one pixel's counts in a row. */
    int paddedOuts() {
        return paddedOuts;
    }

    RangeSplitter splitter() {
        return splitter;
    }

    boolean usesVectorKernel() {
        return vector;
    }

    /** {@link #forwardSigns} with the decisions taken inside the vector kernel, never storing a count. */
    void runSignsVector(PackedSigns in, long[][] bounds, long[] out, int oh, int ow, int outWords) {
        checkInput(in);
        int h = in.height();
        int w = in.width();
        long[] packed = in.bits();
        long[] bits = weights.bits();
        int[][] border = windowsOf.borderTable(weights.paddedTapValue(), outChannels, oh, ow, h, w);
        splitter.run(in.n() * oh, (long) ow * outChannels * windowWords, (from, to) -> {
            long[] windows = new long[ow * windowWords + 1]; // +1: the branch-free spill write of the last window
            int[][] plan = windowsOf.interiorPlan(w);
            long[] corr = new long[ow * paddedOuts];
            boolean[] interior = new boolean[ow];
            for (int row = from; row < to; row++) {
                int img = row / oh;
                int oy = row % oh;
                windowsOf.gather(packed, img, oy, h, w, ow, windows, plan);
                for (int ox = 0; ox < ow; ox++) {
                    int[] corrected = border[oy * ow + ox];
                    interior[ox] = corrected == null;
                    if (!interior[ox]) {
                        for (int o = 0; o < outChannels; o++) {
                            corr[ox * paddedOuts + o] = corrected[o];
                        }
                    }
                }
                VectorPopcounts.signBits(windows, ow, bits, paddedOuts, windowWords, interior, corr, bounds, out,
                        row * ow * outWords, outWords);
            }
        });
    }

    private void checkInput(PackedSigns in) {
        if (in.channels() != inChannels || in.height() + 2 * padding < kernel || in.width() + 2 * padding < kernel) {
            throw new IllegalArgumentException("PackedConv2d " + inChannels + "→" + outChannels + " k" + kernel
                    + " got " + in.channels() + "×" + in.height() + "×" + in.width());
        }
    }

    void run(PackedSigns in, RowSink sink) {
        run(in, 1, sink);
    }

    /**
     * Runs every output row through {@code sink}; rows come in units of {@code group} consecutive rows of one
     * image, each unit on one thread in order (rows past the last whole unit are skipped).
     */
    void run(PackedSigns in, int group, RowSink sink) {
        checkInput(in);
        int h = in.height();
        int w = in.width();
        int oh = outHeight(h);
        int ow = outWidth(w);
        long[] packed = in.bits();
        long[] bits = weights.bits();
        int[][] border = windowsOf.borderTable(weights.paddedTapValue(), outChannels, oh, ow, h, w);
        int units = oh / group;
        splitter.run(in.n() * units, (long) group * ow * outChannels * windowWords, (from, to) -> {
            long[] windows = new long[ow * windowWords + 1]; // +1: the branch-free spill write of the last window
            int[][] plan = windowsOf.interiorPlan(w);
            int[] sums = new int[ow * paddedOuts];
            long[] tmp = new long[BLOCK];
            boolean[] interior = new boolean[ow];
            for (int row = from * group; row < to * group; row++) {
                int img = row / group / units;
                int oy = row / group % units * group + row % group;
                windowsOf.gather(packed, img, oy, h, w, ow, windows, plan);
                if (vector) {
                    VectorPopcounts.popcounts(windows, ow, bits, paddedOuts, windowWords, sums, tmp);
                } else {
                    PackedWindows.popcounts(windows, ow, bits, paddedOuts, windowWords, sums);
                }
                PackedWindows.bordersToSums(sums, paddedOuts, border, interior, oy, ow);
                sink.accept(img, oy, sums, interior);
            }
        });
    }
}
