package org.bfabench.harness.store;

/**
 * One finished cell as stored in {@code .bfabench/store/<grid>/<key>.json}.
 *
 * @param format     file format version (1)
 * @param key        cell key: SHA-256 of the canonical cell configuration
 * @param modelKey   SHA-256 of the canonical configuration of the trained model the cell attacked
 * @param config     the cell's configuration
 * @param status     outcome
 * @param message    why a cell is FAILED, TIMEOUT or N/A (empty for OK)
 * @param result     measurements; null unless status is OK
 * @param timing     wall-clock facts; null when nothing ran
 * @param provenance what produced it
 */
public record CellRecord(int format, String key, String modelKey, CellConfig config, CellStatus status, String message,
        CellResult result, Timing timing, Provenance provenance) {

    public static final int FORMAT = 1;
}
