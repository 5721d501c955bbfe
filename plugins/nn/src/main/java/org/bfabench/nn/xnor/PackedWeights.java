package org.bfabench.nn.xnor;

import java.util.Arrays;

/**
 * A {@link PackedConv2d}'s ±1 weights as sign bits in the dense-window layout its popcount kernels read,
 * kept in step with the per-tap values its border pixels subtract. Weight updates write here and must not
 * overlap a forward, which only reads.
 */
final class PackedWeights {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int fanIn;
    private final int windowWords;
    /**
     * Bit {@code b = tap·C + c} of output o's bit string at word {@code ((o/8)·windowWords + b/64)·8 + o%8},
     * bit {@code b % 64}; 1 = −1. Eight output channels' words interleave so the kernel reads them from
     * one cache line per input word.
     */
    private final long[] bits;
    /** [tap][o] = C − 2·(−1 weights of that tap): what an all-+1 padded tap wrongly adds. */
    private final int[] paddedTapValue;
    private static final int BLOCK = 8;

    /** All weights +1; {@code paddedOuts} output rows (a multiple of 8), the ones past outChannels unused. */
    PackedWeights(int inChannels, int outChannels, int kernel, int paddedOuts) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.fanIn = inChannels * kernel * kernel;
        this.windowWords = SignPacking.words(fanIn);
        this.bits = new long[Math.multiplyExact(paddedOuts, windowWords)];
        this.paddedTapValue = new int[outChannels * kernel * kernel];
        Arrays.fill(paddedTapValue, inChannels);
    }

    /** The interleaved sign bits; updated in place, so a reference stays current. */
    long[] bits() {
        return bits;
    }

    /** {@code [tap·outChannels + o]}, as {@link PackedWindows#borderSums} takes it; updated in place. */
    int[] paddedTapValue() {
        return paddedTapValue;
    }

    /** {@link PackedConv2d#setWeights}. */
    void setAll(float[] oihw) {
        if (oihw.length != outChannels * fanIn) {
            throw new IllegalArgumentException("PackedConv2d needs " + outChannels * fanIn + " OIHW weights, got "
                    + oihw.length);
        }
        Arrays.fill(bits, 0L);
        for (int i = 0; i < oihw.length; i++) {
            if (SignPacking.negativeBit(oihw[i]) != 0L) {
                bits[wordOf(i)] |= 1L << bitOf(i);
            }
        }
        for (int o = 0; o < outChannels; o++) {
            for (int tap = 0; tap < kernel * kernel; tap++) {
                refreshPaddedTap(o, tap);
            }
        }
    }

    /** {@link PackedConv2d#setWeight}. */
    void set(int flatIndex, boolean positive) {
        int word = wordOf(flatIndex);
        if (positive) {
            bits[word] &= ~(1L << bitOf(flatIndex));
        } else {
            bits[word] |= 1L << bitOf(flatIndex);
        }
        int taps = kernel * kernel;
        refreshPaddedTap(flatIndex / fanIn, flatIndex % taps);
    }

    /** {@link PackedConv2d#isPositive}. */
    boolean isPositive(int flatIndex) {
        return (bits[wordOf(flatIndex)] >>> bitOf(flatIndex) & 1L) == 0L;
    }

    private void refreshPaddedTap(int o, int tap) {
        int negatives = 0;
        for (int c = 0; c < inChannels; c++) {
            int b = tap * inChannels + c;
            negatives += (int) (bits[word(o, b)] >>> b & 1L);
        }
        paddedTapValue[tap * outChannels + o] = inChannels - 2 * negatives;
    }

    private int word(int o, int b) {
        return ((o >>> 3) * windowWords + (b >>> 6)) * BLOCK + (o & 7);
    }

    /** Index in {@link #bits} of the word holding OIHW weight {@code flatIndex}. */
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
