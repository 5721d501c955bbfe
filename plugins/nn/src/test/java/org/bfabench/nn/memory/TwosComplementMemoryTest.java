package org.bfabench.nn.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwosComplementMemoryTest {

    @Test
    void flippingTheMsbOfTwentyOneGivesMinusOneHundredSeven() {
        TwosComplementMemory m = TwosComplementMemory.of(8, new int[] {21});
        m.flip(0, 7);
        assertEquals(-107, m.code(0));
    }

    @Test
    void flippingTheMsbOfMinusOneGivesOneHundredTwentySeven() {
        TwosComplementMemory m = TwosComplementMemory.of(8, new int[] {-1});
        m.flip(0, 7);
        assertEquals(127, m.code(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8, 12, 16})
    void everyCodeRoundTripsAndEveryBitFlipFollowsTwosComplement(int bits) {
        int min = -(1 << (bits - 1));
        int max = (1 << (bits - 1)) - 1;
        int stride = bits > 12 ? 97 : 1;
        for (int c = min; c <= max; c += stride) {
            TwosComplementMemory m = TwosComplementMemory.of(bits, new int[] {c});
            assertEquals(c, m.code(0));
            for (int b = 0; b < bits; b++) {
                long[] before = m.snapshot();
                boolean wasSet = m.bit(0, b);
                // bit i weighs 2^i, except the MSB which weighs −2^(N−1)
                int weight = b == bits - 1 ? -(1 << b) : 1 << b;
                int expected = wasSet ? c - weight : c + weight;
                m.flip(0, b);
                assertEquals(expected, m.code(0), "code " + c + " bit " + b);
                assertTrue(m.code(0) >= min && m.code(0) <= max);
                m.restore(before);
                assertEquals(c, m.code(0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void theMostNegativeCodeIsReachableByAFlip(int bits) {
        TwosComplementMemory m = TwosComplementMemory.of(bits, new int[] {0});
        m.flip(0, bits - 1);
        assertEquals(-(1 << (bits - 1)), m.code(0));
    }

    @Test
    void codesOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TwosComplementMemory.of(4, new int[] {8}));
        assertThrows(IndexOutOfBoundsException.class, () -> new TwosComplementMemory(4, 1).flip(0, 4));
    }

    @Test
    void aFlipChangesExactlyOneStoredBit() {
        TwosComplementMemory m = TwosComplementMemory.of(8, new int[] {5, -77, 127});
        long[] before = m.snapshot();
        m.flip(1, 3);
        long[] after = m.snapshot();
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            changed += Long.bitCount(before[i] ^ after[i]);
        }
        assertEquals(1, changed);
        assertArrayEquals(new int[] {5, -77 ^ 8, 127}, m.codes());
    }
}
