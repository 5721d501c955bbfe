package org.bfabench.datasets;

import java.util.OptionalInt;
import java.util.Set;
import org.bfabench.spi.BenchException;
import org.bfabench.spi.Options;

/**
 * Options every dataset of this plugin accepts.
 *
 * <ul>
 *   <li>{@code train_limit}, {@code test_limit}: keep only the first N images of the split (in file
 *       order) — for smoke grids and tests; the limits enter {@link org.bfabench.spi.Dataset#sha256()}.</li>
 *   <li>{@code verify_checksum} (default true): compare every file with its pinned SHA-256; false accepts
 *       files that differ from the official ones (their digests still identify the data).</li>
 *   <li>{@code check_record_count} (default true): CIFAR-10 batches must hold the official 10 000 records
 *       each, the only integrity check of its unpinned batch files; false accepts batches of any size in
 *       the real record layout — for tests that write small CIFAR-10 files (IDX files state their own
 *       counts, so IDX datasets ignore it).</li>
 * </ul>
 */
public record DatasetOptions(OptionalInt trainLimit, OptionalInt testLimit, boolean verifyChecksum,
        boolean checkRecordCount) {
    static final Set<String> KNOWN = Set.of("train_limit", "test_limit", "verify_checksum", "check_record_count");

    public static DatasetOptions parse(String datasetId, Options options) {
        for (String key : options.keys()) {
            if (!KNOWN.contains(key)) {
                throw new BenchException(datasetId + ": unknown option '" + key + "'; known options: check_record_count,"
                        + " test_limit, train_limit, verify_checksum — fix the dataset options in the grid file");
            }
        }
        return new DatasetOptions(limit(datasetId, options, "train_limit"), limit(datasetId, options, "test_limit"),
                options.getBoolean("verify_checksum", true), options.getBoolean("check_record_count", true));
    }

    private static OptionalInt limit(String datasetId, Options options, String key) {
        if (!options.has(key)) {
            return OptionalInt.empty();
        }
        int v = options.getInt(key, 0);
        if (v <= 0) {
            throw new BenchException(datasetId + ": option '" + key + "' must be a positive number of images, got "
                    + options.asMap().get(key));
        }
        return OptionalInt.of(v);
    }

    /** The limits as they enter the dataset digest ("" when none). */
    public String digestSuffix() {
        return (trainLimit.isPresent() ? "train_limit=" + trainLimit.getAsInt() + "\n" : "")
                + (testLimit.isPresent() ? "test_limit=" + testLimit.getAsInt() + "\n" : "");
    }
}
