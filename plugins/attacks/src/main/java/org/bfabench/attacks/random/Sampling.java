package org.bfabench.attacks.random;

import java.util.Locale;
import org.bfabench.spi.BenchException;

/** How {@code random-flip} picks a bit (option {@code sampling}; ALGORITHMS.md §4, random baseline). */
public enum Sampling {
    /** A layer uniformly, then a weight uniformly in it, then a bit uniformly: the reference protocol. */
    PER_LAYER,
    /** Uniform over every stored bit of the model (layers weighted by their bit count). */
    ALL_BITS;

    static Sampling parse(String attackId, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "per-layer" -> PER_LAYER;
            case "all-bits" -> ALL_BITS;
            default -> throw new BenchException("attack '" + attackId + "': option 'sampling' must be 'per-layer' or"
                    + " 'all-bits', got '" + value + "'");
        };
    }
}
