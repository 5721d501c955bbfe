package org.bfabench.attacks.pbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bfabench.attacks.toy.ToyMlpSurface;
import org.junit.jupiter.api.Test;

class BitGradientsTest {

    @Test
    void bitWeightsAreMinusTwoToTheNMinusOneForTheSignBitAndPowersOfTwoBelow() {
        assertEquals(-128, BitGradients.bitWeight(7, 8));
        assertEquals(64, BitGradients.bitWeight(6, 8));
        assertEquals(1, BitGradients.bitWeight(0, 8));
        assertEquals(-8, BitGradients.bitWeight(3, 4));
        assertEquals(-256.0, BitGradients.bitGradient(2f, 7, 8));
    }

    @Test
    void bitsAreReadAsTwosComplement() {
        assertEquals(1, BitGradients.bitOf(-107, 7));
        assertEquals(0, BitGradients.bitOf(-107, 6));
        assertEquals(1, BitGradients.bitOf(-8, 3));
        assertEquals(0, BitGradients.bitOf(21, 1));
    }

    @Test
    void withPositiveGradientTheClearLowBitsOfTwentyOneAreEligibleButNotItsClearSignBit() {
        // 21 = 0001_0101: clear bits 1, 3, 5, 6 raise the code; setting the sign bit would lower it by 128
        for (int bit = 0; bit < 8; bit++) {
            boolean expected = bit == 1 || bit == 3 || bit == 5 || bit == 6;
            assertEquals(expected, BitGradients.eligible(21, bit, 8, 0.5f), "bit " + bit);
        }
        assertEquals(4, BitGradients.eligibleCount(21, 8, 0.5f));
    }

    @Test
    void withNegativeGradientTheSetLowBitsAndTheClearSignBitOfTwentyOneAreEligible() {
        for (int bit = 0; bit < 8; bit++) {
            boolean expected = bit == 0 || bit == 2 || bit == 4 || bit == 7;
            assertEquals(expected, BitGradients.eligible(21, bit, 8, -0.5f), "bit " + bit);
        }
        assertEquals(4, BitGradients.eligibleCount(21, 8, -0.5f));
    }

    @Test
    void onlyTheSignBitOfMinusOneIsEligibleUnderPositiveGradient() {
        assertTrue(BitGradients.eligible(-1, 7, 8, 1f));
        for (int bit = 0; bit < 7; bit++) {
            assertFalse(BitGradients.eligible(-1, bit, 8, 1f), "bit " + bit);
        }
        assertEquals(1, BitGradients.eligibleCount(-1, 8, 1f));
    }

    @Test
    void saturatedCodesInTheGradientsDirectionAndZeroGradientsHaveNoEligibleBit() {
        assertEquals(0, BitGradients.eligibleCount(127, 8, 1f));
        assertEquals(0, BitGradients.eligibleCount(-128, 8, -1f));
        assertEquals(0, BitGradients.eligibleCount(5, 8, 0f));
        assertEquals(0, BitGradients.eligibleCount(5, 8, Float.NaN));
        for (int bit = 0; bit < 8; bit++) {
            assertFalse(BitGradients.eligible(127, bit, 8, 1f));
            assertFalse(BitGradients.eligible(-128, bit, 8, -1f));
            assertFalse(BitGradients.eligible(5, bit, 8, 0f));
        }
    }

    @Test
    void everyEligibleFlipMovesTheCodeWithTheGradientExhaustivelyForFourAndEightBits() {
        for (int bits : new int[] {2, 4, 8}) {
            for (int code = -(1 << (bits - 1)); code < (1 << (bits - 1)); code++) {
                for (float g : new float[] {0.3f, -0.3f}) {
                    int count = 0;
                    for (int bit = 0; bit < bits; bit++) {
                        int after = ToyMlpSurface.flipBit(code, bit, bits);
                        boolean raisesLoss = g * (after - code) > 0;
                        assertEquals(raisesLoss, BitGradients.eligible(code, bit, bits, g),
                                bits + "-bit code " + code + " bit " + bit + " g " + g);
                        count += raisesLoss ? 1 : 0;
                    }
                    assertEquals(count, BitGradients.eligibleCount(code, bits, g), bits + "-bit code " + code);
                }
            }
        }
    }

    @Test
    void aBinaryWeightIsEligibleOnlyWhenItsGradientHasTheOppositeSign() {
        // ΔL ≈ −2·w·g: flipping +1 with g < 0 raises the loss; the BFA reference code has this inverted
        assertTrue(BitGradients.binaryEligible(1, -0.5f));
        assertTrue(BitGradients.binaryEligible(-1, 0.5f));
        assertFalse(BitGradients.binaryEligible(1, 0.5f));
        assertFalse(BitGradients.binaryEligible(-1, -0.5f));
        assertFalse(BitGradients.binaryEligible(1, 0f));
    }
}
