package org.bfabench.nn.memory;

/**
 * 1-bit weight memory packed 64 weights per {@code long} (ALGORITHMS.md §1): stored bit 1 ↔ +1,
 * bit 0 ↔ −1, so a flip is a sign change. The packing is the one the XNOR-popcount kernel consumes.
 */
public final class BinaryMemory implements WeightMemory {
    private final int size;
    private final long[] words;

    public BinaryMemory(int size) {
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    /** Sign encoding with sign(0) = +1, as the forward pass uses it. */
    public static BinaryMemory ofSigns(float[] w) {
        BinaryMemory m = new BinaryMemory(w.length);
        for (int i = 0; i < w.length; i++) {
            m.set(i, w[i] >= 0f);
        }
        return m;
    }

    public void set(int index, boolean positive) {
        checkIndex(index);
        if (positive) {
            words[index >>> 6] |= 1L << (index & 63);
        } else {
            words[index >>> 6] &= ~(1L << (index & 63));
        }
    }

    public boolean positive(int index) {
        checkIndex(index);
        return ((words[index >>> 6] >>> (index & 63)) & 1L) != 0;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("weight " + index + " of " + size);
        }
    }

    @Override
    public int bits() {
        return 1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int code(int index) {
        return positive(index) ? 1 : -1;
    }

    @Override
    public void flip(int index, int bit) {
        if (bit != 0) {
            throw new IndexOutOfBoundsException("bit " + bit + " of a 1-bit weight");
        }
        checkIndex(index);
        words[index >>> 6] ^= 1L << (index & 63);
    }

    @Override
    public boolean bit(int index, int bit) {
        if (bit != 0) {
            throw new IndexOutOfBoundsException("bit " + bit + " of a 1-bit weight");
        }
        return positive(index);
    }

    /** The packed words (a copy). */
    @Override
    public long[] snapshot() {
        return words.clone();
    }

    @Override
    public void restore(long[] snapshot) {
        if (snapshot.length != words.length) {
            throw new IllegalArgumentException("snapshot of " + snapshot.length + " words, memory has " + words.length);
        }
        System.arraycopy(snapshot, 0, words, 0, words.length);
    }
}
