package org.bfabench.nn.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UniformQuantizerTest {

    @Test
    void fourBitStepUsesSevenLevelsNotOneHundredTwentySeven() {
        UniformQuantizer q = new UniformQuantizer(4);
        float step = q.step(new float[] {0.7f, -0.35f, 0.1f});
        assertEquals(0.1f, step, 1e-7f);
        assertEquals(7, q.code(0.7f, step));
        assertEquals(-3, q.code(-0.31f, step));
        assertEquals(1, q.code(0.1f, step));
    }

    @Test
    void codesAreClippedToPlusMinusLevels() {
        UniformQuantizer q = new UniformQuantizer(8);
        assertEquals(127, q.code(10f, 0.01f));
        assertEquals(-127, q.code(-10f, 0.01f));
        assertEquals(0, q.code(0.004f, 0.01f));
    }
}
