package org.bfabench.nn.xnor;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PackedConv2d}'s window × 8-output popcounts on 512-bit vectors: the eight interleaved weight
 * words of one input word are one vector, XORed with the broadcast input word, and counted lane-wise by
 * the SWAR bit count (2-bit, 4-bit, then byte sums; Warren, Hacker's Delight §5-1). Byte counts
 * accumulate over up to 31 words before they are widened, so most of the count is 10 vector operations
 * per 8 XOR-popcounts. JDK 17's Vector API has no lane-wise popcount; this SWAR form on AVX-512 measured
 * ~2× the scalar {@code Long.bitCount} kernel (5.1–7.1 vs 2.6–3.1 G word-ops/s per core, thread CPU time,
 * windows of 5–18 words). Only used when the incubator module is present and vectors are 512 bits wide
 * (see {@link #usable()}); results are exact integers either way.
 */
final class VectorPopcounts {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_512;
    private static final LongVector IOTA = LongVector.fromArray(L, new long[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);
    private static final int MAX_BYTE_WORDS = 31; // 31 words × ≤ 8 per byte stays below 256

    private VectorPopcounts() {
    }

    /** Whether the preferred vector shape is 512 bits (AVX-512): narrower shapes would be emulated. */
    static boolean usable() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    /**
     * {@code sums[r·paddedOuts + o] = Σ_j bitCount(windows[r·words + j] ^ w_o[j])}, weights interleaved as
     * {@code w[((o/8)·words + j)·8 + o%8]}; {@code tmp} holds 8 longs.
     */
    static void popcounts(long[] windows, int rows, long[] w, int paddedOuts, int words, int[] sums, long[] tmp) {
        for (int r = 0; r < rows; r++) {
            int a0 = r * words;
            for (int o = 0; o < paddedOuts; o += 8) {
                count(windows, a0, w, o * words, words).intoArray(tmp, 0);
                int p = r * paddedOuts + o;
                for (int k = 0; k < 8; k++) {
                    sums[p + k] = (int) tmp[k];
                }
            }
        }
    }

    /**
     * The ±1 decisions of every window's outputs, straight from the counts: output o of window r is −1
     * unless {@code lo ≤ v ≤ hi}, with v the popcount and bounds {@code pcLo/pcHi} where {@code interior[r]},
     * else {@code v = corr[r·paddedOuts + o] − 2·pc} (the exact sum) and bounds {@code yLo/yHi}. The −1
     * bits are ORed into {@code out[outBase + r·outWords + o/64]} (zeroed by the caller). Bound arrays have
     * {@code paddedOuts} entries; padding outputs must have an all-inclusive interval so their bits stay 0.
     */
    static void signBits(long[] windows, int rows, long[] w, int paddedOuts, int words, boolean[] interior,
            long[] corr, long[][] bounds, long[] out, int outBase, int outWords) {
        long[] pcLo = bounds[0];
        long[] pcHi = bounds[1];
        long[] yLo = bounds[2];
        long[] yHi = bounds[3];
        for (int r = 0; r < rows; r++) {
            int a0 = r * words;
            int dst = outBase + r * outWords;
            for (int o = 0; o < paddedOuts; o += 8) {
                LongVector total = count(windows, a0, w, o * words, words);
                LongVector v;
                LongVector lo;
                LongVector hi;
                if (interior[r]) {
                    v = total;
                    lo = LongVector.fromArray(L, pcLo, o);
                    hi = LongVector.fromArray(L, pcHi, o);
                } else {
                    v = LongVector.fromArray(L, corr, r * paddedOuts + o).sub(total.lanewise(VectorOperators.LSHL, 1));
                    lo = LongVector.fromArray(L, yLo, o);
                    hi = LongVector.fromArray(L, yHi, o);
                }
                LongVector negative = v.sub(lo).or(hi.sub(v)).lanewise(VectorOperators.LSHR, 63);
                out[dst + (o >>> 6)] |= negative.lanewise(VectorOperators.LSHL, IOTA.add(o & 63))
                        .reduceLanes(VectorOperators.OR);
            }
        }
    }

    /** Popcounts of one window against 8 interleaved weight rows starting at {@code wb}. */
    private static LongVector count(long[] windows, int a0, long[] w, int wb, int words) {
        LongVector total = LongVector.zero(L);
        for (int j0 = 0; j0 < words; j0 += MAX_BYTE_WORDS) {
            int end = Math.min(words, j0 + MAX_BYTE_WORDS);
            LongVector bytes = LongVector.zero(L);
            for (int j = j0; j < end; j++) {
                LongVector x = LongVector.fromArray(L, w, wb + 8 * j).lanewise(VectorOperators.XOR, windows[a0 + j]);
                x = x.sub(x.lanewise(VectorOperators.LSHR, 1).and(0x5555555555555555L));
                x = x.and(0x3333333333333333L).add(x.lanewise(VectorOperators.LSHR, 2).and(0x3333333333333333L));
                bytes = bytes.add(x.add(x.lanewise(VectorOperators.LSHR, 4)).and(0x0f0f0f0f0f0f0f0fL));
            }
            LongVector shorts = bytes.and(0x00ff00ff00ff00ffL)
                    .add(bytes.lanewise(VectorOperators.LSHR, 8).and(0x00ff00ff00ff00ffL));
            total = total.add(shorts.mul(0x0001000100010001L).lanewise(VectorOperators.LSHR, 48));
        }
        return total;
    }
}
