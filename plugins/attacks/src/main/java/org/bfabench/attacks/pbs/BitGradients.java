package org.bfabench.attacks.pbs;

/**
 * First-order bit arithmetic of PBS (Rakin et al., ICCV 2019, §4.1, eq. 5–6; ALGORITHMS.md §1 and §4).
 *
 * <p>An N-bit code is two's complement, q = −2^(N−1)·b_(N−1) + Σ_{i<N−1} 2^i·b_i, so with g = ∂L/∂q the
 * bit gradient is ∂L/∂b_i = g·bw_i with bw = [−2^(N−1) for the sign bit, 2^i below it]. Flipping b_i
 * changes q by bw_i·(1 − 2·b_i), so a flip raises the loss to first order exactly when the bit is 0 and
 * ∂L/∂b_i &gt; 0, or the bit is 1 and ∂L/∂b_i &lt; 0. A binary weight w = ±1 becomes −w: ΔL ≈ −2·w·g,
 * eligible iff g·w &lt; 0 (the BFA reference code's 1-bit test has this inverted).
 */
public final class BitGradients {

    private BitGradients() {
    }

    /** Bit {@code bit} of the N-bit two's-complement representation of {@code code} (0 or 1). */
    public static int bitOf(int code, int bit) {
        return (code >>> bit) & 1;
    }

    /** bw_i: −2^(N−1) for the sign bit, 2^i otherwise. */
    public static int bitWeight(int bit, int bits) {
        return bit == bits - 1 ? -(1 << (bits - 1)) : 1 << bit;
    }

    /** ∂L/∂b_i = g·bw_i. */
    public static double bitGradient(float g, int bit, int bits) {
        return (double) g * bitWeight(bit, bits);
    }

    /** True if flipping {@code bit} of an N-bit code (N ≥ 2) raises the loss to first order. */
    public static boolean eligible(int code, int bit, int bits, float g) {
        double d = bitGradient(g, bit, bits);
        return bitOf(code, bit) == 0 ? d > 0 : d < 0;
    }

    /** True if flipping the binary weight {@code code} (±1) raises the loss to first order. */
    public static boolean binaryEligible(int code, float g) {
        return (double) g * code < 0;
    }

    /**
     * Number of eligible bits of an N-bit code under gradient {@code g}: with g &gt; 0 the bits whose flip
     * raises the code (clear low bits, a set sign bit), with g &lt; 0 those that lower it.
     */
    public static int eligibleCount(int code, int bits, float g) {
        if (!(g > 0) && !(g < 0)) {
            return 0;
        }
        int low = code & ((1 << (bits - 1)) - 1);
        int sign = bitOf(code, bits - 1);
        int setLow = Integer.bitCount(low);
        return g > 0 ? (bits - 1 - setLow) + sign : setLow + (1 - sign);
    }
}
