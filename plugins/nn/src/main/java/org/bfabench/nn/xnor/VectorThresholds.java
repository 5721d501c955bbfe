package org.bfabench.nn.xnor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PackedSigns#ofThresholdsChannelsLast}'s decisions 16 channels at a time on 512-bit vectors, for
 * the first conv of a complete BNN (RA-BNN, Rakin et al. 2021, §3), whose real-valued output is the
 * largest array the XNOR path reads. The decision per value is the scalar one, {@code sign·v >= threshold}
 * with the same IEEE comparison (the product by ±1 is exact), so the bits are identical. The 16 decisions
 * become bits by a blend with powers of two and an OR reduction: JDK 17's {@code VectorMask.toLong} is not
 * intrinsified and measured 15× slower than this, and the scalar loop ~4× slower (one thread, 128
 * channels). Only used where {@link PackedConv2d#VECTOR_KERNEL} holds and channels are a multiple of 16.
 */
final class VectorThresholds {
    static final int LANES = 16;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final IntVector POW2 = IntVector.fromArray(I,
            new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768}, 0);

    private VectorThresholds() {
    }

    /**
     * Packs the {@code width} pixels of NHWC {@code row} into {@code packed[dst…]} ({@code words} per pixel,
     * bit 1 = −1); returns whether every value v satisfied {@code |v| <= bound} (false for a NaN).
     */
    static boolean packRow(float[] row, int width, int channels, float[] sign, float[] threshold, float bound,
            long[] packed, int dst, int words) {
        VectorMask<Float> ok = F.maskAll(true);
        for (int x = 0; x < width; x++) {
            int base = x * channels;
            for (int j = 0; j < words; j++) {
                long acc = 0L;
                for (int c = j << 6, end = Math.min(channels, c + 64); c < end; c += LANES) {
                    FloatVector v = FloatVector.fromArray(F, row, base + c);
                    ok = ok.and(v.abs().compare(VectorOperators.LE, bound));
                    VectorMask<Float> positive = v.mul(FloatVector.fromArray(F, sign, c))
                            .compare(VectorOperators.GE, FloatVector.fromArray(F, threshold, c));
                    acc |= (long) POW2.blend(0, positive.cast(I)).reduceLanes(VectorOperators.OR) << c;
                }
                packed[dst + x * words + j] = acc;
            }
        }
        return ok.allTrue();
    }
}
