package org.bfabench.nn.tensor;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Splits element-wise work over the common fork-join pool when it is large enough to pay for it: the
 * memory-bound layers (batch norm, activations, pooling) and layout transposes otherwise leave the second core idle while ND4J
 * runs only the convolutions multi-threaded.
 */
public final class Parallel {
    private static final long MIN_WORK = 1 << 15;

    /** Elements per task of a flat element-wise loop. */
    public static final int CHUNK = 1 << 14;

    private Parallel() {
    }

    public static int chunks(int length) {
        return (length + CHUNK - 1) / CHUNK;
    }

    /** Runs {@code body} for 0 ≤ i &lt; count; {@code workPerItem} is the elements each call touches. */
    public static void forEach(int count, long workPerItem, IntConsumer body) {
        if (count > 1 && (long) count * workPerItem >= MIN_WORK) {
            IntStream.range(0, count).parallel().forEach(body);
        } else {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        }
    }
}
