package org.bfabench.nn.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BinaryMemoryTest {

    @Test
    void bitOneIsPlusOneAndZeroAndPositiveWeightsArePlusOne() {
        BinaryMemory m = BinaryMemory.ofSigns(new float[] {0.3f, -0.1f, 0f});
        assertEquals(1, m.code(0));
        assertEquals(-1, m.code(1));
        assertEquals(1, m.code(2));
        assertEquals(true, m.bit(0, 0));
        assertEquals(false, m.bit(1, 0));
    }

    @Test
    void aFlipChangesTheSignOfExactlyOneWeightAcrossWordBoundaries() {
        float[] w = new float[200];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 3 == 0) ? -1 : 1;
        }
        BinaryMemory m = BinaryMemory.ofSigns(w);
        for (int idx : new int[] {0, 63, 64, 127, 199}) {
            long[] before = m.snapshot();
            m.flip(idx, 0);
            long[] after = m.snapshot();
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                changed += Long.bitCount(before[i] ^ after[i]);
            }
            assertEquals(1, changed);
            assertEquals(w[idx] > 0 ? -1 : 1, m.code(idx));
            m.restore(before);
            assertEquals(w[idx] > 0 ? 1 : -1, m.code(idx));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> m.flip(0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.flip(200, 0));
    }
}
