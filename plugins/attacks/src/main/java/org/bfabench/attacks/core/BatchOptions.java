package org.bfabench.attacks.core;

import java.util.Set;
import java.util.TreeSet;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;

/**
 * Options every attack of this plugin shares: how the attack batch is drawn.
 *
 * @param size   option {@code batch_size}, images in the attack batch (default 128, as in PBS)
 * @param labels option {@code labels}, {@code predicted} (default) or {@code true}
 */
public record BatchOptions(int size, LabelSource labels) {
    public static final String BATCH_SIZE = "batch_size";
    public static final String LABELS = "labels";
    public static final int DEFAULT_BATCH_SIZE = 128;

    public BatchOptions {
        if (size < 1) {
            throw new BenchException("option '" + BATCH_SIZE + "' must be at least 1, got " + size);
        }
    }

    /** Reads {@code batch_size} and {@code labels}; fails with a {@link BenchException} naming the key. */
    public static BatchOptions parse(String attackId, Options options) {
        int size = options.getInt(BATCH_SIZE, DEFAULT_BATCH_SIZE);
        if (size < 1) {
            throw new BenchException("attack '" + attackId + "': option '" + BATCH_SIZE + "' must be at least 1, got " + size);
        }
        return new BatchOptions(size, LabelSource.parse(attackId, options.getString(LABELS, "predicted")));
    }

    /**
     * Fails on any key outside {@code ownKeys} and the shared batch keys: a misspelt option would
     * otherwise silently run the default.
     */
    public static void requireKnownKeys(String attackId, Options options, Set<String> ownKeys) {
        Set<String> known = new TreeSet<>(ownKeys);
        known.add(BATCH_SIZE);
        known.add(LABELS);
        Set<String> unknown = new TreeSet<>(options.keys());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new BenchException("attack '" + attackId + "': unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; known options: " + String.join(", ", known));
        }
    }
}
