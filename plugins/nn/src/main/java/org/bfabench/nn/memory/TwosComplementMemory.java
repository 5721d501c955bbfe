package org.bfabench.nn.memory;

import java.util.Arrays;

/**
 * N-bit two's-complement weight memory, 2 ≤ N ≤ 16 (ALGORITHMS.md §1; Rakin et al., ICCV 2019, §3):
 * q = −2^(N−1)·b_(N−1) + Σ_{i&lt;N−1} 2^i·b_i. Every bit pattern is a valid code, so −2^(N−1) is
 * reachable by a flip even though the quantizer never produces it.
 */
public final class TwosComplementMemory implements WeightMemory {
    private final int bits;
    private final int mask;
    // one N-bit pattern per weight, in the low bits of a short; kept as int[] for speed and clarity
    private final int[] patterns;

    public TwosComplementMemory(int bits, int size) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("two's-complement memory needs 2..16 bits, got " + bits);
        }
        this.bits = bits;
        this.mask = (1 << bits) - 1;
        this.patterns = new int[size];
    }

    /** A memory holding {@code codes}, each of which must fit N-bit two's complement. */
    public static TwosComplementMemory of(int bits, int[] codes) {
        TwosComplementMemory m = new TwosComplementMemory(bits, codes.length);
        for (int i = 0; i < codes.length; i++) {
            m.set(i, codes[i]);
        }
        return m;
    }

    public int min() {
        return -(1 << (bits - 1));
    }

    public int max() {
        return (1 << (bits - 1)) - 1;
    }

    public void set(int index, int code) {
        if (code < min() || code > max()) {
            throw new IllegalArgumentException(code + " does not fit " + bits + "-bit two's complement");
        }
        patterns[index] = code & mask;
    }

    /** Decodes an N-bit pattern: sign-extend from bit N−1. */
    public static int decode(int pattern, int bits) {
        int shift = 32 - bits;
        return (pattern << shift) >> shift;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int size() {
        return patterns.length;
    }

    @Override
    public int code(int index) {
        return decode(patterns[index], bits);
    }

    @Override
    public void flip(int index, int bit) {
        checkBit(bit);
        patterns[index] ^= 1 << bit;
    }

    @Override
    public boolean bit(int index, int bit) {
        checkBit(bit);
        return ((patterns[index] >>> bit) & 1) != 0;
    }

    private void checkBit(int bit) {
        if (bit < 0 || bit >= bits) {
            throw new IndexOutOfBoundsException("bit " + bit + " of a " + bits + "-bit code");
        }
    }

    @Override
    public long[] snapshot() {
        return Arrays.stream(patterns).asLongStream().toArray();
    }

    @Override
    public void restore(long[] snapshot) {
        if (snapshot.length != patterns.length) {
            throw new IllegalArgumentException("snapshot of " + snapshot.length + " codes, memory has " + patterns.length);
        }
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = (int) snapshot[i] & mask;
        }
    }

    /** All codes, decoded. */
    public int[] codes() {
        int[] c = new int[patterns.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = code(i);
        }
        return c;
    }
}
