package org.bfabench.nn.xnor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector popcount kernel against {@link Long#bitCount} word by word, at window lengths around the
 * boundaries of its byte accumulators (31 words per flush) and far beyond the layers' lengths; with dense,
 * sparse and all-ones words, so each byte's count reaches its maximum.
 */
class VectorPopcountsTest {
    @Test
    void windowPopcountsEqualTheScalarBitCountForEveryLengthAndDensity() {
        assumeTrue(PackedConv2d.VECTOR_KERNEL, "needs --add-modules jdk.incubator.vector and 512-bit vectors");
        Random random = new Random(3L);
        int[] lengths = {1, 2, 5, 7, 8, 9, 15, 16, 17, 18, 23, 24, 36, 72, 247, 248, 249, 255, 256, 257, 500};
        for (int words : lengths) {
            for (int density = 0; density < 4; density++) {
                int rows = 3;
                int outs = 16;
                long[] windows = new long[rows * words];
                long[] w = new long[outs * words];
                for (int i = 0; i < windows.length; i++) {
                    windows[i] = word(random, density);
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] = density == 3 ? 0L : word(random, density); // density 3: every XOR is all ones
                }
                int[] expected = new int[rows * outs];
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < outs; o++) {
                        int s = 0;
                        for (int j = 0; j < words; j++) {
                            // interleaved by 8 outputs: w[((o/8)·words + j)·8 + o%8]
                            s += Long.bitCount(windows[r * words + j] ^ w[((o / 8) * words + j) * 8 + o % 8]);
                        }
                        expected[r * outs + o] = s;
                    }
                }
                int[] sums = new int[rows * outs];
                VectorPopcounts.popcounts(windows, rows, w, outs, words, sums, new long[8]);
                assertArrayEquals(expected, sums, words + " words, density " + density);
            }
        }
    }

    private static long word(Random random, int density) {
        return switch (density) {
            case 0 -> random.nextLong();
            case 1 -> random.nextLong() & random.nextLong() & random.nextLong();
            case 2 -> ~(random.nextLong() & random.nextLong());
            default -> -1L;
        };
    }
}
