package org.bfabench.spi;

/**
 * One attackable layer's weight memory as an attacker sees it.
 *
 * @param name        the layer's name from the architecture (e.g. {@code conv0}, {@code fc})
 * @param bits        bits per stored weight: 1 for binary weights, N for N-bit two's complement
 * @param weightCount number of stored weights
 */
public record AttackableLayer(String name, int bits, int weightCount) {
    public AttackableLayer {
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("bits must be in 1..16, got " + bits);
        }
    }

    /** Total stored bits. */
    public long totalBits() {
        return (long) bits * weightCount;
    }
}
