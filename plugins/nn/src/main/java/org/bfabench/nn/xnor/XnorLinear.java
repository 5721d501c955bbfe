package org.bfabench.nn.xnor;

import java.util.concurrent.ForkJoinPool;

/**
 * Binary fully connected layer by XNOR-popcount (XNOR-Net, Rastegari et al. 2016, §3.2; RA-BNN,
 * Rakin et al. 2021, §3): {@code output[r][o] = Σ_i sign(input[r][i])·w[o][i]}, an exact integer
 * returned as a float, bit-identical to the float product of sign(x) with the ±1 weight matrix.
 *
 * <p>Threads and thread-safety as {@link XnorConv2d}: batch rows are split across a {@link
 * ForkJoinPool} (the common pool by default, with the caller joining in); concurrent {@link #forward}
 * calls are safe, weight updates must not overlap a forward.
 */
public final class XnorLinear {

    private final int inFeatures;
    private final int outFeatures;
    private final int words;
    /** [out][words]; bit 1 = −1. */
    private final long[] weights;
    private final RangeSplitter splitter;

    /** A layer with all weights +1, run on the common pool. */
    public XnorLinear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, ForkJoinPool.commonPool());
    }

    /** A layer with all weights +1 whose forward passes run in {@code pool}. */
    public XnorLinear(int inFeatures, int outFeatures, ForkJoinPool pool) {
        this(inFeatures, outFeatures, new RangeSplitter(pool, RangeSplitter.DEFAULT_GRAIN));
    }

    XnorLinear(int inFeatures, int outFeatures, RangeSplitter splitter) {
        if (inFeatures < 1 || outFeatures < 1 || inFeatures > (1 << 24)
                || (long) inFeatures * outFeatures > Integer.MAX_VALUE) {
            // beyond 2^24 inputs the integer sums would no longer be exact in float
            throw new IllegalArgumentException("XnorLinear needs 1 <= inFeatures <= 2^24 and outFeatures >= 1 with"
                    + " in × out < 2^31, got " + inFeatures + " × " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.words = SignPacking.words(inFeatures);
        this.weights = new long[Math.multiplyExact(outFeatures, words)];
        this.splitter = splitter;
    }

    /** Weights [out][in] row-major; weight >= 0 (including ±0) → +1, weight < 0 → −1. */
    public void setWeights(float[] outIn) {
        if (outIn.length != inFeatures * outFeatures) {
            throw new IllegalArgumentException("XnorLinear " + inFeatures + "→" + outFeatures + " needs "
                    + inFeatures * outFeatures + " weights, got " + outIn.length);
        }
        SignPacking.packRows(outIn, inFeatures, words, 0, outFeatures, weights);
    }

    /** Sets one weight's sign (after a bit flip); {@code flatIndex} = out·inFeatures + in. */
    public void setWeight(int flatIndex, boolean positive) {
        long mask = 1L << (flatIndex % inFeatures); // Java masks the shift to in mod 64
        if (positive) {
            weights[word(flatIndex)] &= ~mask;
        } else {
            weights[word(flatIndex)] |= mask;
        }
    }

    /** Whether the weight at {@code flatIndex} = out·inFeatures + in is +1. */
    public boolean isPositive(int flatIndex) {
        return (weights[word(flatIndex)] >>> (flatIndex % inFeatures) & 1L) == 0L;
    }

    /** Multiplies {@code n} rows of {@code inFeatures} signs by the weights into {@code n × outFeatures}. */
    public void forward(float[] input, int n, float[] output) {
        long inCount = (long) n * inFeatures;
        long outCount = (long) n * outFeatures;
        if (n < 0 || input.length < inCount || output.length < outCount
                || (long) n * words > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("XnorLinear " + inFeatures + "→" + outFeatures + " on " + n
                    + " rows needs input length " + inCount + " (got " + input.length + ") and output length "
                    + outCount + " (got " + output.length + ")");
        }
        long[] packed = new long[n * words];
        splitter.run(n, inFeatures, (from, to) -> SignPacking.packRows(input, inFeatures, words, from, to, packed));
        splitter.run(n, (long) outFeatures * words, (from, to) -> multiplyRows(packed, from, to, output));
    }

    private void multiplyRows(long[] packed, int from, int to, float[] output) {
        // blocks of rows keep the popcount buffer small while the kernel still reuses each weight tile
        int block = 32;
        int[] popcounts = new int[Math.min(block, to - from) * outFeatures];
        for (int r0 = from; r0 < to; r0 += block) {
            int rows = Math.min(block, to - r0);
            PopcountKernel.xorPopcounts(packed, r0 * words, rows, weights, outFeatures, words, popcounts, outFeatures, 1);
            for (int i = 0; i < rows * outFeatures; i++) {
                output[r0 * outFeatures + i] = inFeatures - 2 * popcounts[i];
            }
        }
    }

    private int word(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= inFeatures * outFeatures) {
            throw new IndexOutOfBoundsException("XnorLinear " + inFeatures + "→" + outFeatures + " has no weight "
                    + flatIndex);
        }
        return flatIndex / inFeatures * words + flatIndex % inFeatures / 64;
    }
}
