package org.bfabench.nn.memory;

/**
 * The stored codes of one attackable layer (ALGORITHMS.md §1): what a bit flip changes.
 * {@link #value(int)} is the number the forward pass multiplies by the layer's frozen scale.
 */
public interface WeightMemory {
    int bits();

    int size();

    /** The code as the attack surface reports it: the two's-complement integer, or ±1 for 1-bit memory. */
    int code(int index);

    /** Flips bit {@code bit} (0 = least significant) of weight {@code index}. */
    void flip(int index, int bit);

    /** The raw stored bit. */
    boolean bit(int index, int bit);

    /** Copy of the backing words, restorable with {@link #restore}. */
    long[] snapshot();

    void restore(long[] snapshot);

    /** Every code as a float (exact: |code| ≤ 2^15). */
    default float[] values() {
        float[] v = new float[size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = code(i);
        }
        return v;
    }
}
